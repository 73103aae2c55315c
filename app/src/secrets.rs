//! Encryption of secrets at rest (provider API keys, SIP passwords, webhook secrets).
//!
//! AES-256-GCM with a random 96-bit nonce per value. A sealed value is base64 of
//! `version ‖ nonce ‖ ciphertext+tag`; the version byte leaves room for key rotation.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::config::SecretKey;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

/// Why a sealed value could not be opened. Never carries the plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("sealed value is not valid base64")]
    Encoding,
    #[error("sealed value has unknown version {0}")]
    Version(u8),
    #[error("sealed value is too short")]
    Truncated,
    #[error("sealed value failed authentication (wrong key or tampered)")]
    Authentication,
    #[error("value is too long to encrypt")]
    TooLong,
}

/// Seals and opens secrets with the deployment's SECRET_KEY.
#[derive(Clone)]
pub struct Vault {
    cipher: Aes256Gcm,
    /// A separate key for derived values, so no output of `derive` relates to the cipher key.
    mac_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

impl Vault {
    pub fn new(key: &SecretKey) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.bytes().into()),
            mac_key: {
                use sha2::Digest;
                let mut hasher = sha2::Sha256::new();
                hasher.update(b"genius365 derived values\0");
                hasher.update(key.bytes());
                hasher.finalize().into()
            },
        }
    }

    /// A stable secret for `label` (hex HMAC-SHA256), such as a workspace's webhook secret:
    /// nothing to store, and it changes when SECRET_KEY does.
    pub fn derive(&self, label: &str) -> String {
        use hmac::{KeyInit as _, Mac};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.mac_key)
            .expect("HMAC takes keys of any length");
        mac.update(label.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn seal(&self, plaintext: &str) -> Result<String, VaultError> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let nonce = Nonce::from_slice(&nonce_bytes);
        // AES-GCM refuses only plaintexts beyond its length limit (about 64 GiB).
        let ciphertext = self
            .cipher
            .encrypt(nonce, plaintext.as_bytes())
            .map_err(|_| VaultError::TooLong)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ciphertext);
        Ok(BASE64.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<String, VaultError> {
        let bytes = BASE64.decode(sealed).map_err(|_| VaultError::Encoding)?;
        let (&version, rest) = bytes.split_first().ok_or(VaultError::Truncated)?;
        if version != VERSION {
            return Err(VaultError::Version(version));
        }
        if rest.len() < NONCE_LEN + 16 {
            return Err(VaultError::Truncated);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let plaintext = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| VaultError::Authentication)?;
        String::from_utf8(plaintext).map_err(|_| VaultError::Authentication)
    }
}

/// The last four characters of a secret: all the browser is ever shown of it.
pub fn last4(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_to_the_same_text() {
        let vault = Vault::new(&SecretKey::generate());
        let sealed = vault.seal("sk_live_abcdef123456").expect("seals");
        assert!(!sealed.contains("sk_live"));
        assert_eq!(vault.open(&sealed).as_deref(), Ok("sk_live_abcdef123456"));
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let vault = Vault::new(&SecretKey::generate());
        assert_ne!(
            vault.seal("same").expect("seals"),
            vault.seal("same").expect("seals")
        );
    }

    #[test]
    fn another_key_or_a_flipped_bit_is_rejected() {
        let vault = Vault::new(&SecretKey::generate());
        let sealed = vault.seal("secret").expect("seals");
        let other = Vault::new(&SecretKey::generate());
        assert_eq!(other.open(&sealed), Err(VaultError::Authentication));

        let mut bytes = BASE64.decode(&sealed).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(
            vault.open(&BASE64.encode(bytes)),
            Err(VaultError::Authentication)
        );
    }

    #[test]
    fn malformed_values_get_specific_errors() {
        let vault = Vault::new(&SecretKey::generate());
        assert_eq!(vault.open("***"), Err(VaultError::Encoding));
        assert_eq!(vault.open(""), Err(VaultError::Truncated));
        assert_eq!(
            vault.open(&BASE64.encode([9u8; 40])),
            Err(VaultError::Version(9))
        );
        assert_eq!(
            vault.open(&BASE64.encode([1u8; 10])),
            Err(VaultError::Truncated)
        );
    }

    #[test]
    fn only_the_last_four_characters_are_shown() {
        assert_eq!(last4("sk_test_123456789"), "6789");
        assert_eq!(last4("ab"), "ab");
    }
}
