//! What the super-admin pages show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One email in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: Uuid,
    pub kind: String,
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub status: String,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}
