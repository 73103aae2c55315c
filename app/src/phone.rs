//! Phone numbers in E.164, the one form providers take: `+`, the country code and the
//! national number, up to 15 digits. A number is checked once, where it comes in (by
//! libphonenumber's rules on the server), and travels as an [`E164`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// A phone number known to be in E.164.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct E164(String);

impl E164 {
    /// `text` exactly as written, if it is a valid number in E.164.
    pub fn parse(text: &str) -> Option<Self> {
        Self::from_typed(text).filter(|number| number.0 == text)
    }

    /// A number as people type it: spaces, dashes, dots and brackets are dropped, and a
    /// leading `00` (the international prefix) reads as `+`. The country code must be
    /// there, since a local number cannot be guessed. On the server the number must be one
    /// libphonenumber knows as valid for its country (length, area and range); the browser
    /// checks only its shape, to keep libphonenumber's metadata out of the bundle.
    pub fn from_typed(text: &str) -> Option<Self> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let international = match cleaned.strip_prefix("00") {
            Some(rest) => format!("+{rest}"),
            None => cleaned,
        };
        let digits = international.strip_prefix('+')?;
        let shaped = (7..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0');
        if !shaped {
            return None;
        }
        #[cfg(feature = "ssr")]
        {
            let number = phonenumber::parse(None, &international).ok()?;
            number
                .is_valid()
                .then(|| Self(number.format().mode(phonenumber::Mode::E164).to_string()))
        }
        #[cfg(not(feature = "ssr"))]
        Some(Self(international))
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
        assert!(E164::parse("+442079460000").is_some());
        assert!(E164::parse("14155550100").is_none(), "no plus");
        assert!(
            E164::parse("+1415555").is_none(),
            "the right shape, but no number of its country is that short"
        );
        assert!(
            E164::parse("+11235550100").is_none(),
            "no North American area code starts with 1"
        );
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
