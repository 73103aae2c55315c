//! Encryption of secrets at rest (provider API keys, authenticator secrets, tool secrets).
//!
//! AES-256-GCM with a random 96-bit nonce per value, and **associated data naming what the
//! value is and whose** ([`Place`]: `partner_integrations.secret:{id}`,
//! `user_mfa.secret:{user}`, …). The tag covers it, so a sealed value copied to another row,
//! another column or another tenant (from a backup, by a bug, by someone with database
//! access) does not open there.
//!
//! A sealed value is base64 of `2 ‖ key id ‖ nonce ‖ ciphertext+tag`. The key id (a byte
//! derived from the key) selects which of the configured keys opens it, so the key can be
//! rotated: set the new `SECRET_KEY`, keep the old one in `SECRET_KEY_PREVIOUS`, run
//! `server rotate-key` (every value re-sealed under the new key, in batches), then drop the
//! old one. Values sealed before places existed (version 1: no key id, no associated data)
//! still open with the current key, and `rotate-key` re-seals them bound to their place.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::config::SecretKey;

/// Version 1: `1 ‖ nonce ‖ ciphertext+tag`, no associated data (read only).
const LEGACY: u8 = 1;
/// Version 2: `2 ‖ key id ‖ nonce ‖ ciphertext+tag`, bound to its place.
const VERSION: u8 = 2;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Why a sealed value could not be opened. Never carries the plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("sealed value is not valid base64")]
    Encoding,
    #[error("sealed value has unknown version {0}")]
    Version(u8),
    #[error("sealed value is too short")]
    Truncated,
    #[error("sealed value was sealed with a key this server does not have")]
    UnknownKey,
    #[error("sealed value failed authentication (wrong key, wrong place or tampered)")]
    Authentication,
    #[error("value is too long to encrypt")]
    TooLong,
}

/// Where a sealed value lives: its purpose (table and column, or a slot inside a JSON
/// document) and the row that owns it. Bound into the ciphertext as associated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place(String);

impl Place {
    /// `purpose` names the column or slot (`partner_integrations.secret`); `owner` the
    /// row (its id) and anything else the value must stay with.
    pub fn new(purpose: &str, owner: impl std::fmt::Display) -> Self {
        Self(format!("genius365/{purpose}/{owner}"))
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

#[derive(Clone)]
struct Key {
    id: u8,
    cipher: Aes256Gcm,
}

impl Key {
    fn new(key: &SecretKey) -> Self {
        use sha2::Digest;
        let id = sha2::Sha256::new()
            .chain_update(b"genius365 key id\0")
            .chain_update(key.bytes())
            .finalize()[0];
        Self {
            id,
            cipher: Aes256Gcm::new(key.bytes().into()),
        }
    }
}

/// Seals and opens secrets with the deployment's SECRET_KEY (and, while a rotation is under
/// way, opens with the previous ones).
/// Clones share the keys: the application state is cloned for every request.
#[derive(Clone)]
pub struct Vault {
    keys: std::sync::Arc<Keys>,
}

struct Keys {
    current: Key,
    previous: Vec<Key>,
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
        Self::with_previous(key, &[])
    }

    /// A vault that seals with `key` and also opens what `previous` keys sealed.
    pub fn with_previous(key: &SecretKey, previous: &[SecretKey]) -> Self {
        let keys = Keys {
            current: Key::new(key),
            previous: previous.iter().map(Key::new).collect(),
            mac_key: {
                use sha2::Digest;
                let mut hasher = sha2::Sha256::new();
                hasher.update(b"genius365 derived values\0");
                hasher.update(key.bytes());
                hasher.finalize().into()
            },
        };
        Self {
            keys: std::sync::Arc::new(keys),
        }
    }

    /// A stable secret for `label` (hex HMAC-SHA256), such as a workspace's webhook secret:
    /// nothing to store, and it changes when SECRET_KEY does.
    pub fn derive(&self, label: &str) -> String {
        use hmac::{KeyInit as _, Mac};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.keys.mac_key)
            .expect("HMAC takes keys of any length");
        mac.update(label.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Seals `plaintext` for `place` under the current key.
    pub fn seal(&self, place: &Place, plaintext: &str) -> Result<String, VaultError> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        // AES-GCM refuses only plaintexts beyond its length limit (about 64 GiB).
        let ciphertext = self
            .keys
            .current
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce_bytes),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: place.bytes(),
                },
            )
            .map_err(|_| VaultError::TooLong)?;
        let mut out = Vec::with_capacity(2 + NONCE_LEN + ciphertext.len());
        out.push(VERSION);
        out.push(self.keys.current.id);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ciphertext);
        Ok(BASE64.encode(out))
    }

    /// Opens a value sealed for `place`; a value sealed for any other place fails.
    pub fn open(&self, place: &Place, sealed: &str) -> Result<String, VaultError> {
        let bytes = BASE64.decode(sealed).map_err(|_| VaultError::Encoding)?;
        let (&version, rest) = bytes.split_first().ok_or(VaultError::Truncated)?;
        let plaintext = match version {
            VERSION => {
                let (&key_id, rest) = rest.split_first().ok_or(VaultError::Truncated)?;
                let (nonce, ciphertext) = split(rest)?;
                // Key ids are one byte: two keys may share one, so each is tried.
                let mut keys = std::iter::once(&self.keys.current)
                    .chain(&self.keys.previous)
                    .filter(|k| k.id == key_id)
                    .peekable();
                if keys.peek().is_none() {
                    return Err(VaultError::UnknownKey);
                }
                keys.find_map(|k| {
                    k.cipher
                        .decrypt(
                            Nonce::from_slice(nonce),
                            Payload {
                                msg: ciphertext,
                                aad: place.bytes(),
                            },
                        )
                        .ok()
                })
                .ok_or(VaultError::Authentication)?
            }
            LEGACY => {
                let (nonce, ciphertext) = split(rest)?;
                self.keys
                    .current
                    .cipher
                    .decrypt(Nonce::from_slice(nonce), ciphertext)
                    .map_err(|_| VaultError::Authentication)?
            }
            other => return Err(VaultError::Version(other)),
        };
        String::from_utf8(plaintext).map_err(|_| VaultError::Authentication)
    }

    /// Whether `sealed` is already bound to its place under the current key, so a rotation
    /// can skip it.
    pub fn is_current(&self, sealed: &str) -> bool {
        BASE64
            .decode(sealed)
            .is_ok_and(|b| b.first() == Some(&VERSION) && b.get(1) == Some(&self.keys.current.id))
    }

    /// The value re-sealed for `place` under the current key.
    pub fn reseal(&self, place: &Place, sealed: &str) -> Result<String, VaultError> {
        self.seal(place, &self.open(place, sealed)?)
    }
}

fn split(rest: &[u8]) -> Result<(&[u8], &[u8]), VaultError> {
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(VaultError::Truncated);
    }
    Ok(rest.split_at(NONCE_LEN))
}

/// The last four characters of a secret: all the browser is ever shown of it.
pub fn last4(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place::new("partner_integrations.secret", "0190-a")
    }

    #[test]
    fn a_sealed_secret_opens_to_the_same_text_in_its_place_only() {
        let vault = Vault::new(&SecretKey::generate());
        let sealed = vault.seal(&place(), "sk_live_abcdef123456").expect("seals");
        assert!(!sealed.contains("sk_live"));
        assert_eq!(
            vault.open(&place(), &sealed).as_deref(),
            Ok("sk_live_abcdef123456")
        );
        let other_row = Place::new("partner_integrations.secret", "0190-b");
        let other_column = Place::new("partner_integrations.public_key", "0190-a");
        assert_eq!(
            vault.open(&other_row, &sealed),
            Err(VaultError::Authentication)
        );
        assert_eq!(
            vault.open(&other_column, &sealed),
            Err(VaultError::Authentication)
        );
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let vault = Vault::new(&SecretKey::generate());
        assert_ne!(
            vault.seal(&place(), "same").expect("seals"),
            vault.seal(&place(), "same").expect("seals")
        );
    }

    #[test]
    fn another_key_or_a_flipped_bit_is_rejected() {
        let vault = Vault::new(&SecretKey::generate());
        let sealed = vault.seal(&place(), "secret").expect("seals");
        let other = Vault::new(&SecretKey::generate());
        assert!(matches!(
            other.open(&place(), &sealed),
            Err(VaultError::UnknownKey | VaultError::Authentication)
        ));

        let mut bytes = BASE64.decode(&sealed).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(
            vault.open(&place(), &BASE64.encode(bytes)),
            Err(VaultError::Authentication)
        );
    }

    #[test]
    fn a_rotation_opens_old_values_and_reseals_them_under_the_new_key() {
        let (old_key, new_key) = (SecretKey::generate(), SecretKey::generate());
        let old = Vault::new(&old_key);
        let sealed = old.seal(&place(), "secret").expect("seals");
        let rotating = Vault::with_previous(&new_key, &[old_key]);
        assert!(!rotating.is_current(&sealed));
        let resealed = rotating.reseal(&place(), &sealed).expect("reseals");
        assert!(rotating.is_current(&resealed));
        let after = Vault::new(&new_key);
        assert_eq!(after.open(&place(), &resealed).as_deref(), Ok("secret"));
        assert!(
            after.open(&place(), &sealed).is_err(),
            "the old key is gone"
        );
    }

    #[test]
    fn values_sealed_before_places_still_open_and_are_rebound() {
        let key = SecretKey::generate();
        let vault = Vault::new(&key);
        // Version 1, as sealed before: no key id, no associated data.
        let nonce = [7u8; NONCE_LEN];
        let ciphertext = Aes256Gcm::new(key.bytes().into())
            .encrypt(Nonce::from_slice(&nonce), b"legacy".as_slice())
            .expect("seals");
        let legacy = BASE64.encode([&[LEGACY][..], &nonce, &ciphertext].concat());
        assert_eq!(vault.open(&place(), &legacy).as_deref(), Ok("legacy"));
        let rebound = vault.reseal(&place(), &legacy).expect("reseals");
        assert!(vault.is_current(&rebound));
        assert!(vault.open(&Place::new("x", "y"), &rebound).is_err());
    }

    #[test]
    fn malformed_values_get_specific_errors() {
        let vault = Vault::new(&SecretKey::generate());
        assert_eq!(vault.open(&place(), "***"), Err(VaultError::Encoding));
        assert_eq!(vault.open(&place(), ""), Err(VaultError::Truncated));
        assert_eq!(
            vault.open(&place(), &BASE64.encode([9u8; 40])),
            Err(VaultError::Version(9))
        );
        assert_eq!(
            vault.open(&place(), &BASE64.encode([2u8; 10])),
            Err(VaultError::Truncated)
        );
    }

    #[test]
    fn only_the_last_four_characters_are_shown() {
        assert_eq!(last4("sk_test_123456789"), "6789");
        assert_eq!(last4("ab"), "ab");
    }
}
