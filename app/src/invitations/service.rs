//! Issuing, listing, cancelling, re-sending and accepting invitations.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::{
    InvitationKind, InvitationPreview, InvitationState, IssuedInvitation, PendingInvitation,
    WorkspaceAssignment,
};
use crate::access::context::{PartnerCtx, WorkspaceCtx};
use crate::access::permission::can_invite_as;
use crate::audit;
use crate::audit::RequestMeta;
use crate::auth::model::Email;
use crate::auth::service::{NewUser, create_user, display_name, find_by_email};
use crate::auth::token;
use crate::config::Config;
use crate::db::entity::{invitation, partner, user, workspace, workspace_member};
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::model::{PartnerRole, WorkspaceRole};
use crate::tenancy::service as tenancy;

/// How long an invitation link works.
pub const TTL: Duration = Duration::days(7);
pub const MAX_MESSAGE: usize = 500;

/// Which invitations an actor may see and act on: one workspace's, or the partner's.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Workspace(Uuid),
    Partner(Uuid, InvitationKind),
}

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
            kind: InvitationKind::parse(&row.kind).unwrap_or(InvitationKind::Workspace),
            email: row.email,
            role: row.role,
            invited_by: inviter.map(|u| display_name(&u)),
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
    active.status = Set("cancelled".into());
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

/// What the accept page shows for `raw` on this partner's host.
pub async fn preview<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    raw: &str,
    signed_in: Option<&user::Model>,
) -> Result<InvitationPreview, AppError> {
    let brand = tenancy::brand(partner);
    let row = find_by_token(db, partner.id, raw).await?;
    let Some(row) = row else {
        return Ok(InvitationPreview {
            kind: InvitationKind::Workspace,
            email: String::new(),
            role: String::new(),
            target: String::new(),
            workspaces: vec![],
            inviter: None,
            message: None,
            brand,
            state: InvitationState::Unusable,
            account_exists: false,
            signed_in_as: signed_in.map(|u| u.email.clone()),
        });
    };
    let state = match row.status.as_str() {
        "pending" if row.expires_at > Utc::now() => InvitationState::Pending,
        "pending" | "expired" => InvitationState::Expired,
        _ => InvitationState::Unusable,
    };
    let inviter = match row.invited_by {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| display_name(&u)),
        None => None,
    };
    let account_exists = match Email::parse(&row.email) {
        Ok(email) => find_by_email(db, &email).await?.is_some(),
        Err(_) => false,
    };
    Ok(InvitationPreview {
        kind: InvitationKind::parse(&row.kind).unwrap_or(InvitationKind::Workspace),
        target: target_name(db, &row, &brand.name).await?,
        workspaces: granted_names(db, &row).await?,
        email: row.email,
        role: row.role,
        inviter,
        message: row.message,
        brand,
        state,
        account_exists,
        signed_in_as: signed_in.map(|u| u.email.clone()),
    })
}

/// Accepts an invitation as `user` (whose email must match); returns where to go next.
pub async fn accept<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    raw: &str,
    user: &user::Model,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let row = usable(db, partner.id, raw).await?;
    if !row.email.eq_ignore_ascii_case(&user.email) {
        return Err(AppError::Forbidden(format!(
            "This invitation was sent to {}. Sign in with that address to accept it.",
            row.email
        )));
    }
    // Claim it first, conditionally: of two racing acceptances, one wins.
    let claimed = invitation::Entity::update_many()
        .col_expr(invitation::Column::Status, Expr::value("accepted"))
        .col_expr(invitation::Column::AcceptedAt, Expr::value(Utc::now()))
        .col_expr(invitation::Column::AcceptedBy, Expr::value(user.id))
        .col_expr(invitation::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::conflict("This invitation was already used."));
    }
    let redirect = match InvitationKind::parse(&row.kind) {
        Some(InvitationKind::Workspace) => {
            let ws = live_workspace(db, row.workspace_id).await?;
            let role = WorkspaceRole::parse(&row.role).unwrap_or(WorkspaceRole::Member);
            tenancy::ensure_partner_member(
                db,
                partner.id,
                user.id,
                PartnerRole::Member,
                row.invited_by,
            )
            .await?;
            tenancy::ensure_workspace_member(db, ws.id, user.id, role, row.invited_by).await?;
            format!("/w/{}", ws.slug)
        }
        Some(InvitationKind::Partner) => {
            let role = PartnerRole::parse(&row.role).unwrap_or(PartnerRole::Member);
            tenancy::ensure_partner_member(db, partner.id, user.id, role, row.invited_by).await?;
            let mut first = None;
            for a in assignments(&row) {
                let Some(ws) = workspace::Entity::find_by_id(a.workspace_id)
                    .filter(workspace::Column::PartnerId.eq(partner.id))
                    .filter(workspace::Column::DeletedAt.is_null())
                    .one(db)
                    .await?
                else {
                    continue;
                };
                tenancy::ensure_workspace_member(db, ws.id, user.id, a.role, row.invited_by)
                    .await?;
                first.get_or_insert(ws.slug);
            }
            first.map_or_else(|| "/select-workspace".into(), |slug| format!("/w/{slug}"))
        }
        Some(InvitationKind::Client) => {
            tenancy::ensure_partner_member(
                db,
                partner.id,
                user.id,
                PartnerRole::Member,
                row.invited_by,
            )
            .await?;
            let name =
                row.metadata
                    .get("workspace_name")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .unwrap_or_else(|| {
                        let who = user.first_name.clone().unwrap_or_else(|| {
                            user.email.split('@').next().unwrap_or("My").to_owned()
                        });
                        format!("{who}'s Workspace")
                    });
            tenancy::ensure_room_for_workspace(db, partner).await?;
            let slug = tenancy::unique_workspace_slug(db, partner.id, &name).await?;
            let ws = tenancy::create_workspace(db, partner.id, &name, &slug, None).await?;
            crate::integrations::service::assign_defaults(db, partner.id, ws.id).await?;
            tenancy::ensure_workspace_member(
                db,
                ws.id,
                user.id,
                WorkspaceRole::Owner,
                row.invited_by,
            )
            .await?;
            format!("/w/{}", ws.slug)
        }
        None => {
            return Err(AppError::internal(format!(
                "unknown invitation kind {}",
                row.kind
            )));
        }
    };
    audit_invitation(db, &row, user.id, "invitation.accepted", meta).await?;
    Ok(redirect)
}

/// Creates the invited person's account with the invitation's email, then accepts.
pub async fn accept_with_signup<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    raw: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
    meta: &RequestMeta,
) -> Result<(user::Model, String), AppError> {
    let row = usable(db, partner.id, raw).await?;
    if first_name.trim().is_empty() {
        return Err(AppError::invalid("first_name", "Enter your first name."));
    }
    let email = Email::parse(&row.email).map_err(|m| AppError::invalid("email", m))?;
    if find_by_email(db, &email).await?.is_some() {
        return Err(AppError::conflict(
            "An account with this email already exists: sign in to accept the invitation.",
        ));
    }
    let last = last_name.trim();
    let user = create_user(
        db,
        NewUser {
            email: email.as_str(),
            password,
            first_name: Some(first_name.trim()),
            last_name: Some(last).filter(|l| !l.is_empty()),
        },
    )
    .await?;
    let redirect = accept(db, partner, raw, &user, meta).await?;
    Ok((user, redirect))
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
        kind: Set(issue.kind.as_str().into()),
        partner_id: Set(issue.partner.id),
        workspace_id: Set(issue.workspace.map(|w| w.id)),
        email: Set(issue.email.as_str().into()),
        role: Set(issue.role.into()),
        token_hash: Set(token::hash(&raw)),
        message: Set(issue.message),
        metadata: Set(issue.metadata),
        invited_by: Set(Some(issue.inviter.id)),
        status: Set("pending".into()),
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

async fn send_email<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    partner: &partner::Model,
    row: &invitation::Model,
    raw: &str,
    inviter: &user::Model,
) -> Result<(), AppError> {
    let origin =
        tenancy::partner_origin(db, partner, &config.app_url, &config.platform_domain).await?;
    let link = format!("{origin}/accept-invitation?token={raw}");
    let brand = tenancy::brand(partner);
    let workspaces = granted_names(db, row).await?;
    let target = target_name(db, row, &brand.name).await?;
    let inviter_name = display_name(inviter);
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
    let (kind, email) = match InvitationKind::parse(&row.kind) {
        Some(InvitationKind::Partner) => (
            outbox::Kind::PartnerInvitation,
            template::partner_invitation(&brand, &details),
        ),
        Some(InvitationKind::Client) => (
            outbox::Kind::ClientInvitation,
            template::client_invitation(&brand, &details),
        ),
        _ => (
            outbox::Kind::WorkspaceInvitation,
            template::workspace_invitation(&brand, &details),
        ),
    };
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.name,
        kind,
        &row.email,
        email,
    )
    .await?;
    Ok(())
}

fn pending_query(scope: Scope) -> sea_orm::Select<invitation::Entity> {
    let query = invitation::Entity::find().filter(invitation::Column::Status.eq("pending"));
    match scope {
        Scope::Workspace(id) => query
            .filter(invitation::Column::WorkspaceId.eq(id))
            .filter(invitation::Column::Kind.eq(InvitationKind::Workspace.as_str())),
        Scope::Partner(id, kind) => query
            .filter(invitation::Column::PartnerId.eq(id))
            .filter(invitation::Column::Kind.eq(kind.as_str())),
    }
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

async fn find_in_scope<C: ConnectionTrait>(
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

async fn find_by_token<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    raw: &str,
) -> Result<Option<invitation::Model>, AppError> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token::hash(raw.trim())))
        .filter(invitation::Column::PartnerId.eq(partner_id))
        .one(db)
        .await?)
}

/// The pending, unexpired invitation `raw` names on this partner; an expired one is
/// marked so.
async fn usable<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    raw: &str,
) -> Result<invitation::Model, AppError> {
    let row = find_by_token(db, partner_id, raw)
        .await?
        .filter(|r| r.status == "pending" || r.status == "expired")
        .ok_or_else(|| AppError::not_found("Invitation"))?;
    if row.status == "expired" || row.expires_at <= Utc::now() {
        let mut active = row.into_active_model();
        active.status = Set("expired".into());
        active.update(db).await?;
        return Err(AppError::Conflict(
            "This invitation has expired. Ask for a new one.".into(),
        ));
    }
    Ok(row)
}

async fn live_workspace<C: ConnectionTrait>(
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

fn assignments(row: &invitation::Model) -> Vec<WorkspaceAssignment> {
    row.metadata
        .get("workspace_assignments")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

async fn granted_names<C: ConnectionTrait>(
    db: &C,
    row: &invitation::Model,
) -> Result<Vec<String>, AppError> {
    let names = workspace_names(db, row.partner_id, assignment_ids(row)).await?;
    Ok(granted_names_from(row, &names))
}

/// What an invitation grants, with workspace names looked up in `names`: the granted
/// workspaces (team invitations) or the workspace to be created (client invitations).
fn granted_names_from(row: &invitation::Model, names: &HashMap<Uuid, String>) -> Vec<String> {
    match InvitationKind::parse(&row.kind) {
        Some(InvitationKind::Partner) => {
            let mut granted: Vec<String> = assignment_ids(row)
                .iter()
                .filter_map(|id| names.get(id).cloned())
                .collect();
            granted.sort();
            granted
        }
        Some(InvitationKind::Client) => row
            .metadata
            .get("workspace_name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(|n| vec![n.to_owned()])
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn assignment_ids(row: &invitation::Model) -> Vec<Uuid> {
    assignments(row).iter().map(|a| a.workspace_id).collect()
}

/// Names of the partner's workspaces among `ids`, in one query.
async fn workspace_names<C: ConnectionTrait>(
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

async fn target_name<C: ConnectionTrait>(
    db: &C,
    row: &invitation::Model,
    partner_name: &str,
) -> Result<String, AppError> {
    Ok(match InvitationKind::parse(&row.kind) {
        Some(InvitationKind::Workspace) => live_workspace(db, row.workspace_id).await?.name,
        Some(InvitationKind::Client) => row
            .metadata
            .get("workspace_name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or("your new workspace")
            .to_owned(),
        _ => partner_name.to_owned(),
    })
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

async fn audit_invitation<C: ConnectionTrait>(
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
