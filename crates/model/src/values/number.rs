use std::str::FromStr;

use rust_decimal::Decimal;

use crate::ValueError;

/// Parses an exact decimal written with a point or a comma (`12.50`, `12,50`); blanks
/// (also non-breaking ones, as Excel writes thousands) are ignored.
pub fn parse_decimal(raw: &str) -> Result<Decimal, ValueError> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let normalised = match (cleaned.contains(','), cleaned.contains('.')) {
        (true, true) => return Err(ValueError::Decimal(raw.to_string())),
        (true, false) => cleaned.replace(',', "."),
        _ => cleaned,
    };
    Decimal::from_str(&normalised).map_err(|_| ValueError::Decimal(raw.to_string()))
}

/// Parses a whole number.
pub fn parse_integer(raw: &str) -> Result<i64, ValueError> {
    raw.trim()
        .parse()
        .map_err(|_| ValueError::Integer(raw.to_string()))
}

/// Parses a yes/no flag against a dialect's spellings (compared case-insensitively).
pub fn parse_bool(raw: &str, yes: &[&str], no: &[&str]) -> Result<bool, ValueError> {
    let value = raw.trim();
    if yes.iter().any(|y| y.eq_ignore_ascii_case(value)) {
        Ok(true)
    } else if no.iter().any(|n| n.eq_ignore_ascii_case(value)) {
        Ok(false)
    } else {
        Err(ValueError::Choice {
            value: raw.to_string(),
            allowed: yes.iter().chain(no).copied().collect::<Vec<_>>().join(", "),
        })
    }
}

/// Parses shop ids written `1,2,3` (IdoSell's form); blanks around ids are tolerated.
pub fn parse_id_list(raw: &str) -> Result<Vec<u32>, ValueError> {
    let mut ids = Vec::new();
    for part in raw.split(',') {
        let id: u32 = part
            .trim()
            .parse()
            .map_err(|_| ValueError::ShopIds(raw.to_string()))?;
        if id == 0 {
            return Err(ValueError::ShopIds(raw.to_string()));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_scale_and_take_commas() {
        assert_eq!(parse_decimal("12,50").unwrap().to_string(), "12.50");
        assert_eq!(parse_decimal("1 234.5").unwrap().to_string(), "1234.5");
        assert!(parse_decimal("1.234,5").is_err());
        assert!(parse_decimal("abc").is_err());
    }

    #[test]
    fn shop_lists() {
        assert_eq!(parse_id_list("1,2,3").unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_id_list("3").unwrap(), vec![3]);
        assert_eq!(parse_id_list("1,x").unwrap_err().code(), "invalid_shop_ids");
        assert!(parse_id_list("").is_err());
    }

    #[test]
    fn flags() {
        assert!(parse_bool("T", &["t"], &["n"]).unwrap());
        assert!(!parse_bool("n", &["t"], &["n"]).unwrap());
        assert_eq!(
            parse_bool("maybe", &["t"], &["n"]).unwrap_err().to_string(),
            "'maybe' is not allowed here; allowed values: t, n"
        );
    }
}
