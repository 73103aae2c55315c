//! `agents`: a voice agent of a workspace and its provider sync state.

use sea_orm::entity::prelude::*;

use crate::agents::model::{Direction, SyncStatus};
use crate::integrations::model::AgentProvider;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub provider: AgentProvider,
    pub direction: Direction,
    pub allow_outbound: bool,
    pub config: Json,
    pub external_id: Option<String>,
    pub external_llm_id: Option<String>,
    pub sync_status: SyncStatus,
    pub last_sync_error: Option<String>,
    pub last_synced_at: Option<DateTimeUtc>,
    pub needs_resync: bool,
    pub is_active: bool,
    pub total_calls: i32,
    pub total_seconds: i64,
    pub total_cost_cents: i64,
    pub last_call_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
