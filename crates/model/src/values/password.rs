use std::fmt;

use argon2::password_hash::{PasswordHasher, SaltString};
use rand_core::OsRng;

/// A password hash, never a plain password. Kept in PHC string form (`$argon2id$v=19$...`)
/// or, for a hash imported from another platform, as `algorithm:hash`, so that it keeps
/// its algorithm tag. Its `Debug` output is redacted: hashes must not reach logs.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps an encoded hash as read from the store or an element that holds hashes only.
    pub fn from_encoded(encoded: impl Into<String>) -> Self {
        Self(encoded.into())
    }

    /// Reads what a person put in a password cell or field: a hash in a form we know is
    /// kept as it is; anything else is a plain password and is hashed here, at once.
    pub fn read(text: &str) -> Self {
        if is_hash(text) {
            Self(text.to_string())
        } else {
            Self::of_plain(text)
        }
    }

    /// Hashes a plain password with argon2id and the crate's recommended parameters.
    pub fn of_plain(plain: &str) -> Self {
        let salt = SaltString::generate(&mut OsRng);
        let hash = argon2::Argon2::default()
            .hash_password(plain.as_bytes(), &salt)
            .expect("argon2 with default parameters accepts any password");
        Self(hash.to_string())
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

/// Algorithms of `algorithm:hash` values (what other platforms' exports carry).
const TAGGED: &[&str] = &[
    "md5", "sha1", "sha256", "sha512", "bcrypt", "phpass", "pbkdf2", "scrypt", "argon2",
];

/// True for text shaped like a password hash: a PHC or crypt string (`$argon2id$...`,
/// `$2y$10$...`, `$P$...`), `algorithm:hex` with a known algorithm, or a bare MD5, SHA-1,
/// SHA-256 or SHA-512 in hex. A plain password of that shape is not plausible.
fn is_hash(text: &str) -> bool {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let printable = |s: &str| s.bytes().all(|b| b.is_ascii_graphic());
    if let Some(crypt) = text.strip_prefix('$') {
        let mut parts = crypt.split('$');
        let id = parts.next().unwrap_or("");
        return text.len() >= 20
            && printable(text)
            && !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && parts.count() >= 1;
    }
    if let Some((algorithm, value)) = text.split_once(':') {
        return TAGGED.contains(&algorithm) && value.len() >= 16 && printable(value);
    }
    matches!(text.len(), 32 | 40 | 64 | 128) && hex(text)
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

    #[test]
    fn a_plain_password_is_hashed_and_a_hash_kept() {
        use argon2::PasswordVerifier;
        let plain = PasswordHash::read("tajne123");
        assert_eq!(plain.algorithm(), "argon2id");
        assert_ne!(
            plain.encoded(),
            PasswordHash::read("tajne123").encoded(),
            "salted"
        );
        let parsed = argon2::password_hash::PasswordHash::new(plain.encoded()).unwrap();
        assert!(
            argon2::Argon2::default()
                .verify_password(b"tajne123", &parsed)
                .is_ok()
        );
        for hash in [
            plain.encoded(),
            "$2y$10$abcdefghijklmnopqrstuuJ3bSxEZjWq2J3cC6xM1eZqWQeVq1aKe",
            "$P$BCwHiJ0BkIOjrn2cH4lD6tMFVFcSr01",
            "md5:5f4dcc3b5aa765d61d8327deb882cf99",
            "5f4dcc3b5aa765d61d8327deb882cf99",
        ] {
            assert_eq!(PasswordHash::read(hash).encoded(), hash);
        }
        for plain in [
            "$ecret",
            "md5:short",
            "haslo:1234567890abcdef",
            "5f4dcc3b5aa765d6",
        ] {
            assert_eq!(PasswordHash::read(plain).algorithm(), "argon2id", "{plain}");
        }
    }
}
