use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ValueError;

/// A phone number reduced to its digits and an optional leading `+`, the form every
/// platform accepts (UPgates requires it). Formatting such as spaces, dashes, dots and
/// brackets is dropped; letters are an error.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// Parses a number written with the usual separators (`+48 123-123-123`, `(12) 345 67 89`).
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let trimmed = raw.trim();
        let mut out = String::with_capacity(trimmed.len());
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => out.push(c),
                '+' if i == 0 => out.push(c),
                ' ' | '\u{a0}' | '-' | '.' | '/' | '(' | ')' => {}
                _ => return Err(ValueError::Phone(raw.to_string())),
            }
        }
        let digits = out.trim_start_matches('+').len();
        if !(3..=20).contains(&digits) {
            return Err(ValueError::Phone(raw.to_string()));
        }
        Ok(Self(out))
    }

    /// A value read back from storage, which held only valid ones: not parsed again.
    pub(crate) fn trusted(value: String) -> Self {
        Self(value)
    }

    /// The cleaned number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Phone::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_digits_and_leading_plus() {
        assert_eq!(
            Phone::parse("+48 123-123-123").unwrap().as_str(),
            "+48123123123"
        );
        assert_eq!(
            Phone::parse("(12) 345.67/89").unwrap().as_str(),
            "123456789"
        );
    }

    #[test]
    fn rejects_letters_and_inner_plus() {
        assert!(Phone::parse("call me").is_err());
        assert!(Phone::parse("12+34").is_err());
        assert!(Phone::parse("12").is_err());
    }
}
