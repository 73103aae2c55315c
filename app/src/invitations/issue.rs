//! Issuing invitations: to a workspace, to the organisation's team (with workspace
//! grants), and to a client of the organisation; one pending invitation per address and
//! scope, and its email sent in the same transaction.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::{InvitationKind, InvitationStatus, IssuedInvitation, WorkspaceAssignment};
use super::service::{MAX_MESSAGE, Scope, TTL, audit_invitation, pending_query, send_email};
use crate::access::context::{PartnerCtx, WorkspaceCtx};
use crate::access::permission::can_invite_as;
use crate::audit::RequestMeta;
use crate::auth::model::Email;
use crate::auth::service::find_by_email;
use crate::auth::token;
use crate::config::Config;
use crate::db::entity::{invitation, partner, user, workspace, workspace_member};
use crate::error::AppError;
use crate::tenancy::model::{PartnerRole, WorkspaceRole};
use crate::tenancy::service as tenancy;

/// Invites someone to the workspace in `ctx` (the caller checked `MembersManage`).
pub async fn invite_to_workspace<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    ctx: &WorkspaceCtx,
    email: &str,
    role: &str,
    message: &str,
) -> Result<IssuedInvitation, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let role = WorkspaceRole::parse(role)
        .ok_or_else(|| AppError::invalid("role", "Choose owner, admin, member or viewer."))?;
    if !can_invite_as(ctx.role, role, WorkspaceRole::Admin, WorkspaceRole::Owner) {
        return Err(AppError::invalid(
            "role",
            "Only an owner can invite another owner.",
        ));
    }
    let message = parse_message(message)?;
    let ws = &ctx.workspace;
    if let Some(existing) = find_by_email(db, &email).await?
        && workspace_member::Entity::find()
            .filter(workspace_member::Column::WorkspaceId.eq(ws.id))
            .filter(workspace_member::Column::UserId.eq(existing.id))
            .filter(workspace_member::Column::RemovedAt.is_null())
            .count(db)
            .await?
            > 0
    {
        return Err(AppError::invalid(
            "email",
            format!("{email} is already a member of this workspace."),
        ));
    }
    refuse_duplicate(db, Scope::Workspace(ws.id), &email).await?;
    let max_users = ws
        .resource_limits
        .get("max_users")
        .and_then(Value::as_i64)
        .unwrap_or(20);
    let members = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.eq(ws.id))
        .filter(workspace_member::Column::RemovedAt.is_null())
        .count(db)
        .await?;
    let pending = pending_query(Scope::Workspace(ws.id)).count(db).await?;
    if max_users >= 0 && members + pending >= max_users as u64 {
        return Err(AppError::Forbidden(format!(
            "This workspace has room for {max_users} people, counting pending invitations."
        )));
    }
    issue(
        db,
        config,
        Issue {
            kind: InvitationKind::Workspace,
            partner: &ctx.user.partner,
            workspace: Some(ws),
            email: &email,
            role: role.as_str(),
            message,
            metadata: json!({}),
            inviter: &ctx.user.user,
            meta: &ctx.user.meta,
        },
    )
    .await
}

/// Invites someone to the organisation's team, optionally with workspaces.
pub async fn invite_to_team<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    ctx: &PartnerCtx,
    email: &str,
    role: &str,
    message: &str,
    assignments: &[WorkspaceAssignment],
) -> Result<IssuedInvitation, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let role = PartnerRole::parse(role)
        .ok_or_else(|| AppError::invalid("role", "Choose owner, admin or member."))?;
    if !can_invite_as(ctx.role, role, PartnerRole::Admin, PartnerRole::Owner) {
        return Err(AppError::invalid(
            "role",
            "Only an owner can invite another owner.",
        ));
    }
    let message = parse_message(message)?;
    let partner = &ctx.user.partner;
    let workspaces = crate::access::service::partner_workspaces(db, partner.id).await?;
    for a in assignments {
        if !workspaces.iter().any(|w| w.id == a.workspace_id) {
            return Err(AppError::invalid(
                "workspaces",
                "One of the chosen workspaces does not belong to this organization.",
            ));
        }
        if a.role == WorkspaceRole::Owner {
            return Err(AppError::invalid(
                "workspaces",
                "Workspaces can be granted as admin, member or viewer.",
            ));
        }
    }
    if let Some(existing) = find_by_email(db, &email).await?
        && crate::access::service::partner_role(db, partner.id, existing.id)
            .await?
            .is_some()
    {
        return Err(AppError::invalid(
            "email",
            format!("{email} is already on the team."),
        ));
    }
    refuse_duplicate(
        db,
        Scope::Partner(partner.id, InvitationKind::Partner),
        &email,
    )
    .await?;
    issue(
        db,
        config,
        Issue {
            kind: InvitationKind::Partner,
            partner,
            workspace: None,
            email: &email,
            role: role.as_str(),
            message,
            metadata: json!({ "workspace_assignments": assignments }),
            inviter: &ctx.user.user,
            meta: &ctx.user.meta,
        },
    )
    .await
}

/// Invites a client, who gets a workspace of their own on acceptance.
pub async fn invite_client<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    ctx: &PartnerCtx,
    email: &str,
    workspace_name: &str,
    message: &str,
) -> Result<IssuedInvitation, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let workspace_name = workspace_name.trim();
    if workspace_name.chars().count() > 100 {
        return Err(AppError::invalid(
            "workspace_name",
            "Use at most 100 characters.",
        ));
    }
    let message = parse_message(message)?;
    let partner = &ctx.user.partner;
    tenancy::ensure_room_for_workspace(db, partner).await?;
    refuse_duplicate(
        db,
        Scope::Partner(partner.id, InvitationKind::Client),
        &email,
    )
    .await?;
    issue(
        db,
        config,
        Issue {
            kind: InvitationKind::Client,
            partner,
            workspace: None,
            email: &email,
            role: "owner",
            message,
            metadata: json!({ "workspace_name": workspace_name }),
            inviter: &ctx.user.user,
            meta: &ctx.user.meta,
        },
    )
    .await
}

struct Issue<'a> {
    kind: InvitationKind,
    partner: &'a partner::Model,
    workspace: Option<&'a workspace::Model>,
    email: &'a Email,
    role: &'a str,
    message: Option<String>,
    metadata: Value,
    inviter: &'a user::Model,
    meta: &'a RequestMeta,
}

async fn issue<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    issue: Issue<'_>,
) -> Result<IssuedInvitation, AppError> {
    let raw = token::generate();
    let now = Utc::now();
    let row = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(issue.kind),
        partner_id: Set(issue.partner.id),
        workspace_id: Set(issue.workspace.map(|w| w.id)),
        email: Set(issue.email.as_str().into()),
        role: Set(issue.role.into()),
        token_hash: Set(token::hash(&raw)),
        message: Set(issue.message),
        metadata: Set(issue.metadata),
        invited_by: Set(Some(issue.inviter.id)),
        status: Set(InvitationStatus::Pending),
        expires_at: Set(now + TTL),
        accepted_at: Set(None),
        accepted_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    send_email(db, config, issue.partner, &row, &raw, issue.inviter).await?;
    audit_invitation(db, &row, issue.inviter.id, "invitation.created", issue.meta).await?;
    Ok(IssuedInvitation {
        id: row.id,
        email: row.email,
    })
}

async fn refuse_duplicate<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    email: &Email,
) -> Result<(), AppError> {
    let live = pending_query(scope)
        .filter(invitation::Column::Email.eq(email.as_str()))
        .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
        .count(db)
        .await?;
    if live > 0 {
        return Err(AppError::invalid(
            "email",
            format!("An invitation to {email} is already pending. Resend or cancel it instead."),
        ));
    }
    Ok(())
}

fn parse_message(message: &str) -> Result<Option<String>, AppError> {
    let message = message.trim();
    if message.chars().count() > MAX_MESSAGE {
        return Err(AppError::invalid(
            "message",
            format!("Keep the message to {MAX_MESSAGE} characters."),
        ));
    }
    Ok(Some(message.to_owned()).filter(|m| !m.is_empty()))
}
