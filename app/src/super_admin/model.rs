//! What the super-admin pages show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::email::model::{EmailKind, EmailStatus};

/// One email in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: Uuid,
    pub kind: EmailKind,
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub status: EmailStatus,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The job queue at a glance (`/super-admin/jobs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobQueue {
    /// Per kind: jobs waiting, running and dead.
    pub depth: Vec<KindDepth>,
    /// Dead jobs, and waiting ones whose last attempt failed, newest change first.
    pub troubled: Vec<JobRow>,
    /// Workers heard from, most recent heartbeat first.
    pub workers: Vec<WorkerBeat>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDepth {
    pub kind: String,
    pub queued: i64,
    pub running: i64,
    pub dead: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub dead: bool,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// When it runs next (a waiting job).
    pub run_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerBeat {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub beat_at: DateTime<Utc>,
}

/// One kind of email as it would be sent, for the preview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreview {
    pub kind: EmailKind,
    pub subject: String,
    pub from: String,
    pub html: String,
    pub text: String,
}

/// Every email, in one organisation's brand, and the organisations to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreviews {
    pub organisation: String,
    pub organisations: Vec<(Uuid, String)>,
    pub emails: Vec<EmailPreview>,
}
