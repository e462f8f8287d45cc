use std::fmt;

/// A password hash, never a plain password. Kept in PHC string form (`$argon2id$v=19$...`)
/// or, for a hash imported from another platform, as `algorithm:hash`, so that it keeps
/// its algorithm tag. Its `Debug` output is redacted: hashes must not reach logs.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps an encoded hash as read from a file or the store.
    pub fn from_encoded(encoded: impl Into<String>) -> Self {
        Self(encoded.into())
    }

    /// The encoded form, for the store and for exports that explicitly ask for hashes.
    pub fn encoded(&self) -> &str {
        &self.0
    }

    /// The hashing algorithm (`argon2id`, `bcrypt`, `md5`, ...).
    pub fn algorithm(&self) -> &str {
        match self.0.strip_prefix('$') {
            Some(phc) => phc.split('$').next().unwrap_or(""),
            None => self.0.split(':').next().unwrap_or(""),
        }
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PasswordHash({}, redacted)", self.algorithm())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_its_algorithm_and_hides_itself() {
        let h = PasswordHash::from_encoded("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        assert_eq!(h.algorithm(), "argon2id");
        assert_eq!(format!("{h:?}"), "PasswordHash(argon2id, redacted)");
        assert_eq!(PasswordHash::from_encoded("md5:abc").algorithm(), "md5");
    }
}
