//! How long a value may be, and which characters no value may hold. Every path that turns
//! text into a value checks these: a file's cells (before a column's codec runs, so a
//! junk cell never reaches a parser or a message whole), an edit, a generic mapping.
//!
//! Lengths count characters. The bounds are far above what a shop's customer carries
//! (`docs/formats.md` lists them) and low enough that a broken or hostile file cannot put
//! megabytes into a name.

use crate::{Field, FieldType, ValueError};

/// Names, streets, cities, companies, logins, codes: one line of a form.
pub const MAX_LINE: usize = 255;
/// E-mail addresses (the longest path SMTP carries, RFC 5321).
pub const MAX_EMAIL: usize = 254;
/// Phone and fax numbers, postcodes.
pub const MAX_SHORT: usize = 32;
/// Company numbers, VAT and tax ids.
pub const MAX_ID: usize = 64;
/// Numbers, dates, yes/no, choices, countries and languages in any spelling.
pub const MAX_SCALAR: usize = 64;
/// Lists of shop ids.
pub const MAX_IDS: usize = 4 * 1024;
/// A password or password hash.
pub const MAX_PASSWORD: usize = 1024;
/// Notes, custom fields, dialect values kept for a round trip, lists of groups or tags,
/// delivery addresses and consents (64 Ki characters).
pub const MAX_LONG: usize = 64 * 1024;

impl FieldType {
    /// The most characters a value of this type may have: the longest any field of the
    /// type takes (see [`Field::max_chars`] for each field's own bound).
    pub fn max_chars(self) -> usize {
        match self {
            FieldType::Text | FieldType::Texts | FieldType::Addresses | FieldType::Agreements => {
                MAX_LONG
            }
            FieldType::Email => MAX_EMAIL,
            FieldType::Phone => MAX_SHORT,
            FieldType::Ids => MAX_IDS,
            FieldType::Password => MAX_PASSWORD,
            FieldType::Country
            | FieldType::Language
            | FieldType::Decimal
            | FieldType::Integer
            | FieldType::Bool
            | FieldType::DateTime
            | FieldType::Consent
            | FieldType::Kind
            | FieldType::Gender => MAX_SCALAR,
        }
    }
}

impl Field {
    /// The most characters this field's value may have.
    pub fn max_chars(&self) -> usize {
        match self {
            Field::Note | Field::CustomField(_) | Field::Extra(_) => MAX_LONG,
            Field::BillingZip | Field::ShippingZip => MAX_SHORT,
            Field::CompanyNumber | Field::VatId | Field::TaxId => MAX_ID,
            Field::Stat(_) => MAX_LINE,
            _ => match self.ty() {
                FieldType::Text => MAX_LINE,
                other => other.max_chars(),
            },
        }
    }

    /// Parses this field's canonical text: [`check_text`] with the field's own bound, then
    /// the type's parser.
    pub fn parse_value(&self, raw: &str) -> Result<crate::Value, ValueError> {
        check_text(raw.trim(), self.max_chars())?;
        self.ty().parse(raw)
    }
}

/// Whether no value may hold `c`: control characters other than tab and line breaks
/// (NUL and its kind, C1 controls such as the `U+0081` that UTF-8 read as Windows-1250
/// leaves behind) and the replacement character `U+FFFD`, the mark of text already
/// damaged by a wrong decoding.
pub fn forbidden_char(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFD}')
}

/// Checks a value's text: at most `max_chars` characters and no [`forbidden_char`].
pub fn check_text(text: &str, max_chars: usize) -> Result<(), ValueError> {
    if text.len() > max_chars {
        let len = text.chars().count();
        if len > max_chars {
            return Err(ValueError::TooLong {
                len,
                max: max_chars,
            });
        }
    }
    // Every forbidden character's UTF-8 starts with a byte below 0x20, 0x7F, 0xC2 or 0xEF.
    if text.bytes().any(|b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7F | 0xC2 | 0xEF)
    }) && let Some(c) = text.chars().find(|&c| forbidden_char(c))
    {
        return Err(ValueError::ControlCharacter {
            value: escape(text),
            character: format!("U+{:04X}", c as u32),
        });
    }
    Ok(())
}

/// `text` with each [`forbidden_char`] written as an escape (`Ja\0n`, `\u{81}`), so that a
/// message shows it instead of passing it on to a terminal or a page.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_bound_and_parses_within_it() {
        assert_eq!(Field::FirstName.max_chars(), 255);
        assert_eq!(Field::Email.max_chars(), 254);
        assert_eq!(Field::Phone.max_chars(), 32);
        assert_eq!(Field::BillingZip.max_chars(), 32);
        assert_eq!(Field::Note.max_chars(), 64 * 1024);
        assert_eq!(
            Field::FirstName.parse_value(&"a".repeat(256)),
            Err(ValueError::TooLong { len: 256, max: 255 })
        );
        assert!(Field::FirstName.parse_value(&"ł".repeat(255)).is_ok());
        assert!(Field::Note.parse_value(&"a".repeat(256)).is_ok());
        assert_eq!(
            FieldType::Text.parse(&"a".repeat(MAX_LONG + 1)),
            Err(ValueError::TooLong {
                len: MAX_LONG + 1,
                max: MAX_LONG
            })
        );
    }

    #[test]
    fn control_characters_are_refused_and_shown_escaped() {
        let err = FieldType::Text.parse("Ja\0n").unwrap_err();
        assert_eq!(
            err,
            ValueError::ControlCharacter {
                value: "Ja\\0n".into(),
                character: "U+0000".into()
            }
        );
        assert!(err.to_string().contains("'Ja\\0n'"), "{err}");
        assert!(FieldType::Text.parse("Ĺ\u{81}ukasz").is_err());
        assert!(FieldType::Text.parse("\u{FFFD}ukasz").is_err());
        assert!(FieldType::Text.parse("line\r\nbreak\tand tab").is_ok());
        assert!(FieldType::Text.parse("Łukasz Żółć ©").is_ok());
    }
}
