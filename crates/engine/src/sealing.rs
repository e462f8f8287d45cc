//! Source credentials at rest: sealed with ChaCha20-Poly1305 under a key that never
//! leaves the machine. The key comes from `CUSTIO_CREDENTIALS_KEY` (32 bytes in base64),
//! else from `credentials.key` in the data directory, created on first use readable by
//! its owner only. Without the key, a copy of the database reveals no credentials.

use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand_core::{OsRng, RngCore};

use crate::EngineError;

/// The environment variable that holds the key, in base64.
pub const KEY_VARIABLE: &str = "CUSTIO_CREDENTIALS_KEY";
/// The key file's name in the data directory.
pub const KEY_FILE: &str = "credentials.key";

const NONCE: usize = 12;

/// Seals and opens credentials.
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl Sealer {
    /// The sealer of this installation: the key of the environment, else the data
    /// directory's key file (created when missing).
    pub fn of(data_dir: &Path) -> Result<Sealer, EngineError> {
        let key = match std::env::var(KEY_VARIABLE) {
            Ok(encoded) => decode(encoded.trim()).ok_or(EngineError::SealingKey(format!(
                "{KEY_VARIABLE} is not 32 bytes in base64"
            )))?,
            Err(_) => key_file(&data_dir.join(KEY_FILE))?,
        };
        Ok(Sealer {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    /// `plain`, sealed: a fresh nonce, then the ciphertext and its tag.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE];
        OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain)
            .expect("ChaCha20-Poly1305 seals any message that fits in memory");
        [nonce.as_slice(), &sealed].concat()
    }

    /// What [`seal`](Self::seal) sealed; an error when the key is another or the bytes
    /// were changed.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, EngineError> {
        if sealed.len() < NONCE {
            return Err(EngineError::SealingKey(
                "sealed credentials are cut short".into(),
            ));
        }
        let (nonce, data) = sealed.split_at(NONCE);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), data)
            .map_err(|_| {
                EngineError::SealingKey(
                    "the credentials were sealed with another key (was credentials.key replaced?)"
                        .into(),
                )
            })
    }
}

fn decode(encoded: &str) -> Option<[u8; 32]> {
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?
        .try_into()
        .ok()
}

/// Reads the key file, or creates it (owner-only) with a new random key.
fn key_file(path: &Path) -> Result<[u8; 32], EngineError> {
    let failed = |e: std::io::Error| EngineError::SealingKey(format!("{}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) => decode(text.trim()).ok_or(EngineError::SealingKey(format!(
            "{} does not hold 32 bytes in base64",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(failed)?;
            }
            let mut key = [0u8; 32];
            OsRng.fill_bytes(&mut key);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut file) => {
                    let encoded = base64::engine::general_purpose::STANDARD.encode(key);
                    file.write_all(encoded.as_bytes()).map_err(failed)?;
                    file.sync_all().map_err(failed)?;
                    Ok(key)
                }
                // Another process created it first: that one is the key.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => key_file(path),
                Err(e) => Err(failed(e)),
            }
        }
        Err(e) => Err(failed(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_credentials_open_with_the_same_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let sealer = Sealer::of(dir.path()).unwrap();
        let sealed = sealer.seal(b"cs_secret");
        assert!(!sealed.windows(9).any(|w| w == b"cs_secret"));
        assert_eq!(
            Sealer::of(dir.path()).unwrap().open(&sealed).unwrap(),
            b"cs_secret"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = tempfile::tempdir().unwrap();
        assert!(Sealer::of(other.path()).unwrap().open(&sealed).is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(sealer.open(&tampered).is_err());
    }
}
