//! `conversations`: one row per call, stored once per provider call id.

use sea_orm::entity::prelude::*;

use crate::billing::model::BilledTo;
use crate::calls::model::{CallDirection, CallStatus};
use crate::integrations::model::AgentProvider;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub agent_id: Option<Uuid>,
    pub provider: AgentProvider,
    pub external_id: String,
    pub direction: CallDirection,
    pub status: CallStatus,
    pub phone_number: Option<String>,
    pub caller_name: Option<String>,
    pub started_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    pub duration_seconds: i32,
    pub recording_url: Option<String>,
    pub transcript: Json,
    pub summary: Option<String>,
    pub sentiment: Option<String>,
    pub cost_cents: i64,
    pub end_reason: Option<String>,
    pub metadata: Json,
    pub is_test: bool,
    pub billed_minutes: i32,
    pub billed_cents: i64,
    /// The wallet that paid for the call.
    pub billed_to: Option<BilledTo>,
    pub successful: Option<bool>,
    /// The campaign attempt that placed the call (its key).
    pub campaign_attempt_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
