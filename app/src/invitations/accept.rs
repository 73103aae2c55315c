//! Accepting an invitation: what its link shows before (`preview`), accepting it signed in,
//! or accepting it by creating the account.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    sea_query::Expr,
};
use serde_json::Value;
use uuid::Uuid;

use super::model::{InvitationKind, InvitationPreview, InvitationState, InvitationStatus};
use super::service::{assignments, audit_invitation, granted_names, live_workspace, target_name};
use crate::audit::RequestMeta;
use crate::auth::model::Email;
use crate::auth::service::{NewUser, create_user, find_by_email};
use crate::auth::token;
use crate::db::entity::{invitation, partner, user, workspace};
use crate::error::AppError;
use crate::tenancy::model::{PartnerRole, WorkspaceRole};
use crate::tenancy::service as tenancy;

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
    let state = match row.status {
        InvitationStatus::Pending if row.expires_at > Utc::now() => InvitationState::Pending,
        InvitationStatus::Pending | InvitationStatus::Expired => InvitationState::Expired,
        InvitationStatus::Accepted | InvitationStatus::Cancelled => InvitationState::Unusable,
    };
    let inviter = match row.invited_by {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.display_name()),
        None => None,
    };
    let account_exists = match Email::parse(&row.email) {
        Ok(email) => find_by_email(db, &email).await?.is_some(),
        Err(_) => false,
    };
    Ok(InvitationPreview {
        kind: row.kind,
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
        .col_expr(
            invitation::Column::Status,
            Expr::value(InvitationStatus::Accepted),
        )
        .col_expr(invitation::Column::AcceptedAt, Expr::value(Utc::now()))
        .col_expr(invitation::Column::AcceptedBy, Expr::value(user.id))
        .col_expr(invitation::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::conflict("This invitation was already used."));
    }
    let redirect = match row.kind {
        InvitationKind::Workspace => {
            let ws = live_workspace(db, row.workspace_id).await?;
            let role = WorkspaceRole::parse(&row.role).ok_or_else(|| unknown_role(&row))?;
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
        InvitationKind::Partner => {
            let role = PartnerRole::parse(&row.role).ok_or_else(|| unknown_role(&row))?;
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
        InvitationKind::Client => {
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
            crate::integrations::assign::assign_defaults(db, partner.id, ws.id).await?;
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
        .filter(|r| {
            matches!(
                r.status,
                InvitationStatus::Pending | InvitationStatus::Expired
            )
        })
        .ok_or_else(|| AppError::not_found("Invitation"))?;
    if row.status == InvitationStatus::Expired || row.expires_at <= Utc::now() {
        let mut active = row.into_active_model();
        active.status = Set(InvitationStatus::Expired);
        active.update(db).await?;
        return Err(AppError::Conflict(
            "This invitation has expired. Ask for a new one.".into(),
        ));
    }
    Ok(row)
}

/// An invitation whose stored role this build does not know: an internal error, never a
/// guess at a role.
fn unknown_role(row: &invitation::Model) -> AppError {
    AppError::internal(format!(
        "invitation {} has the unknown role {:?}",
        row.id, row.role
    ))
}
