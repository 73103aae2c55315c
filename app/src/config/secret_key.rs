//! The key that seals secrets at rest, and its file under the data directory when the
//! environment gives none.

use std::fmt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::{ConfigError, bad};

/// The 32-byte key that encrypts secrets at rest. Its `Debug` never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = BASE64.decode(text.trim()).map_err(|_| {
            "must be base64 (for example from `openssl rand -base64 32`)".to_owned()
        })?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("must decode to 32 bytes, got {}", b.len()))?;
        Ok(Self(bytes))
    }

    pub fn generate() -> Self {
        Self(rand::random())
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

pub(super) fn load_or_create_key(path: &Path) -> Result<SecretKey, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => SecretKey::from_base64(&text)
            .map_err(|reason| bad("SECRET_KEY", format!("file {} {reason}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| bad("DATA_DIR", e.to_string()))?;
            }
            // Written whole under a name of its own, then linked into place: processes
            // starting together (a server and its workers) never read a half-written key,
            // and the first link wins; the others read the winner's key.
            let unwritable = |e: std::io::Error| {
                bad(
                    "SECRET_KEY",
                    format!("file {} cannot be written: {e}", path.display()),
                )
            };
            let draft = path.with_extension(format!("{}.new", uuid::Uuid::now_v7().simple()));
            write_private(&draft, &key.to_base64()).map_err(unwritable)?;
            let linked = std::fs::hard_link(&draft, path);
            let _ = std::fs::remove_file(&draft);
            match linked {
                Ok(()) => Ok(key),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_key(path),
                Err(e) => Err(unwritable(e)),
            }
        }
        Err(e) => Err(bad(
            "SECRET_KEY",
            format!("file {} cannot be read: {e}", path.display()),
        )),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_starting_together_make_one_key_and_all_read_it() {
        let dir = std::env::temp_dir().join(format!("g365-key-{}", uuid::Uuid::now_v7().simple()));
        let path = dir.join("secret.key");
        let keys: Vec<String> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| load_or_create_key(&path).map(|k| k.to_base64())))
                .collect();
            starts
                .into_iter()
                .map(|s| s.join().expect("no panic").expect("a key"))
                .collect()
        });
        let on_disk = std::fs::read_to_string(&path).expect("the key file");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("the folder").collect();
        let _ = std::fs::remove_dir_all(&dir);

        assert!(keys.iter().all(|k| *k == on_disk), "{keys:?}");
        assert_eq!(left.len(), 1, "no draft left behind");
    }

    #[test]
    fn secret_keys_never_print() {
        assert_eq!(format!("{:?}", SecretKey::generate()), "SecretKey(..)");
    }
}
