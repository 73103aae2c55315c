//! What the campaign pages and their server functions send: progress, a campaign whole or
//! in a list, an import's outcome, the launch preview, the wizard's data, recipients.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    AttemptState, CampaignSettings, CampaignStatus, DncSource, PauseReason, RecipientOutcome,
    RecipientStatus,
};

/// How many recipients stand where, for a campaign's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub total: u64,
    pub queued: u64,
    pub calling: u64,
    pub completed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub cancelled: u64,
    /// By last outcome.
    pub answered: u64,
    pub no_answer: u64,
    pub busy: u64,
    pub voicemail: u64,
    pub callbacks: u64,
    pub do_not_call: u64,
    /// Calls placed so far (every attempt).
    pub calls: u64,
}

impl Progress {
    /// Recipients done with (nothing more will happen to them), in whole percent.
    pub fn percent_done(&self) -> u64 {
        if self.total == 0 {
            return 0;
        }
        (self.total - self.queued - self.calling) * 100 / self.total
    }
}

/// A campaign in the workspace's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub id: Uuid,
    pub name: String,
    pub status: CampaignStatus,
    pub pause_reason: Option<PauseReason>,
    pub agent_name: Option<String>,
    pub progress: Progress,
    pub starts_at: Option<DateTime<Utc>>,
    /// When its next call falls due (the earliest queued recipient's time, which is
    /// inside their window); none when nobody is queued.
    pub next_call: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One campaign, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignDetail {
    pub id: Uuid,
    pub settings: CampaignSettings,
    pub status: CampaignStatus,
    pub pause_reason: Option<PauseReason>,
    pub pause_detail: Option<String>,
    pub agent_name: Option<String>,
    /// The wizard's furthest step.
    pub step: i32,
    pub source_name: Option<String>,
    pub progress: Progress,
    /// Rows of imported lists that could not be used.
    pub rejected: u64,
    pub launched_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The agent's placeholders with the list's first recipient's values, for a test call
    /// (filled in by `campaigns/get`).
    pub test_values: Vec<(String, String)>,
}

/// The minutes over which a campaign's pace is measured.
pub const PACE_MINUTES: i64 = 5;
/// Attempts a campaign's activity feed shows.
pub const ACTIVITY_ITEMS: u64 = 12;

/// How a campaign is moving now, for its live page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pulse {
    /// Calls being placed or under way.
    pub in_flight: u64,
    /// The most the campaign places at once.
    pub concurrency: u32,
    /// Calls started in the last [`PACE_MINUTES`].
    pub started_recently: u64,
    /// Minutes until everyone still queued has been called at the current pace (retries
    /// not counted); none while nothing is moving.
    pub eta_minutes: Option<u64>,
    /// The newest attempts, newest first.
    pub activity: Vec<Activity>,
}

impl Pulse {
    /// Calls started per minute, over the last [`PACE_MINUTES`].
    pub fn per_minute(&self) -> f64 {
        self.started_recently as f64 / PACE_MINUTES as f64
    }
}

/// One attempt in a campaign's activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// When it last moved: ended, placed or claimed.
    pub at: DateTime<Utc>,
    pub phone: String,
    pub name: Option<String>,
    /// The recipient's how-manyth call.
    pub number: i32,
    pub state: AttemptState,
    pub outcome: Option<RecipientOutcome>,
    pub error: Option<String>,
    pub conversation_id: Option<Uuid>,
}

/// A placeholder's value chosen for a test call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub rows: u64,
    pub added: u64,
    /// Numbers already on the list (in the file twice, or from before).
    pub merged: u64,
    pub rejected: u64,
}

/// Before launch: who will be called and who not, and what it may cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchPreview {
    pub recipients: u64,
    pub will_call: u64,
    pub do_not_call: u64,
    pub no_window: u64,
    /// Rows of the imported lists that were not taken, by reason.
    pub invalid: u64,
    pub duplicate: u64,
    pub other_rejects: u64,
    /// How long calling everyone once may take at the campaign's concurrency.
    pub estimated_minutes: u64,
    /// What that may cost at the workspace's rate.
    pub estimated_cents: i64,
    /// Why it cannot launch yet, if it cannot.
    pub problems: Vec<String>,
}

/// An agent the wizard offers, and whether it can place a campaign's calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentChoice {
    pub id: Uuid,
    pub name: String,
    pub provider: String,
    /// Why it cannot make the calls, if it cannot.
    pub problem: Option<String>,
}

/// A column of the imported list, and the variable its values are kept under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub header: String,
    pub variable: Option<String>,
}

/// A row of an imported list that was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectRow {
    pub row: i32,
    pub phone: String,
    pub reason: String,
    pub detail: String,
}

/// Everything the wizard's steps show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardData {
    pub detail: Option<CampaignDetail>,
    pub agents: Vec<AgentChoice>,
    pub columns: Vec<ColumnInfo>,
    /// The agent's `{{placeholders}}` (greeting and prompt).
    pub placeholders: Vec<String>,
    /// The first recipient's greeting and prompt with their values filled in.
    pub preview_recipient: Option<String>,
    pub preview_greeting: String,
    pub preview_prompt: String,
    /// The first rows not taken.
    pub rejects: Vec<RejectRow>,
    pub launch: Option<LaunchPreview>,
    /// A new campaign's zone: the workspace's, else New York's.
    pub default_time_zone: String,
}

/// One recipient in a campaign's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientRow {
    pub id: Uuid,
    pub phone: String,
    pub name: Option<String>,
    pub status: RecipientStatus,
    pub outcome: Option<RecipientOutcome>,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The last call, to open.
    pub conversation_id: Option<Uuid>,
}

/// A page of a campaign's recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientPage {
    pub rows: Vec<RecipientRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

pub const RECIPIENT_PAGE_SIZE: u64 = 50;

/// The numbers a page shows of do-not-call lists, and how many the lists hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncList {
    pub entries: Vec<DncEntry>,
    pub total: u64,
}

/// Numbers a page shows of each do-not-call list (the export has them all).
pub const DNC_SHOWN: u64 = 200;

/// A number on a do-not-call list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncEntry {
    pub phone: String,
    pub reason: Option<String>,
    pub source: DncSource,
    /// Whether it is the organisation's list (else the workspace's own).
    pub organisation: bool,
    pub created_at: DateTime<Utc>,
}
