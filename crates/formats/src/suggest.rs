//! Suggestions for unknown columns: which free fields a header probably means.

use custio_model::Field;

use crate::column::{CellContext, Column};

/// The free fields that `header` most likely means, best first (at most three). A field
/// is compared by its own name and by the names and labels of the dialect's columns that
/// write it, after folding case, accents and punctuation.
pub fn suggest_fields(header: &str, free: &[Field], columns: &[Column]) -> Vec<Field> {
    let wanted = fold(header);
    if wanted.is_empty() {
        return Vec::new();
    }
    let ctx = CellContext {
        dialect: "",
        header: "",
        param: None,
    };
    let mut scored: Vec<(f64, &Field)> = free
        .iter()
        .map(|field| {
            let mut names = vec![fold(&field.name())];
            for column in columns.iter().filter(|c| c.fields(&ctx).contains(field)) {
                names.push(fold(column.name()));
                names.push(fold(column.label));
                names.extend(column.aliases.iter().map(|a| fold(a)));
            }
            let score = names
                .iter()
                .filter(|n| !n.is_empty())
                .map(|n| similarity(&wanted, n))
                .fold(0.0, f64::max);
            (score, field)
        })
        .filter(|(score, _)| *score >= 0.6)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, f)| f.clone()).collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    let contained = (a.len() >= 4 && b.contains(a)) || (b.len() >= 4 && a.contains(b));
    let base = strsim::jaro_winkler(a, b);
    if contained { base.max(0.85) } else { base }
}

/// Lower case, without accents, spaces or punctuation: `Imię ` and `imie` compare equal.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            let plain = match c {
                'ą' | 'á' | 'ä' => 'a',
                'č' | 'ć' => 'c',
                'ď' => 'd',
                'ę' | 'é' | 'ě' => 'e',
                'í' => 'i',
                'ł' | 'ľ' | 'ĺ' => 'l',
                'ń' | 'ň' => 'n',
                'ó' | 'ô' | 'ö' => 'o',
                'ř' | 'ŕ' => 'r',
                'ś' | 'š' => 's',
                'ť' => 't',
                'ú' | 'ů' | 'ü' => 'u',
                'ý' => 'y',
                'ź' | 'ż' | 'ž' => 'z',
                c => c,
            };
            plain.is_alphanumeric().then_some(plain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested() {
        let free = [
            Field::FirstName,
            Field::LastName,
            Field::BillingCity,
            Field::Note,
        ];
        assert_eq!(
            suggest_fields("First Name", &free, &[])[0],
            Field::FirstName
        );
        assert_eq!(suggest_fields("city", &free, &[])[0], Field::BillingCity);
        assert!(suggest_fields("xyz", &free, &[]).is_empty());
    }
}
