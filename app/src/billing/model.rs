//! Billing rules both sides share.

use serde::{Deserialize, Serialize};

use crate::names::stored_enum;

/// What a minute costs a workspace unless an organisation admin sets otherwise.
pub const DEFAULT_WORKSPACE_RATE_CENTS: i32 = 20;
/// What a minute of a billing-exempt workspace costs its partner.
pub const DEFAULT_PARTNER_RATE_CENTS: i32 = 15;
/// Below this a workspace's balance is shown as low.
pub const DEFAULT_WORKSPACE_LOW_BALANCE_CENTS: i64 = 500;
pub const DEFAULT_PARTNER_LOW_BALANCE_CENTS: i64 = 1000;

/// Credit every workspace starts with, booked once when its wallet is opened.
pub const FREE_TIER_GRANT_CENTS: i64 = 1000;
/// The per-minute rates an organisation admin may set for a workspace.
pub const RATE_RANGE_CENTS: std::ops::RangeInclusive<i32> = 1..=1000;
/// The largest single manual grant or adjustment ($100,000).
pub const MAX_ADJUSTMENT_CENTS: i64 = 10_000_000;

/// What a wallet holds, as credit is worked out from it (`billing::service::credits_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletFigures {
    pub balance_cents: i64,
    pub low_balance_threshold_cents: i64,
}

/// A workspace's credit as its billing page and banner show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credits {
    pub balance_cents: i64,
    pub rate_cents: i32,
    pub low_balance_threshold_cents: i64,
    /// Minutes are charged to the organisation instead.
    pub billing_exempt: bool,
    /// Read-only until credit is added.
    pub paywalled: bool,
}

impl Credits {
    /// Whole minutes the balance still pays for.
    pub fn minutes_left(&self) -> i64 {
        if self.rate_cents <= 0 || self.balance_cents <= 0 {
            0
        } else {
            self.balance_cents / i64::from(self.rate_cents)
        }
    }

    pub fn is_low(&self) -> bool {
        !self.billing_exempt && self.balance_cents < self.low_balance_threshold_cents
    }
}

/// One booked ledger entry, for the history tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: uuid::Uuid,
    pub kind: EntryKind,
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    pub description: String,
    pub conversation_id: Option<uuid::Uuid>,
    /// Who booked it by hand, when someone did.
    pub actor: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A page of a wallet's ledger, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub entries: Vec<LedgerEntry>,
    pub page: u32,
    pub total_pages: u32,
}

/// One workspace on the organisation's billing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceBilling {
    pub workspace_id: uuid::Uuid,
    pub name: String,
    pub slug: String,
    pub credits: Credits,
}

/// An amount of money in whole cents, negative when it is taken away. What a person types
/// as dollars becomes one once, through [`Cents::parse_dollars`]; it shows as dollars.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    /// What a person types as dollars: `25`, `25.5`, `$1,000.00`, `-5` (a minus takes
    /// credit away). At most two decimals and [`MAX_ADJUSTMENT_CENTS`]; never zero.
    pub fn parse_dollars(input: &str) -> Result<Self, String> {
        parse_dollars(input).map(Self)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The amount without its sign.
    pub fn magnitude(self) -> Self {
        Self(self.0.saturating_abs())
    }
}

impl std::fmt::Display for Cents {
    /// `$1.23`, `-$0.60`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        write!(f, "{sign}${}.{:02}", cents / 100, cents % 100)
    }
}

fn parse_dollars(input: &str) -> Result<i64, String> {
    let text: String = input.trim().chars().filter(|c| *c != ',').collect();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.as_str()),
    };
    let text = text.strip_prefix('$').unwrap_or(text);
    if text.is_empty() {
        return Err("Enter an amount in dollars, such as 25 or 12.50.".into());
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) || whole.is_empty() && digits(fraction))
        || !fraction.is_empty() && !digits(fraction)
    {
        return Err(format!("\"{}\" is not an amount in dollars.", input.trim()));
    }
    if fraction.len() > 2 {
        return Err("Amounts have at most two decimals (whole cents).".into());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| "That amount is too large.".to_string())?
    };
    let cents: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let total = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .filter(|t| *t <= MAX_ADJUSTMENT_CENTS)
        .ok_or_else(|| format!("At most {} at a time.", dollars(MAX_ADJUSTMENT_CENTS)))?;
    if total == 0 {
        return Err("The amount cannot be zero.".into());
    }
    Ok(if negative { -total } else { total })
}

/// A per-minute rate in cents from the form, within [`RATE_RANGE_CENTS`].
pub fn parse_rate(input: &str) -> Result<i32, String> {
    let range = RATE_RANGE_CENTS;
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|r| range.contains(r))
        .ok_or_else(|| {
            format!(
                "Enter a whole number of cents from {} to {}.",
                range.start(),
                range.end()
            )
        })
}

/// The longest a call can last (24 hours). A provider report outside 0 to this is refused
/// where it is read, so no arithmetic ever sees it.
pub const MAX_CALL_SECONDS: i32 = 24 * 60 * 60;

/// Whole minutes billed for a call: every started minute counts. Durations outside a day
/// are clamped (they are refused before they get here), so the result is 0 to 1,440.
pub fn billed_minutes(duration_seconds: i32) -> i32 {
    let seconds = duration_seconds.clamp(0, MAX_CALL_SECONDS);
    (seconds + 59) / 60
}

stored_enum! {
    /// Kinds of ledger entries.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum EntryKind {
        Topup = "topup",
        Usage = "usage",
        Refund = "refund",
        Adjustment = "adjustment",
    }
}

stored_enum! {
    /// The wallet a call was charged to: its workspace's, or the organisation's for a
    /// billing-exempt workspace.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum BilledTo {
        Workspace = "workspace",
        Partner = "partner",
    }
}

/// `$1.23` from cents (negative amounts keep their sign in front): [`Cents`] shown.
pub fn dollars(cents: i64) -> String {
    Cents(cents).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_started_minute_is_billed() {
        assert_eq!(billed_minutes(0), 0);
        assert_eq!(billed_minutes(-5), 0);
        assert_eq!(billed_minutes(1), 1);
        assert_eq!(billed_minutes(60), 1);
        assert_eq!(billed_minutes(61), 2);
        assert_eq!(billed_minutes(125), 3);
    }

    #[test]
    fn typed_dollars_become_cents() {
        assert_eq!(Cents::parse_dollars("25").map(|c| c.0), Ok(2500));
        assert_eq!(Cents::parse_dollars(" $12.5 ").map(|c| c.0), Ok(1250));
        assert_eq!(Cents::parse_dollars("1,000.05").map(|c| c.0), Ok(100_005));
        assert_eq!(Cents::parse_dollars("-5").map(|c| c.0), Ok(-500));
        assert_eq!(Cents::parse_dollars(".75").map(|c| c.0), Ok(75));
        assert_eq!(
            Cents::parse_dollars("100000").map(|c| c.0),
            Ok(MAX_ADJUSTMENT_CENTS)
        );
        for bad in [
            "",
            "abc",
            "1.234",
            "0",
            "0.00",
            "1e3",
            "1.2.3",
            "--5",
            "100000.01",
            "$",
        ] {
            assert!(
                Cents::parse_dollars(bad).map(|c| c.0).is_err(),
                "{bad:?} was accepted"
            );
        }
        assert!(
            Cents::parse_dollars("99999999999999999999")
                .map(|c| c.0)
                .is_err()
        );
    }

    #[test]
    fn rates_stay_in_range() {
        assert_eq!(parse_rate("20"), Ok(20));
        assert_eq!(parse_rate(" 1000 "), Ok(1000));
        for bad in ["0", "1001", "-3", "2.5", "twenty", ""] {
            assert!(parse_rate(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn minutes_left_and_low_balance() {
        let credits = Credits {
            balance_cents: 450,
            rate_cents: 20,
            low_balance_threshold_cents: 500,
            billing_exempt: false,
            paywalled: false,
        };
        assert_eq!(credits.minutes_left(), 22);
        assert!(credits.is_low());
        let exempt = Credits {
            billing_exempt: true,
            ..credits.clone()
        };
        assert!(!exempt.is_low());
        let negative = Credits {
            balance_cents: -40,
            ..credits
        };
        assert_eq!(negative.minutes_left(), 0);
    }

    #[test]
    fn amounts_read_as_dollars() {
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(1234), "$12.34");
        assert_eq!(dollars(-60), "-$0.60");
    }
}
