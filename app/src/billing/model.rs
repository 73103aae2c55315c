//! Billing rules both sides share.

use serde::{Deserialize, Serialize};

/// What a minute costs a workspace unless an organisation admin sets otherwise.
pub const DEFAULT_WORKSPACE_RATE_CENTS: i32 = 20;
/// What a minute of a billing-exempt workspace costs its partner.
pub const DEFAULT_PARTNER_RATE_CENTS: i32 = 15;
/// Below this a workspace's balance is shown as low.
pub const DEFAULT_WORKSPACE_LOW_BALANCE_CENTS: i64 = 500;
pub const DEFAULT_PARTNER_LOW_BALANCE_CENTS: i64 = 1000;

/// Whole minutes billed for a call: every started minute counts.
pub fn billed_minutes(duration_seconds: i32) -> i32 {
    if duration_seconds <= 0 {
        0
    } else {
        (duration_seconds + 59) / 60
    }
}

/// Kinds of ledger entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    Topup,
    Usage,
    Refund,
    Adjustment,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Topup => "topup",
            Self::Usage => "usage",
            Self::Refund => "refund",
            Self::Adjustment => "adjustment",
        }
    }
}

/// `$1.23` from cents (negative amounts keep their sign in front).
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}${}.{:02}", cents / 100, cents % 100)
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
    fn amounts_read_as_dollars() {
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(1234), "$12.34");
        assert_eq!(dollars(-60), "-$0.60");
    }
}
