//! Writing the audit log: one append-only row per sensitive action.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::db::entity::audit_log;
use crate::error::AppError;

/// Who is asking, for the audit log and rate limits.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One entry; unset parts stay empty. The authorization contexts make the usual ones
/// (`WorkspaceCtx::audit`, `PartnerCtx::audit_of`).
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub partner_id: Option<Uuid>,
    pub workspace_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: Option<String>,
    pub old_values: Option<Value>,
    pub new_values: Option<Value>,
    pub metadata: Option<Value>,
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    entry: Entry,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(entry.partner_id),
        workspace_id: Set(entry.workspace_id),
        user_id: Set(entry.user_id),
        action: Set(entry.action.to_owned()),
        entity_type: Set(entry.entity_type.to_owned()),
        entity_id: Set(entry.entity_id),
        old_values: Set(entry.old_values),
        new_values: Set(entry.new_values),
        metadata: Set(entry.metadata),
        ip_address: Set(meta.ip.clone()),
        user_agent: Set(meta.user_agent.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
