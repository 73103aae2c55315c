//! argon2id password hashing. Hashing is slow on purpose, so it runs off the async threads,
//! and at most one hash per core runs at once: each takes 19 MiB and a core for a moment,
//! so a flood of sign-ins waits briefly for a turn and is then told to come back (503 with
//! `Retry-After`) instead of growing memory and latency without bound.

use std::sync::LazyLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::AppError;

/// Hashes running at once: one per core.
static SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));
/// How long a request waits for a turn before it is told to come back.
const WAIT: Duration = Duration::from_secs(3);

async fn turn() -> Result<SemaphorePermit<'static>, AppError> {
    turn_of(&SLOTS, WAIT).await
}

/// A turn among `slots`, waiting at most `wait`; past it, 503 with `Retry-After: 2`.
async fn turn_of(slots: &Semaphore, wait: Duration) -> Result<SemaphorePermit<'_>, AppError> {
    match tokio::time::timeout(wait, slots.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(closed)) => Err(AppError::internal(closed)),
        Err(_) => Err(AppError::busy("checking passwords", 2)),
    }
}

/// Hashes a password into a PHC string.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let salt =
            SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(AppError::internal)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    let _turn = turn().await?;
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash("Correct-Horse-9".into()).await.expect("hashes");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("Correct-Horse-9".into(), phc.clone()).await.unwrap());
        assert!(!verify("Correct-Horse-8".into(), phc).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }

    #[tokio::test]
    async fn past_one_hash_per_core_a_request_is_told_to_come_back() {
        // A pool of its own: the process-wide one is shared with every other test.
        let slots = Semaphore::new(1);
        let wait = Duration::from_millis(50);
        let held = turn_of(&slots, wait).await.unwrap();
        let started = std::time::Instant::now();
        let refused = turn_of(&slots, wait).await.unwrap_err();
        assert_eq!(refused.status(), 503);
        assert_eq!(refused.retry_after(), Some(2));
        assert!(started.elapsed() >= wait);
        drop(held);
        assert!(turn_of(&slots, wait).await.is_ok());
        assert!(
            SLOTS.available_permits() > 0,
            "the pool has a turn per core"
        );
    }
}
