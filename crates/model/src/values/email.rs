use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ValueError;

/// An e-mail address: syntactically valid, trimmed, with a lower-case domain. Customers are
/// paired on [`key`](Email::key), which ignores case altogether.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses an address; the domain must contain a dot (`jan@localhost` is rejected, as a
    /// shop could never deliver to it).
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let trimmed = raw.trim();
        let invalid = || ValueError::Email(raw.to_string());
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        if !email_address::EmailAddress::is_valid(trimmed) {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// A value read back from storage, which held only valid ones: not parsed again.
    /// Stores write [`as_str`](Self::as_str) or [`key`](Self::key) and give it back here.
    pub fn trusted(value: String) -> Self {
        Self(value)
    }

    /// The address as written (domain in lower case).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive pairing key.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowers_the_domain() {
        let e = Email::parse(" Jan.Kowalski@Poczta.PL ").unwrap();
        assert_eq!(e.as_str(), "Jan.Kowalski@poczta.pl");
        assert_eq!(e.key(), "jan.kowalski@poczta.pl");
    }

    #[test]
    fn rejects_what_a_shop_cannot_mail() {
        for bad in [
            "",
            "jan",
            "jan@",
            "@poczta.pl",
            "jan@localhost",
            "jan kowalski@poczta.pl",
            "jan@@poczta.pl",
            "jan@poczta..pl",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_email", "{bad}");
        }
    }
}
