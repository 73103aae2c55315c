//! Listing, cancelling and re-sending invitations, and what issuing (`issue`) and
//! accepting (`accept`) share: the scope an actor sees, the email, the audit entry.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::{
    InvitationKind, InvitationStatus, IssuedInvitation, PendingInvitation, WorkspaceAssignment,
};
use crate::audit;
use crate::audit::RequestMeta;
use crate::auth::token;
use crate::config::Config;
use crate::db::entity::{invitation, partner, user, workspace};
use crate::email::model::EmailKind;
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::service as tenancy;

/// How long an invitation link works.
pub const TTL: Duration = Duration::days(7);

pub const MAX_MESSAGE: usize = 500;

/// Which invitations an actor may see and act on: one workspace's, the partner's of one
/// kind (team or client), or the partner's of either kind.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Workspace(Uuid),
    Partner(Uuid, InvitationKind),
    Organisation(Uuid),
}

/// Pending invitations in a scope, newest first.
pub async fn list_pending<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
) -> Result<Vec<PendingInvitation>, AppError> {
    let rows = pending_query(scope)
        .order_by_desc(invitation::Column::CreatedAt)
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    let now = Utc::now();
    let ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|(row, _)| assignment_ids(row))
        .collect();
    let partner_id = rows.first().map(|(row, _)| row.partner_id);
    let names = match partner_id {
        Some(partner_id) => workspace_names(db, partner_id, ids).await?,
        None => HashMap::new(),
    };
    let mut list = Vec::with_capacity(rows.len());
    for (row, inviter) in rows {
        let workspaces = granted_names_from(&row, &names);
        list.push(PendingInvitation {
            id: row.id,
            kind: row.kind,
            email: row.email,
            role: row.role,
            invited_by: inviter.map(|u| u.display_name()),
            expired: row.expires_at <= now,
            expires_at: row.expires_at,
            workspaces,
        });
    }
    Ok(list)
}

/// Cancels a pending invitation of the scope; its link stops working.
pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: Uuid,
    actor: Uuid,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let row = find_in_scope(db, scope, id).await?;
    let mut active = row.clone().into_active_model();
    active.status = Set(InvitationStatus::Cancelled);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    audit_invitation(db, &row, actor, "invitation.cancelled", meta).await
}

/// Re-sends a pending invitation with a new link and a new 7-day expiry; the old link
/// stops working.
pub async fn resend<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    scope: Scope,
    id: Uuid,
    actor: &user::Model,
    meta: &RequestMeta,
) -> Result<IssuedInvitation, AppError> {
    let row = find_in_scope(db, scope, id).await?;
    let raw = token::generate();
    let mut active = row.clone().into_active_model();
    active.token_hash = Set(token::hash(&raw));
    active.expires_at = Set(Utc::now() + TTL);
    active.updated_at = Set(Utc::now());
    let row = active.update(db).await?;
    let partner = partner::Entity::find_by_id(row.partner_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Organization"))?;
    send_email(db, config, &partner, &row, &raw, actor).await?;
    audit_invitation(db, &row, actor.id, "invitation.resent", meta).await?;
    Ok(IssuedInvitation {
        id: row.id,
        email: row.email,
    })
}

pub(super) async fn send_email<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    partner: &partner::Model,
    row: &invitation::Model,
    raw: &str,
    inviter: &user::Model,
) -> Result<(), AppError> {
    let (brand, origin) =
        tenancy::email_brand(db, partner, &config.app_url, &config.platform_domain).await?;
    let link = format!("{origin}/accept-invitation?token={raw}");
    let workspaces = granted_names(db, row).await?;
    let target = target_name(db, row, &brand.name).await?;
    let inviter_name = inviter.display_name();
    let expires = row.expires_at.format("%-d %B %Y").to_string();
    let details = template::Invitation {
        inviter: &inviter_name,
        target: &target,
        role: &row.role,
        message: row.message.as_deref(),
        link: &link,
        expires: &expires,
        workspaces: &workspaces,
    };
    let (kind, email) = match row.kind {
        InvitationKind::Partner => (
            EmailKind::PartnerInvitation,
            template::partner_invitation(&brand, &details),
        ),
        InvitationKind::Client => (
            EmailKind::ClientInvitation,
            template::client_invitation(&brand, &details),
        ),
        InvitationKind::Workspace => (
            EmailKind::WorkspaceInvitation,
            template::workspace_invitation(&brand, &details),
        ),
    };
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.sender_name,
        kind,
        &row.email,
        email,
    )
    .await?;
    Ok(())
}

pub(super) fn pending_query(scope: Scope) -> sea_orm::Select<invitation::Entity> {
    let query =
        invitation::Entity::find().filter(invitation::Column::Status.eq(InvitationStatus::Pending));
    match scope {
        Scope::Workspace(id) => query
            .filter(invitation::Column::WorkspaceId.eq(id))
            .filter(invitation::Column::Kind.eq(InvitationKind::Workspace)),
        Scope::Partner(id, kind) => query
            .filter(invitation::Column::PartnerId.eq(id))
            .filter(invitation::Column::Kind.eq(kind)),
        Scope::Organisation(id) => query.filter(invitation::Column::PartnerId.eq(id)).filter(
            invitation::Column::Kind.is_in([InvitationKind::Partner, InvitationKind::Client]),
        ),
    }
}

pub(super) async fn find_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    id: Uuid,
) -> Result<invitation::Model, AppError> {
    pending_query(scope)
        .filter(invitation::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Pending invitation"))
}

pub(super) async fn live_workspace<C: ConnectionTrait>(
    db: &C,
    id: Option<Uuid>,
) -> Result<workspace::Model, AppError> {
    let Some(id) = id else {
        return Err(AppError::not_found("Workspace"));
    };
    workspace::Entity::find_by_id(id)
        .filter(workspace::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Workspace"))
}

pub(super) fn assignments(row: &invitation::Model) -> Vec<WorkspaceAssignment> {
    row.metadata
        .get("workspace_assignments")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

pub(super) async fn granted_names<C: ConnectionTrait>(
    db: &C,
    row: &invitation::Model,
) -> Result<Vec<String>, AppError> {
    let names = workspace_names(db, row.partner_id, assignment_ids(row)).await?;
    Ok(granted_names_from(row, &names))
}

/// What an invitation grants, with workspace names looked up in `names`: the granted
/// workspaces (team invitations) or the workspace to be created (client invitations).
pub(super) fn granted_names_from(
    row: &invitation::Model,
    names: &HashMap<Uuid, String>,
) -> Vec<String> {
    match row.kind {
        InvitationKind::Partner => {
            let mut granted: Vec<String> = assignment_ids(row)
                .iter()
                .filter_map(|id| names.get(id).cloned())
                .collect();
            granted.sort();
            granted
        }
        InvitationKind::Client => row
            .metadata
            .get("workspace_name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(|n| vec![n.to_owned()])
            .unwrap_or_default(),
        InvitationKind::Workspace => vec![],
    }
}

pub(super) fn assignment_ids(row: &invitation::Model) -> Vec<Uuid> {
    assignments(row).iter().map(|a| a.workspace_id).collect()
}

/// Names of the partner's workspaces among `ids`, in one query.
pub(super) async fn workspace_names<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(workspace::Entity::find()
        .filter(workspace::Column::Id.is_in(ids))
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.name))
        .collect())
}

pub(super) async fn target_name<C: ConnectionTrait>(
    db: &C,
    row: &invitation::Model,
    partner_name: &str,
) -> Result<String, AppError> {
    Ok(match row.kind {
        InvitationKind::Workspace => live_workspace(db, row.workspace_id).await?.name,
        InvitationKind::Client => row
            .metadata
            .get("workspace_name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or("your new workspace")
            .to_owned(),
        InvitationKind::Partner => partner_name.to_owned(),
    })
}

pub(super) async fn audit_invitation<C: ConnectionTrait>(
    db: &C,
    row: &invitation::Model,
    actor: Uuid,
    action: &'static str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(row.partner_id),
            workspace_id: row.workspace_id,
            user_id: Some(actor),
            action,
            entity_type: "invitation",
            entity_id: Some(row.id.to_string()),
            metadata: Some(json!({"kind": row.kind, "role": row.role, "email": row.email})),
            ..Default::default()
        },
        meta,
    )
    .await
}
