//! Reading the loose JSON the platforms send: the same field is a string on one version
//! and a number on the next (PrestaShop 1.7 vs 8.0 on PHP 8.1, Shoper's string scalars),
//! flags are `"1"`, `1` or `true`, and blank means absent.

use serde_json::Value;

/// The value as trimmed text; `None` when absent, null or blank.
pub fn text(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The value as a number (`3`, `"3"`).
pub fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The value as a flag (`1`, `"1"`, `true`, `"true"`); `None` when it is neither a yes
/// nor a no.
pub fn flag(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Some(true),
            "0" | "false" | "no" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A date or date-time in the platforms' local forms (`2020-04-09 19:31:19`,
/// `2020-04-09T19:31:19`, `2020-04-09`), as custio's canonical text; zero dates
/// (`0000-00-00`) are none.
pub fn date(value: Option<&Value>) -> Option<String> {
    let text = text(value)?;
    if text.starts_with("0000-00-00") {
        return None;
    }
    let text = text.replacen('T', " ", 1);
    let text = text.trim_end_matches('Z');
    Some(if text.len() == 10 {
        format!("{text} 00:00:00")
    } else {
        text.chars().take(19).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_and_numbers_read_alike() {
        assert_eq!(text(Some(&json!(" Paris "))), Some("Paris".into()));
        assert_eq!(text(Some(&json!(3))), Some("3".into()));
        assert_eq!(text(Some(&json!(""))), None);
        assert_eq!(text(Some(&json!(null))), None);
        assert_eq!(number(Some(&json!("42"))), Some(42));
        assert_eq!(number(Some(&json!(42))), Some(42));
        assert_eq!(flag(Some(&json!("1"))), Some(true));
        assert_eq!(flag(Some(&json!(0))), Some(false));
        assert_eq!(flag(Some(&json!(true))), Some(true));
        assert_eq!(flag(Some(&json!("maybe"))), None);
    }

    #[test]
    fn zero_dates_are_none_and_iso_dates_are_canonical() {
        assert_eq!(date(Some(&json!("0000-00-00"))), None);
        assert_eq!(date(Some(&json!("0000-00-00 00:00:00"))), None);
        assert_eq!(
            date(Some(&json!("1970-01-15"))),
            Some("1970-01-15 00:00:00".into())
        );
        assert_eq!(
            date(Some(&json!("2017-03-21T19:09:28"))),
            Some("2017-03-21 19:09:28".into())
        );
    }
}
