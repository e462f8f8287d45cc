use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ValueError;
use crate::iso::{LANGUAGES, LanguageEntry};

/// ISO 639-1 and 639-2 codes, lower-cased, to their entry.
static LANGUAGES_BY_CODE: std::sync::LazyLock<crate::iso::CodeIndex> =
    std::sync::LazyLock::new(|| {
        crate::iso::index(LANGUAGES.iter().map(|l| [l.alpha2, l.alpha3_b, l.alpha3_t]))
    });

/// A language, written as its ISO 639-1 code (`pl`). IdoSell writes ISO 639-2/B (`pol`,
/// `cze`): [`alpha3_b`](Language::alpha3_b) converts.
#[derive(Clone, Copy)]
pub struct Language(&'static LanguageEntry);

impl Language {
    /// Every language custio knows.
    pub fn all() -> impl Iterator<Item = Language> {
        LANGUAGES.iter().map(Language)
    }

    /// Parses an ISO 639-1 code, an ISO 639-2 code (bibliographic or terminology) or an
    /// English name, in any case.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let wanted = raw.trim();
        crate::iso::by_code(&LANGUAGES_BY_CODE, wanted)
            .map(|i| &LANGUAGES[i])
            .or_else(|| {
                LANGUAGES
                    .iter()
                    .find(|l| l.name.eq_ignore_ascii_case(wanted))
            })
            .map(Language)
            .ok_or_else(|| ValueError::Language(raw.to_string()))
    }

    /// ISO 639-1 (`pl`).
    pub fn code(&self) -> &'static str {
        self.0.alpha2
    }

    /// ISO 639-2/B (`pol`, `cze`, `ger`), as IdoSell writes it.
    pub fn alpha3_b(&self) -> &'static str {
        self.0.alpha3_b
    }
}

impl PartialEq for Language {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}
impl Eq for Language {}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({})", self.code())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Language::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_639_1_and_639_2b() {
        assert_eq!(Language::parse("pol").unwrap().code(), "pl");
        assert_eq!(Language::parse("cze").unwrap().code(), "cs");
        assert_eq!(Language::parse("ces").unwrap().alpha3_b(), "cze");
        assert_eq!(Language::parse("DE").unwrap().alpha3_b(), "ger");
        assert_eq!(
            Language::parse("xx").unwrap_err().code(),
            "invalid_language"
        );
    }
}
