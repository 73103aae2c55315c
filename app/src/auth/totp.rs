//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) and
//! single-use recovery codes.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use sha1::Sha1;

const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;
/// Steps either side of now still accepted, for clock drift.
const DRIFT_STEPS: i64 = 1;
pub const RECOVERY_CODE_COUNT: usize = 10;

/// A new 160-bit secret, base32 as authenticator apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

/// The `otpauth://` URI an authenticator app scans.
pub fn provisioning_uri(secret: &str, issuer: &str, account: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(account)
    )
}

/// The code for one step.
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(format!(
        "{:0width$}",
        bin % 10u32.pow(DIGITS),
        width = DIGITS as usize
    ))
}

pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The step `code` is valid for around `unix_seconds`, if any step after `last_used`
/// matches: a code is accepted once, even within its window.
pub fn verify(secret: &str, code: &str, unix_seconds: i64, last_used: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|step| last_used.is_none_or(|used| *step > used))
        .find(|step| code_at(secret, *step).is_some_and(|expected| expected == code))
}

/// Fresh recovery codes, shown once: `xxxxx-xxxxx` from an unambiguous alphabet.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let mut code = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    code.push('-');
                }
                let pick = (rng.next_u32() as usize) % ALPHABET.len();
                code.push(char::from(ALPHABET[pick]));
            }
            code
        })
        .collect()
}

/// The form a recovery code is compared in: lower-case, no spaces or dashes.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn percent_encode(text: &str) -> String {
    crate::text::percent_encode(text, b"@")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA1 seed "12345678901234567890", truncated to 6 digits.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        for (time, expected) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(&secret, step_at(time)).as_deref(), Some(expected));
        }
    }

    #[test]
    fn a_code_is_accepted_with_drift_but_only_once() {
        let secret = new_secret();
        let now = 1_700_000_000;
        let code = code_at(&secret, step_at(now) - 1).expect("code");
        let step = verify(&secret, &code, now, None).expect("previous step accepted");
        assert_eq!(verify(&secret, &code, now, Some(step)), None);
        assert_eq!(verify(&secret, "12345", now, None), None);
        assert_eq!(verify(&secret, "abcdef", now, None), None);
        let stale = code_at(&secret, step_at(now) - 3).expect("code");
        assert_eq!(verify(&secret, &stale, now, None), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalise() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        assert_eq!(normalize_recovery_code(" ABCDE-fghij "), "abcdefghij");
    }

    #[test]
    fn the_uri_names_issuer_and_account() {
        let uri = provisioning_uri("SECRET", "Acme Voice", "a@b.co");
        assert!(uri.starts_with("otpauth://totp/Acme%20Voice:a@b.co?secret=SECRET"));
        assert!(uri.contains("issuer=Acme%20Voice"));
    }
}
