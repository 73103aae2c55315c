//! Campaigns: a list of people an outbound agent calls, inside each person's own calling
//! windows, with retries per outcome. Shared by the server and the browser: the statuses,
//! the settings a campaign is made of, and their checks, reported per field.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::names::stored_enum;

stored_enum! {
    /// Where a campaign stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CampaignStatus {
        /// Being built; nothing is called.
        Draft = "draft",
        /// Launched, waiting for its start time.
        Scheduled = "scheduled",
        /// Calling whoever is due, inside their windows.
        Running = "running",
        /// Stopped by a person, or by the workspace running out of credit.
        Paused = "paused",
        /// Nobody left who can still be called.
        Completed = "completed",
        /// Ended by a person, or by its end date.
        Cancelled = "cancelled",
    }
}

impl CampaignStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Scheduled => "Scheduled",
            Self::Running => "Running",
            Self::Paused => "Paused",
            Self::Completed => "Completed",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether the campaign is over: nothing it holds will be called again.
    pub fn is_over(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }
}

stored_enum! {
    /// Why a paused campaign is paused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PauseReason {
        /// A person paused it; a person resumes it.
        Manual = "manual",
        /// The workspace ran out of credit; it resumes by itself when credit returns.
        Credit = "credit",
        /// Calls could not be placed (the agent, its integration or the caller ID); the
        /// detail says what to fix, then a person resumes it.
        Setup = "setup",
    }
}

impl PauseReason {
    pub fn explain(self) -> &'static str {
        match self {
            Self::Manual => "Paused by a person in this workspace.",
            Self::Credit => {
                "Paused because the workspace is out of credit; it resumes by itself when credit is added."
            }
            Self::Setup => {
                "Paused because its calls could not be placed; fix the cause, then resume."
            }
        }
    }
}

stored_enum! {
    /// Where one recipient stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RecipientStatus {
        /// To be called when due (`next_attempt_at`, none meaning at once) and inside a window.
        Queued = "queued",
        /// A call is being placed or is under way.
        Calling = "calling",
        /// Reached.
        Completed = "completed",
        /// Not reached, and no attempts left.
        Failed = "failed",
        /// Never called: on the do-not-call list, or no window before the end date.
        Skipped = "skipped",
        /// The campaign was cancelled before they were reached.
        Cancelled = "cancelled",
    }
}

impl RecipientStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Queued",
            Self::Calling => "Calling",
            Self::Completed => "Completed",
            Self::Failed => "Failed",
            Self::Skipped => "Skipped",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether nothing more will happen to the recipient.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Queued | Self::Calling)
    }
}

stored_enum! {
    /// What happened to a recipient last: a call's outcome, or why they were not called.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RecipientOutcome {
        Answered = "answered",
        /// Answered, and asked to be called back at a time (the next attempt's).
        Callback = "callback",
        NoAnswer = "no_answer",
        Busy = "busy",
        Voicemail = "voicemail",
        /// The call failed (the provider's words are kept).
        Failed = "failed",
        /// The number cannot be called.
        InvalidNumber = "invalid_number",
        /// On a do-not-call list, or asked not to be called again.
        DoNotCall = "do_not_call",
        /// No calling window before the campaign's end.
        NoWindow = "no_window",
    }
}

impl RecipientOutcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Answered => "Answered",
            Self::Callback => "Callback",
            Self::NoAnswer => "No answer",
            Self::Busy => "Busy",
            Self::Voicemail => "Voicemail",
            Self::Failed => "Failed",
            Self::InvalidNumber => "Invalid number",
            Self::DoNotCall => "Do not call",
            Self::NoWindow => "No window",
        }
    }
}

stored_enum! {
    /// One call placed for a recipient, or being placed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AttemptState {
        /// Claimed; the provider has not confirmed a call yet.
        Placing = "placing",
        /// The provider took the call; its outcome comes through the call's events.
        Placed = "placed",
        /// The call ended and its outcome was recorded.
        Ended = "ended",
        /// The provider refused the call.
        Failed = "failed",
    }
}

stored_enum! {
    /// How a number came onto a do-not-call list.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DncSource {
        /// Added by a person.
        Manual = "manual",
        /// From an imported list.
        Import = "import",
        /// The person asked, on a call, not to be called again.
        Request = "request",
    }
}

/// The job that calls a campaign's due recipients (`campaigns::dialer`). Declared with the
/// shared types so whatever frees a slot or makes someone due (a call's outcome, a
/// resume, a launch) can wake it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchCampaign {
    pub campaign_id: Uuid,
}

mod pages;
mod settings;
pub use pages::*;
pub use settings::*;
