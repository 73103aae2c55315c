//! What the dashboard and the analytics page show: totals, days, and distributions over a
//! window of days, optionally for one agent.

use serde::{Deserialize, Serialize};

use crate::calls::model::CallRow;

/// Windows a person may pick, in days.
pub const WINDOWS: [u32; 4] = [7, 14, 30, 90];

/// A window from the address: one of [`WINDOWS`], else 7 (the dashboard) or 30.
pub fn window(text: Option<&str>, default: u32) -> u32 {
    window_days(
        text.and_then(|t| t.parse().ok()).unwrap_or(default),
        default,
    )
}

/// `days` when it is one of [`WINDOWS`], else `default`.
pub fn window_days(days: u32, default: u32) -> u32 {
    if WINDOWS.contains(&days) {
        days
    } else {
        default
    }
}

/// One day of calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub date: chrono::NaiveDate,
    pub calls: u64,
    pub answered: u64,
    pub seconds: i64,
    pub cents: i64,
}

/// One part of a whole (an outcome, a duration band, a sentiment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// Totals over a window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub calls: u64,
    /// Calls a person answered.
    pub answered: u64,
    /// Calls the provider judged to have reached their goal (when it judged).
    pub successful: u64,
    pub judged: u64,
    pub seconds: i64,
    pub cents: i64,
}

impl Totals {
    /// Reached their goal among those judged, or else answered among all, in percent.
    pub fn success_percent(&self) -> u64 {
        let (part, whole) = if self.judged > 0 {
            (self.successful, self.judged)
        } else {
            (self.answered, self.calls)
        };
        crate::text::percent(part, whole)
    }

    pub fn average_seconds(&self) -> i64 {
        if self.calls == 0 {
            0
        } else {
            self.seconds / self.calls as i64
        }
    }

    pub fn average_cents(&self) -> i64 {
        if self.calls == 0 {
            0
        } else {
            self.cents / self.calls as i64
        }
    }
}

/// How one agent did over the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPerformance {
    pub agent_id: uuid::Uuid,
    pub name: String,
    pub provider: String,
    pub totals: Totals,
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
}

/// The workspace dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub days: u32,
    pub agents: u64,
    pub conversations: u64,
    /// Minutes billed this month (every started minute of each call).
    pub month_minutes: i64,
    pub month_cents: i64,
    pub per_day: Vec<Day>,
    pub outcomes: Vec<Slice>,
    pub recent: Vec<CallRow>,
}

/// The analytics page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analytics {
    pub days: u32,
    pub agent_id: Option<uuid::Uuid>,
    pub agent_options: Vec<(uuid::Uuid, String)>,
    pub totals: Totals,
    pub per_day: Vec<Day>,
    pub outcomes: Vec<Slice>,
    pub durations: Vec<Slice>,
    pub sentiments: Vec<Slice>,
    pub agents: Vec<AgentPerformance>,
}

/// Duration bands, in whole minutes: `(key, label, up to seconds)`.
pub const DURATION_BANDS: [(&str, &str, i32); 5] = [
    ("0-1", "Under 1 min", 60),
    ("1-2", "1–2 min", 120),
    ("2-5", "2–5 min", 300),
    ("5-10", "5–10 min", 600),
    ("10+", "10 min or more", i32::MAX),
];

/// The band a call of `seconds` falls in.
pub fn duration_band(seconds: i32) -> usize {
    DURATION_BANDS
        .iter()
        .position(|(_, _, upto)| seconds < *upto)
        .unwrap_or(DURATION_BANDS.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_one_of_the_choices() {
        assert_eq!(window(Some("14"), 7), 14);
        assert_eq!(window(Some("13"), 7), 7);
        assert_eq!(window(Some("x"), 30), 30);
        assert_eq!(window(None, 30), 30);
    }

    #[test]
    fn durations_fall_in_bands() {
        assert_eq!(duration_band(0), 0);
        assert_eq!(duration_band(59), 0);
        assert_eq!(duration_band(60), 1);
        assert_eq!(duration_band(299), 2);
        assert_eq!(duration_band(600), 4);
    }

    #[test]
    fn success_prefers_the_providers_judgement() {
        let t = Totals {
            calls: 10,
            answered: 8,
            successful: 3,
            judged: 4,
            seconds: 600,
            cents: 200,
        };
        assert_eq!(t.success_percent(), 75);
        let unjudged = Totals {
            judged: 0,
            successful: 0,
            ..t.clone()
        };
        assert_eq!(unjudged.success_percent(), 80);
        assert_eq!(t.average_seconds(), 60);
        assert_eq!(Totals::default().success_percent(), 0);
    }
}
