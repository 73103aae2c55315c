//! What a call is made of, as pages see it.

use serde::{Deserialize, Serialize};

use super::highlight::Piece;
use crate::billing::model::BilledTo;
use crate::integrations::model::AgentProvider;
use crate::names::stored_enum;

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// `agent`, `user` or `tool`.
    pub role: String,
    pub text: String,
    /// Seconds from the start of the call.
    pub seconds: f32,
}

stored_enum! {
    /// Where a call is: the first three while it runs, the last four once it is over.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CallStatus {
        #[default]
        Initiated = "initiated",
        Ringing = "ringing",
        InProgress = "in_progress",
        Completed = "completed",
        Failed = "failed",
        NoAnswer = "no_answer",
        Busy = "busy",
    }
}

impl CallStatus {
    /// The statuses of a call that has not ended.
    pub const RUNNING: [Self; 3] = [Self::Initiated, Self::Ringing, Self::InProgress];

    /// Whether a call in this status is over.
    pub fn is_final(self) -> bool {
        !Self::RUNNING.contains(&self)
    }

    /// How far along the call is: a stored call only ever moves to a higher stage, so
    /// late or repeated news cannot move it back.
    pub fn stage(self) -> u8 {
        match self {
            Self::Initiated => 0,
            Self::Ringing => 1,
            Self::InProgress => 2,
            Self::Completed | Self::Failed | Self::NoAnswer | Self::Busy => 3,
        }
    }

    /// The status as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Initiated => "Initiated",
            Self::Ringing => "Ringing",
            Self::InProgress => "In progress",
            Self::Completed => "Completed",
            Self::Failed => "Failed",
            Self::NoAnswer => "No answer",
            Self::Busy => "Busy",
        }
    }
}

stored_enum! {
    /// Where a call went: to the agent, from it, or from a browser.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CallDirection {
        Inbound = "inbound",
        Outbound = "outbound",
        Web = "web",
    }
}

impl CallDirection {
    pub fn label(self) -> &'static str {
        match self {
            Self::Inbound => "Inbound",
            Self::Outbound => "Outbound",
            Self::Web => "Web",
        }
    }
}

/// How a call turned out, as the calls page groups it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Answered,
    Voicemail,
    NoAnswer,
    Busy,
    Failed,
    InProgress,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Answered,
        Outcome::Voicemail,
        Outcome::NoAnswer,
        Outcome::Busy,
        Outcome::Failed,
        Outcome::InProgress,
    ];

    /// From a call's status and the provider's end reason.
    pub fn of(status: CallStatus, end_reason: Option<&str>) -> Self {
        match status {
            CallStatus::Completed if end_reason.is_some_and(is_voicemail) => Self::Voicemail,
            CallStatus::Completed => Self::Answered,
            CallStatus::NoAnswer => Self::NoAnswer,
            CallStatus::Busy => Self::Busy,
            CallStatus::Failed => Self::Failed,
            CallStatus::Initiated | CallStatus::Ringing | CallStatus::InProgress => {
                Self::InProgress
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Voicemail => "voicemail",
            Self::NoAnswer => "no_answer",
            Self::Busy => "busy",
            Self::Failed => "failed",
            Self::InProgress => "in_progress",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Answered => "Answered",
            Self::Voicemail => "Voicemail",
            Self::NoAnswer => "No answer",
            Self::Busy => "Busy",
            Self::Failed => "Failed",
            Self::InProgress => "In progress",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// End reasons that mean a machine, not a person, took the call.
pub fn is_voicemail(end_reason: &str) -> bool {
    let reason = end_reason.to_ascii_lowercase();
    reason.contains("voicemail") || reason.contains("machine")
}

/// One call in the calls table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRow {
    pub id: uuid::Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub agent_id: Option<uuid::Uuid>,
    pub agent_name: Option<String>,
    pub provider: AgentProvider,
    pub direction: CallDirection,
    pub phone_number: Option<String>,
    pub caller_name: Option<String>,
    pub duration_seconds: i32,
    pub status: CallStatus,
    pub outcome: Outcome,
    pub sentiment: Option<String>,
    /// What the workspace was charged.
    pub billed_cents: i64,
    pub is_test: bool,
    /// Where the search matched, when searching.
    pub snippet: Option<Vec<Piece>>,
}

/// Totals over every call the filters select (not just the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallStats {
    pub total: u64,
    pub answered: u64,
    pub total_seconds: i64,
    pub billed_minutes: i64,
    pub billed_cents: i64,
}

impl CallStats {
    /// Answered calls among those that have ended, in whole percent.
    pub fn answered_percent(&self) -> u64 {
        crate::text::percent(self.answered, self.total)
    }

    pub fn average_seconds(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.total_seconds / self.total as i64
        }
    }
}

/// A page of the calls table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallPage {
    pub rows: Vec<CallRow>,
    pub stats: CallStats,
    pub page: u32,
    pub total_pages: u32,
    /// The workspace's agents, for the agent filter.
    pub agents: Vec<(uuid::Uuid, String)>,
    /// Which search answered, when searching.
    pub searched_with: Option<SearchedWith>,
    /// The workspace has an Algolia integration.
    pub algolia: bool,
}

/// Which search found the calls shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchedWith {
    BuiltIn,
    Algolia,
    /// Algolia did not answer (the reason); the built-in search did.
    BuiltInInsteadOfAlgolia(String),
}

/// `m:ss` (or `h:mm:ss`) for a duration.
pub fn clock(seconds: i32) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_status_and_end_reason() {
        assert_eq!(
            Outcome::of(CallStatus::Completed, Some("customer-ended-call")),
            Outcome::Answered
        );
        assert_eq!(
            Outcome::of(CallStatus::Completed, Some("voicemail")),
            Outcome::Voicemail
        );
        assert_eq!(
            Outcome::of(CallStatus::Completed, Some("machine_detected")),
            Outcome::Voicemail
        );
        assert_eq!(Outcome::of(CallStatus::NoAnswer, None), Outcome::NoAnswer);
        assert_eq!(Outcome::of(CallStatus::Ringing, None), Outcome::InProgress);
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
    }

    #[test]
    fn durations_read_as_clocks() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(65), "1:05");
        assert_eq!(clock(3725), "1:02:05");
    }

    #[test]
    fn calls_only_move_forward() {
        use CallStatus::*;
        assert!(Initiated.stage() < Ringing.stage());
        assert!(Ringing.stage() < InProgress.stage());
        for s in [Completed, Failed, NoAnswer, Busy] {
            assert!(s.is_final());
            assert!(InProgress.stage() < s.stage());
        }
        assert_eq!(CallStatus::ALL.iter().filter(|s| s.is_final()).count(), 4);
        assert!(CallStatus::RUNNING.iter().all(|s| !s.is_final()));
    }
}

/// Everything the call page shows about one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDetail {
    pub row: CallRow,
    pub external_id: String,
    pub transcript: Vec<Turn>,
    pub summary: Option<String>,
    pub end_reason: Option<String>,
    pub recording_url: Option<String>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    pub successful: Option<bool>,
    /// What the provider says the call cost us.
    pub provider_cost_cents: i64,
    pub billed_minutes: i32,
    /// `workspace` or `partner`, once charged.
    pub billed_to: Option<BilledTo>,
    /// The next newer and next older call of the workspace.
    pub newer: Option<uuid::Uuid>,
    pub older: Option<uuid::Uuid>,
}

/// What asking the providers about open calls found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepSummary {
    pub asked: u32,
    pub updated: u32,
    pub errors: u32,
}
