//! Plain passwords arriving in a file are hashed at once (argon2id); only the hash is kept.

use argon2::password_hash::{PasswordHasher, SaltString};
use custio_model::PasswordHash;
use rand_core::OsRng;

/// Hashes a plain password with argon2id and the crate's recommended parameters.
pub fn hash_plain(plain: &str) -> PasswordHash {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(plain.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password");
    PasswordHash::from_encoded(hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let a = hash_plain("tajne123");
        let b = hash_plain("tajne123");
        assert_eq!(a.algorithm(), "argon2id");
        assert_ne!(a.encoded(), b.encoded());
        let parsed = argon2::password_hash::PasswordHash::new(a.encoded()).unwrap();
        assert!(
            argon2::Argon2::default()
                .verify_password(b"tajne123", &parsed)
                .is_ok()
        );
    }
}
