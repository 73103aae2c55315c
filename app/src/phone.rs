//! Phone numbers in E.164, the one form providers take: `+`, then 7 to 15 digits, the
//! first not zero. A number is checked once, where it comes in, and travels as an [`E164`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// A phone number known to be in E.164.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct E164(String);

impl E164 {
    /// `text` exactly as written, if it is E.164.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = text.strip_prefix('+')?;
        let valid = (7..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0');
        valid.then(|| Self(text.to_owned()))
    }

    /// A number as people type it: spaces, dashes, dots and brackets are dropped, and a
    /// leading `00` (the international prefix) reads as `+`. The country code must be
    /// there, since a local number cannot be guessed.
    pub fn from_typed(text: &str) -> Option<Self> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        match cleaned.strip_prefix("00") {
            Some(rest) => Self::parse(&format!("+{rest}")),
            None => Self::parse(&cleaned),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<E164> for String {
    fn from(number: E164) -> Self {
        number.0
    }
}

impl TryFrom<String> for E164 {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not an E.164 phone number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written() {
        assert!(E164::parse("+14155550100").is_some());
        assert!(E164::parse("+1415555").is_some());
        assert!(E164::parse("14155550100").is_none(), "no plus");
        assert!(
            E164::parse("+0123456789").is_none(),
            "no country starts with 0"
        );
        assert!(E164::parse("+141555").is_none(), "too short");
        assert!(E164::parse("+1234567890123456").is_none(), "too long");
        assert!(
            E164::parse("+1 415 555 0100").is_none(),
            "spaces are not E.164"
        );
    }

    #[test]
    fn numbers_as_typed() {
        let number = E164::from_typed(" +1 (415) 555-01.00 ").expect("typed");
        assert_eq!(number.as_str(), "+14155550100");
        assert_eq!(
            E164::from_typed("0044 20 7946 0000").map(String::from),
            Some("+442079460000".to_owned())
        );
        assert!(
            E164::from_typed("415 555 0100").is_none(),
            "no country code"
        );
    }

    #[test]
    fn only_valid_numbers_deserialize() {
        let ok: E164 = serde_json::from_str("\"+14155550100\"").expect("valid");
        assert_eq!(ok.to_string(), "+14155550100");
        assert!(serde_json::from_str::<E164>("\"555-0100\"").is_err());
    }
}
