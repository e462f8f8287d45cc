//! Suggestions for unknown columns: which free fields a header probably means, by name
//! similarity and by the synonyms of [`synonyms`] (English, Polish, Czech, Slovak,
//! Bulgarian).

mod synonyms;

use custio_model::Field;

use crate::column::{CellContext, Column};
use synonyms::SYNONYMS;

/// The free fields that `header` most likely means, best first (at most three). A field
/// is compared by its own name, by the names and labels of the dialect's columns that
/// write it and by its synonyms in five languages, after folding case, accents and
/// punctuation. A header that names something custio does not keep (a birthday) gets no
/// suggestion unless a field fits it better.
pub fn suggest_fields(header: &str, free: &[Field], columns: &[Column]) -> Vec<Field> {
    Suggester::new(free, columns)
        .scored(header)
        .into_iter()
        .map(|(_, f)| f)
        .collect()
}

/// The longest header, folded, that gets suggestions.
const MAX_NAME_BYTES: usize = 100;

/// How similar the best suggestion must be to count as sure: a name or synonym of the field
/// after folding, or all but identical to one. Only a sure suggestion is preselected.
pub(crate) const SURE: f64 = 0.95;

/// Every free field with its names, folded once for all the headers of a file.
pub(crate) struct Suggester {
    fields: Vec<(Field, Vec<String>)>,
    unkept: Vec<String>,
}

impl Suggester {
    pub(crate) fn new(free: &[Field], columns: &[Column]) -> Self {
        let ctx = CellContext {
            dialect: "",
            header: "",
            param: None,
        };
        let written: Vec<(Vec<Field>, &Column)> =
            columns.iter().map(|c| (c.fields(&ctx), c)).collect();
        let fields = free
            .iter()
            .map(|field| {
                let mut names = vec![fold(&field.name())];
                for (_, column) in written.iter().filter(|(fields, _)| fields.contains(field)) {
                    names.push(fold(column.name()));
                    names.push(fold(column.label));
                    names.extend(column.aliases.iter().map(|a| fold(a)));
                }
                for (_, synonyms) in SYNONYMS.iter().filter(|(f, _)| f.as_ref() == Some(field)) {
                    names.extend(synonyms.iter().map(|s| fold(s)));
                }
                names.retain(|n| !n.is_empty());
                (field.clone(), names)
            })
            .collect();
        let unkept = SYNONYMS
            .iter()
            .filter(|(field, _)| field.is_none())
            .flat_map(|(_, names)| names.iter().map(|n| fold(n)))
            .collect();
        Self { fields, unkept }
    }

    /// [`suggest_fields`] with each suggestion's similarity (1.0: a name of the field).
    pub(crate) fn scored(&self, header: &str) -> Vec<(f64, Field)> {
        let wanted = fold(header);
        // A column name is a few words; comparing a longer text with every name costs time
        // that grows with both lengths, and it names no field anyway.
        if wanted.is_empty() || wanted.len() > MAX_NAME_BYTES {
            return Vec::new();
        }
        let best = |names: &[String]| {
            names
                .iter()
                .map(|n| similarity(&wanted, n))
                .fold(0.0, f64::max)
        };
        let unkept = best(&self.unkept);
        let mut scored: Vec<(f64, &Field)> = self
            .fields
            .iter()
            .map(|(field, names)| (best(names), field))
            .filter(|(score, _)| *score >= 0.6 && *score > unkept)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(3)
            .map(|(s, f)| (s, f.clone()))
            .collect()
    }
}

fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
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
                'ą' | 'á' | 'ä' | 'à' | 'â' => 'a',
                'č' | 'ć' => 'c',
                'ď' => 'd',
                'ę' | 'é' | 'ě' => 'e',
                'í' => 'i',
                'ł' | 'ľ' | 'ĺ' => 'l',
                'ń' | 'ň' => 'n',
                'ó' | 'ô' | 'ö' | 'ő' => 'o',
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

    #[test]
    fn synonyms_in_five_languages() {
        let free = Field::FIXED;
        for header in [
            "Imię",
            "Jméno",
            "Meno",
            "Име",
            "First name",
            "KŘESTNÍ JMÉNO",
        ] {
            assert_eq!(
                suggest_fields(header, free, &[])[0],
                Field::FirstName,
                "{header}"
            );
        }
        for (header, field) in [
            ("Nazwisko", Field::LastName),
            ("Příjmení", Field::LastName),
            ("Фамилия", Field::LastName),
            ("Adres e-mail", Field::Email),
            ("Имейл", Field::Email),
            ("PSČ", Field::BillingZip),
            ("Пощенски код", Field::BillingZip),
            ("Kod pocztowy", Field::BillingZip),
            ("NIP", Field::TaxId),
            ("DIČ", Field::VatId),
            ("ИН по ДДС", Field::VatId),
            ("IČO", Field::CompanyNumber),
            ("Miejscowość", Field::BillingCity),
            ("Град", Field::BillingCity),
            ("Poznámka", Field::Note),
            ("Telefon", Field::Phone),
            ("Ulica", Field::BillingStreet),
            ("Държава", Field::BillingCountry),
            ("Nazwa firmy", Field::CompanyName),
        ] {
            assert_eq!(
                suggest_fields(header, free, &[]).first(),
                Some(&field),
                "{header}"
            );
        }
    }

    #[test]
    fn other_platforms_export_headers_get_their_field() {
        let free = Field::FIXED;
        for (header, field) in [
            // Shopify's customer export
            ("Default Address Zip", Field::BillingZip),
            ("Default Address City", Field::BillingCity),
            ("Default Address Address1", Field::BillingStreet),
            ("Default Address Country Code", Field::BillingCountry),
            ("Default Address Company", Field::CompanyName),
            ("Accepts Email Marketing", Field::NewsletterEmail),
            ("Accepts SMS Marketing", Field::NewsletterSms),
            // WooCommerce customer exports
            ("billing_postcode", Field::BillingZip),
            ("shipping_postcode", Field::ShippingZip),
            ("billing_address_1", Field::BillingStreet),
            ("shipping_address_1", Field::ShippingStreet),
            ("billing_phone", Field::Phone),
            ("billing_email", Field::Email),
            // PrestaShop's customer import sample
            ("Newsletter (0/1)", Field::NewsletterEmail),
            ("First Name *", Field::FirstName),
        ] {
            assert_eq!(
                suggest_fields(header, free, &[]).first(),
                Some(&field),
                "{header}: {:?}",
                suggest_fields(header, free, &[])
            );
        }
    }

    #[test]
    fn things_custio_does_not_keep_get_no_suggestion() {
        for header in [
            "Birthday",
            "Data urodzenia",
            "Datum narození",
            "Dátum narodenia",
            "Дата на раждане",
        ] {
            assert!(
                suggest_fields(header, Field::FIXED, &[]).is_empty(),
                "{header}"
            );
        }
    }

    #[test]
    fn a_long_header_gets_no_suggestion() {
        // Compared with every name it would take minutes (a 1 MiB header cell is allowed).
        let header = "first name ".repeat(100_000);
        assert!(suggest_fields(&header, Field::FIXED, &[]).is_empty());
    }

    #[test]
    fn a_taken_field_is_not_suggested() {
        let free: Vec<Field> = Field::FIXED
            .iter()
            .filter(|f| **f != Field::FirstName)
            .cloned()
            .collect();
        assert!(!suggest_fields("Imię", &free, &[]).contains(&Field::FirstName));
    }

    #[test]
    fn each_synonym_means_one_thing() {
        let mut seen = std::collections::BTreeMap::new();
        for (field, names) in SYNONYMS {
            for name in *names {
                if let Some(other) = seen.insert(fold(name), field.clone()) {
                    assert_eq!(&other, field, "'{name}' is listed for two fields");
                }
            }
        }
    }
}
