//! The audit log: one append-only row per sensitive action (sign-ins, MFA changes, role
//! changes, removals, invitations, password changes).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::session::RequestMeta;
use crate::db::entity::audit_log;
use crate::error::AppError;

/// One entry; unset parts stay empty.
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

impl Entry {
    /// An action on `entity_type` `entity_id` inside the caller's workspace.
    pub fn in_workspace(
        ctx: &crate::access::context::WorkspaceCtx,
        action: &'static str,
        entity_type: &'static str,
        entity_id: Uuid,
    ) -> Self {
        Self {
            partner_id: Some(ctx.workspace.partner_id),
            workspace_id: Some(ctx.id()),
            user_id: Some(ctx.user_id()),
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            ..Default::default()
        }
    }
}

impl Entry {
    /// An organisation admin's `action` on something of workspace `workspace`, with what it
    /// was and what it became.
    pub fn by_partner_admin(
        ctx: &crate::access::context::PartnerCtx,
        workspace: &crate::db::entity::workspace::Model,
        (action, entity_type, entity_id): (&'static str, &'static str, String),
        old_values: Value,
        new_values: Value,
    ) -> Self {
        Self {
            partner_id: Some(workspace.partner_id),
            workspace_id: Some(workspace.id),
            user_id: Some(ctx.user.user_id()),
            action,
            entity_type,
            entity_id: Some(entity_id),
            old_values: Some(old_values),
            new_values: Some(new_values),
            metadata: None,
        }
    }
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
