//! Validated account inputs, compiled for the browser and the server alike.

use serde::{Deserialize, Serialize};

use crate::names::stored_enum;

stored_enum! {
    /// Whether an account can sign in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum UserStatus {
        Active = "active",
        /// Signed up; the address is not confirmed yet.
        Unverified = "unverified",
    }
}

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, String> {
        let email = text.trim().to_lowercase();
        let Some((local, domain)) = email.split_once('@') else {
            return Err("Enter an email address like name@example.com.".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || !domain_ok
            || email.contains(char::is_whitespace)
            || domain.contains('@')
        {
            return Err("Enter an email address like name@example.com.".into());
        }
        if email.len() > 254 {
            return Err("Email addresses are at most 254 characters.".into());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What enrolling an authenticator app shows: the QR code and the secret to type instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaEnrollment {
    pub secret: String,
    pub uri: String,
    /// A self-contained SVG drawing, rendered as an image.
    pub qr_svg: String,
}

/// Two-factor state for the account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaState {
    pub enabled: bool,
    pub recovery_codes_left: u64,
    /// An enrolment begun and not yet confirmed with a first code.
    pub enrolling: Option<MfaEnrollment>,
    /// Recovery codes just issued, shown on this one page load only.
    pub new_recovery_codes: Vec<String>,
}

/// Where a sign-in goes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginOutcome {
    /// Signed in; open this path.
    SignedIn { redirect: String },
    /// Password accepted; a second-factor code is owed.
    SecondFactor,
    /// Signed up (or asked again): the next step is the link emailed to this address.
    CheckEmail { email: String },
}

impl LoginOutcome {
    /// Where a completed sign-in goes; `None` while a step is still owed.
    pub fn signed_in_to(&self) -> Option<String> {
        match self {
            Self::SignedIn { redirect } => Some(redirect.clone()),
            Self::SecondFactor | Self::CheckEmail { .. } => None,
        }
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

/// Every rule of the password policy a password breaks, each as a sentence to show.
pub fn password_problems(password: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if password.chars().count() < MIN_PASSWORD_LEN {
        problems.push("Use at least 12 characters.");
    }
    if password.chars().count() > 128 {
        problems.push("Use at most 128 characters.");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        problems.push("Add an upper-case letter.");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        problems.push("Add a lower-case letter.");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        problems.push("Add a digit.");
    }
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        problems.push("Add a symbol such as ! or #.");
    }
    problems
}

/// A same-site path to return to after sign-in; anything else is ignored.
pub fn safe_redirect(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.contains("://")
        && !path.chars().any(char::is_control);
    ok.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_followed_after_sign_in() {
        assert_eq!(safe_redirect("/w/demo"), Some("/w/demo"));
        assert_eq!(safe_redirect("//evil.example"), None);
        assert_eq!(safe_redirect("https://evil.example"), None);
        assert_eq!(safe_redirect("/\\evil.example"), None);
        assert_eq!(safe_redirect("w/demo"), None);
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").map(|e| e.0),
            Ok("ada@example.com".into())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a da@example.com",
            "ada@.example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_strong_password_breaks_no_rule() {
        assert!(password_problems("Correct-Horse-9").is_empty());
    }

    #[test]
    fn each_broken_rule_is_named() {
        assert_eq!(
            password_problems("short"),
            vec![
                "Use at least 12 characters.",
                "Add an upper-case letter.",
                "Add a digit.",
                "Add a symbol such as ! or #."
            ]
        );
        assert_eq!(
            password_problems("ALLUPPERCASE1!"),
            vec!["Add a lower-case letter."]
        );
    }
}
