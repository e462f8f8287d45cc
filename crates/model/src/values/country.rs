use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ValueError;
use crate::iso::{COUNTRIES, CountryEntry};

/// Alpha-2 and alpha-3 codes, lower-cased, to their entry.
static COUNTRIES_BY_CODE: std::sync::LazyLock<crate::iso::CodeIndex> =
    std::sync::LazyLock::new(|| crate::iso::index(COUNTRIES.iter().map(|c| [c.alpha2, c.alpha3])));

/// An ISO 3166-1 country, written as its upper-case alpha-2 code (`PL`).
#[derive(Clone, Copy)]
pub struct Country(&'static CountryEntry);

impl Country {
    /// Parses an alpha-2 or alpha-3 code in any case, or a country name in English, Polish,
    /// Czech, Slovak or Bulgarian (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let wanted = raw.trim();
        let found = crate::iso::by_code(&COUNTRIES_BY_CODE, wanted)
            .map(|i| &COUNTRIES[i])
            .or_else(|| {
                let lower = wanted.to_lowercase();
                COUNTRIES
                    .iter()
                    .find(|c| c.names.iter().any(|n| n.to_lowercase() == lower))
            });
        found
            .map(Country)
            .ok_or_else(|| ValueError::Country(raw.to_string()))
    }

    /// The alpha-2 code, upper case.
    pub fn code(&self) -> &'static str {
        self.0.alpha2
    }

    /// The English short name.
    pub fn name(&self) -> &'static str {
        self.0.names[0]
    }
}

impl PartialEq for Country {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}
impl Eq for Country {}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Country::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_in_the_shop_languages() {
        for raw in ["pl", "PL", "POL", "Polska", "Poland", "polsko"] {
            assert_eq!(Country::parse(raw).unwrap().code(), "PL", "{raw}");
        }
        assert_eq!(Country::parse("Česká republika").unwrap().code(), "CZ");
        assert_eq!(Country::parse("Slovenská republika").unwrap().code(), "SK");
        assert_eq!(Country::parse("България").unwrap().code(), "BG");
        assert_eq!(
            Country::parse("Narnia").unwrap_err().code(),
            "invalid_country"
        );
    }
}
