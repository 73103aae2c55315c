//! What a campaign is made of, and its checks, reported per field: weekly calling windows
//! (08:00–21:00 in each person's own time), retries per outcome, variables from the list's
//! columns, concurrency, the dates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RecipientOutcome;
use crate::error::{AddFieldError, FieldErrors};

/// Minutes since midnight.
pub type Minute = u16;

/// One weekly calling window: `day` 0 = Monday … 6 = Sunday, from `start` to `end`
/// (minutes since midnight, end excluded), in the recipient's own time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub day: u8,
    pub start: Minute,
    pub end: Minute,
}

/// The earliest and latest a window may reach: calls between 8 in the morning and 9 at
/// night, the person's local time, as telemarketing rules (such as the US TCPA) require.
pub const EARLIEST: Minute = 8 * 60;
pub const LATEST: Minute = 21 * 60;

pub const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `HH:MM` of a minute of the day.
pub fn clock(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A minute of the day from `HH:MM`.
pub fn parse_clock(text: &str) -> Option<Minute> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (Minute, Minute) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

/// The weekly calling windows: weekdays 9:00 to 20:00 unless set otherwise.
pub fn default_windows() -> Vec<Window> {
    (0..5)
        .map(|day| Window {
            day,
            start: 9 * 60,
            end: 20 * 60,
        })
        .collect()
}

/// What to do after a call that did not reach the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retry {
    /// The most calls a recipient gets while this keeps happening (the first included).
    pub attempts: u8,
    /// How long to wait before the next.
    pub delay_minutes: u32,
}

/// Retries per outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub no_answer: Retry,
    pub busy: Retry,
    pub voicemail: Retry,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            no_answer: Retry {
                attempts: 3,
                delay_minutes: 60,
            },
            busy: Retry {
                attempts: 3,
                delay_minutes: 15,
            },
            voicemail: Retry {
                attempts: 2,
                delay_minutes: 240,
            },
        }
    }
}

impl RetryPolicy {
    /// The retry rule for an outcome, if the outcome is retried at all.
    pub fn for_outcome(&self, outcome: RecipientOutcome) -> Option<Retry> {
        match outcome {
            RecipientOutcome::NoAnswer => Some(self.no_answer),
            RecipientOutcome::Busy => Some(self.busy),
            RecipientOutcome::Voicemail => Some(self.voicemail),
            _ => None,
        }
    }
}

pub const MAX_ATTEMPTS: u8 = 10;
pub const MIN_RETRY_MINUTES: u32 = 1;
pub const MAX_RETRY_MINUTES: u32 = 7 * 24 * 60;
pub const MAX_CONCURRENCY: u16 = 100;
pub const MAX_NAME: usize = 120;
pub const MAX_DESCRIPTION: usize = 2000;
/// The most recipients one campaign holds.
pub const MAX_RECIPIENTS: usize = 100_000;

/// Where one of the agent's `{{placeholders}}` takes its value at call time: the
/// recipient's `column` when it has one there, else `default`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableSource {
    pub name: String,
    pub column: Option<String>,
    #[serde(default)]
    pub default: String,
}

/// The settings a campaign is made of; the wizard saves them step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignSettings {
    pub name: String,
    pub description: String,
    pub agent_id: Option<Uuid>,
    /// IANA zone: for recipients whose own is not known.
    pub time_zone: String,
    /// ISO 3166 alpha-2: how numbers written without their country code are read.
    pub default_country: String,
    /// None: at launch.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub windows: Vec<Window>,
    pub concurrency: u16,
    pub retry: RetryPolicy,
    pub variables: Vec<VariableSource>,
}

impl Default for CampaignSettings {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            agent_id: None,
            time_zone: "America/New_York".into(),
            default_country: "US".into(),
            starts_at: None,
            ends_at: None,
            windows: default_windows(),
            concurrency: 5,
            retry: RetryPolicy::default(),
            variables: vec![],
        }
    }
}

impl CampaignSettings {
    /// Checks what can be checked without the database or the time-zone table; the
    /// server adds the zone, the agent and the limits.
    pub fn check(&self, now: DateTime<Utc>) -> FieldErrors {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Give the campaign a name.");
        } else if name.chars().count() > MAX_NAME {
            errors.add(
                "name",
                format!("Keep the name to {MAX_NAME} characters or fewer."),
            );
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            errors.add(
                "description",
                format!("Keep the description to {MAX_DESCRIPTION} characters or fewer."),
            );
        }
        let country = self.default_country.trim();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            errors.add(
                "default_country",
                "Choose a country, as its two-letter code (US, GB, …).",
            );
        }
        if let (Some(start), Some(end)) = (self.starts_at, self.ends_at)
            && end <= start
        {
            errors.add("ends_at", "The end must come after the start.");
        }
        if let Some(end) = self.ends_at
            && end <= now
        {
            errors.add("ends_at", "The end must be in the future.");
        }
        check_windows(&self.windows, &mut errors);
        if !(1..=MAX_CONCURRENCY).contains(&self.concurrency) {
            errors.add(
                "concurrency",
                format!("Calls at once must be between 1 and {MAX_CONCURRENCY}."),
            );
        }
        for (field, retry) in [
            ("no_answer", self.retry.no_answer),
            ("busy", self.retry.busy),
            ("voicemail", self.retry.voicemail),
        ] {
            if !(1..=MAX_ATTEMPTS).contains(&retry.attempts) {
                errors.add(
                    format!("retry.{field}.attempts"),
                    format!("Attempts must be between 1 and {MAX_ATTEMPTS}."),
                );
            }
            if !(MIN_RETRY_MINUTES..=MAX_RETRY_MINUTES).contains(&retry.delay_minutes) {
                errors.add(
                    format!("retry.{field}.delay_minutes"),
                    format!(
                        "Wait at least {MIN_RETRY_MINUTES} minute and at most {} days.",
                        MAX_RETRY_MINUTES / (24 * 60)
                    ),
                );
            }
        }
        for (i, variable) in self.variables.iter().enumerate() {
            if !crate::variables::model::is_variable_name(&variable.name) {
                errors.add(
                    format!("variables.{i}.name"),
                    "A variable name is lower-case letters, digits and underscores, starting with a letter.",
                );
            }
            if variable.default.chars().count() > 500 {
                errors.add(
                    format!("variables.{i}.default"),
                    "Keep a default to 500 characters or fewer.",
                );
            }
        }
        errors
    }
}

/// Windows must each be on a day, start before they end, lie between 8:00 and 21:00, and
/// not overlap another window of their day.
pub fn check_windows(windows: &[Window], errors: &mut FieldErrors) {
    if windows.is_empty() {
        errors.add("windows", "Add at least one calling window.");
    }
    if windows.len() > 7 * 6 {
        errors.add("windows", "Keep to six windows a day.");
    }
    for (i, w) in windows.iter().enumerate() {
        let field = format!("windows.{i}");
        if w.day > 6 {
            errors.add(&field, "Choose a day of the week.");
            continue;
        }
        if w.start >= w.end {
            errors.add(&field, "A window must start before it ends.");
        } else if w.start < EARLIEST || w.end > LATEST {
            errors.add(
                &field,
                format!(
                    "Calls may only be made between {} and {} in the person's own time.",
                    clock(EARLIEST),
                    clock(LATEST)
                ),
            );
        } else if windows[..i]
            .iter()
            .any(|o| o.day == w.day && o.start < w.end && w.start < o.end)
        {
            errors.add(
                &field,
                format!(
                    "This {} window overlaps another; join them into one.",
                    DAY_NAMES[usize::from(w.day)]
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CampaignSettings {
        CampaignSettings {
            name: "Spring recall".into(),
            ..CampaignSettings::default()
        }
    }

    #[test]
    fn the_defaults_pass_once_named() {
        assert!(settings().check(Utc::now()).is_empty());
        assert!(
            CampaignSettings::default()
                .check(Utc::now())
                .contains_key("name")
        );
    }

    #[test]
    fn windows_stay_inside_calling_hours_and_apart() {
        let mut s = settings();
        s.windows = vec![
            Window {
                day: 0,
                start: 7 * 60,
                end: 10 * 60,
            },
            Window {
                day: 1,
                start: 9 * 60,
                end: 12 * 60,
            },
            Window {
                day: 1,
                start: 11 * 60,
                end: 13 * 60,
            },
            Window {
                day: 2,
                start: 10 * 60,
                end: 10 * 60,
            },
            Window {
                day: 9,
                start: 10 * 60,
                end: 11 * 60,
            },
        ];
        let errors = s.check(Utc::now());
        assert!(errors["windows.0"][0].contains("between 08:00 and 21:00"));
        assert!(!errors.contains_key("windows.1"));
        assert!(errors["windows.2"][0].contains("Tuesday window overlaps"));
        assert!(errors["windows.3"][0].contains("start before it ends"));
        assert!(errors["windows.4"][0].contains("day of the week"));
    }

    #[test]
    fn retries_concurrency_and_dates_are_bounded() {
        let now = Utc::now();
        let mut s = settings();
        s.retry.busy.attempts = 0;
        s.retry.voicemail.delay_minutes = 0;
        s.concurrency = 0;
        s.starts_at = Some(now + chrono::Duration::days(2));
        s.ends_at = Some(now + chrono::Duration::days(1));
        s.default_country = "usa".into();
        let errors = s.check(now);
        for field in [
            "retry.busy.attempts",
            "retry.voicemail.delay_minutes",
            "concurrency",
            "ends_at",
            "default_country",
        ] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn clocks_read_and_write() {
        assert_eq!(parse_clock("09:30"), Some(570));
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("9:60"), None);
        assert_eq!(clock(570), "09:30");
    }
}
