//! Invitation server functions: issue, list, cancel and re-send (workspace admins for
//! their workspace; organisation admins for the team and clients), and preview and accept
//! (anyone holding the link; accepting needs the invited email's account).

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{InvitationPreview, IssuedInvitation, PendingInvitation};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{InvitationKind, WorkspaceAssignment},
    super::service::{self, Scope},
    crate::access::guard::{
        current_session, request_meta, require_partner, require_user, require_workspace,
    },
    crate::access::permission::{PartnerPermission, WorkspacePermission},
    crate::auth::{rate_limit, session},
    crate::state::{app_state, current_partner},
    crate::tenancy::model::WorkspaceRole,
};

/// What an invitation link offers, for the accept page.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "invitations/preview")]
pub async fn preview_invitation(token: String) -> Result<InvitationPreview, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    let signed_in = current_session().filter(|s| !s.mfa_pending).map(|s| s.user);
    super::accept::preview(&state.db, &partner, &token, signed_in.as_deref()).await
}

/// Accepts as the signed-in person; returns where to go, and sends the browser there.
#[server(prefix = "/api", endpoint = "invitations/accept")]
pub async fn accept_invitation(token: String) -> Result<String, AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let redirect = super::accept::accept(&txn, &ctx.partner, &token, &ctx.user, &ctx.meta).await?;
    txn.commit().await?;
    leptos_axum::redirect(&redirect);
    Ok(redirect)
}

/// Creates the invited person's account, accepts, and signs them in; the browser goes on to
/// what the invitation opens.
#[server(prefix = "/api", endpoint = "invitations/accept-signup")]
pub async fn accept_invitation_signup(
    token: String,
    first_name: String,
    last_name: String,
    password: String,
    confirm_password: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    if password != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The passwords do not match.",
        ));
    }
    let meta = request_meta();
    let txn = crate::db::begin_write(&state.db).await?;
    let (user, redirect) = super::accept::accept_with_signup(
        &txn,
        &partner,
        &token,
        &first_name,
        &last_name,
        &password,
        &meta,
    )
    .await?;
    let token = session::create(&txn, user.id, partner.id, false, &meta).await?;
    txn.commit().await?;
    session::send_cookie(&session::cookie(&token, state.config.https()));
    leptos_axum::redirect(&redirect);
    Ok(redirect)
}

/// Counts one invitation email against its sender and their organisation (429 past either).
#[cfg(feature = "ssr")]
async fn count_invitation(
    state: &crate::state::AppState,
    user: &crate::access::context::UserCtx,
) -> Result<(), AppError> {
    rate_limit::take_both(
        &state.db,
        (rate_limit::INVITES_PER_USER, &user.user_id().to_string()),
        (
            rate_limit::INVITES_PER_PARTNER,
            &user.partner.id.to_string(),
        ),
    )
    .await
}

/// Invites someone to a workspace (workspace owners and admins).
#[server(prefix = "/api", endpoint = "workspace/invite")]
pub async fn invite_to_workspace(
    slug: String,
    email: String,
    role: String,
    message: String,
) -> Result<IssuedInvitation, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::MembersManage).await?;
    let state = &app_state()?;
    count_invitation(state, &ctx.user).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let issued =
        super::issue::invite_to_workspace(&txn, &state.config, &ctx, &email, &role, &message)
            .await?;
    txn.commit().await?;
    crate::components::toast::flash(&issued.sent());
    Ok(issued)
}

#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "workspace/invitations")]
pub async fn workspace_invitations(slug: String) -> Result<Vec<PendingInvitation>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::MembersManage).await?;
    let state = app_state()?;
    service::list_pending(&state.db, Scope::Workspace(ctx.id())).await
}

/// Invites someone to the organisation's team. `workspace_grants` are `workspace-id:role`
/// pairs (roles admin, member or viewer; an empty one grants nothing): the form has one
/// field per workspace, `workspace_grants[i]`.
#[server(prefix = "/api", endpoint = "org/invite")]
pub async fn invite_to_team(
    email: String,
    role: String,
    message: String,
    workspace_grants: Option<Vec<String>>,
) -> Result<IssuedInvitation, AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = &app_state()?;
    let grants = parse_grants(&workspace_grants.unwrap_or_default())?;
    count_invitation(state, &ctx.user).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let issued =
        super::issue::invite_to_team(&txn, &state.config, &ctx, &email, &role, &message, &grants)
            .await?;
    txn.commit().await?;
    crate::components::toast::flash(&issued.sent());
    Ok(issued)
}

/// Invites a client, who gets a workspace of their own.
#[server(prefix = "/api", endpoint = "org/invite-client")]
pub async fn invite_client(
    email: String,
    workspace_name: String,
    message: String,
) -> Result<IssuedInvitation, AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = &app_state()?;
    count_invitation(state, &ctx.user).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let issued =
        super::issue::invite_client(&txn, &state.config, &ctx, &email, &workspace_name, &message)
            .await?;
    txn.commit().await?;
    crate::components::toast::flash(&issued.sent());
    Ok(issued)
}

/// Pending team (`partner`) or client invitations of the organisation.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/invitations")]
pub async fn org_invitations(kind: String) -> Result<Vec<PendingInvitation>, AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = app_state()?;
    let kind = org_kind(&kind)?;
    service::list_pending(&state.db, Scope::Partner(ctx.user.partner.id, kind)).await
}

/// Cancels a pending invitation: a workspace's (its owners and admins, naming it by
/// `slug`), or the organisation's team or client invitation (organisation owners and
/// admins, no `slug`). Its link stops working.
#[server(prefix = "/api", endpoint = "invitation/cancel")]
pub async fn cancel_invitation(id: Uuid, slug: Option<String>) -> Result<(), AppError> {
    let (scope, user) = managed_by(slug.as_deref()).await?;
    let state = app_state()?;
    service::cancel(&state.db, scope, id, user.user_id(), &user.meta).await?;
    crate::components::toast::flash("Invitation cancelled: its link no longer works.");
    Ok(())
}

/// Sends a pending invitation again with a new link (the old one stops working) and a
/// new expiry; who may is as for [`cancel_invitation`].
#[server(prefix = "/api", endpoint = "invitation/resend")]
pub async fn resend_invitation(
    id: Uuid,
    slug: Option<String>,
) -> Result<IssuedInvitation, AppError> {
    let (scope, user) = managed_by(slug.as_deref()).await?;
    let state = &app_state()?;
    count_invitation(state, &user).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let issued = service::resend(&txn, &state.config, scope, id, &user.user, &user.meta).await?;
    txn.commit().await?;
    crate::components::toast::flash(&issued.sent());
    Ok(issued)
}

/// The invitations the caller manages: the workspace's named by `slug`, else the
/// organisation's; refused for anyone who may not manage them.
#[cfg(feature = "ssr")]
async fn managed_by(
    slug: Option<&str>,
) -> Result<(Scope, crate::access::context::UserCtx), AppError> {
    Ok(match slug {
        Some(slug) => {
            let ctx = require_workspace(slug, WorkspacePermission::MembersManage).await?;
            (Scope::Workspace(ctx.id()), ctx.user)
        }
        None => {
            let ctx = require_partner(PartnerPermission::MembersManage).await?;
            (Scope::Organisation(ctx.user.partner.id), ctx.user)
        }
    })
}

#[cfg(feature = "ssr")]
fn org_kind(kind: &str) -> Result<InvitationKind, AppError> {
    match InvitationKind::parse(kind) {
        Some(k @ (InvitationKind::Partner | InvitationKind::Client)) => Ok(k),
        _ => Err(AppError::invalid("kind", "Use partner or client.")),
    }
}

/// `id:role` pairs into workspace assignments (empty ones skipped), naming what is wrong.
#[cfg(feature = "ssr")]
pub fn parse_grants(pairs: &[String]) -> Result<Vec<WorkspaceAssignment>, AppError> {
    pairs
        .iter()
        .map(|pair| pair.trim())
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let bad = || {
                AppError::invalid(
                    "workspace_grants",
                    format!("\"{pair}\" is not a workspace and a role (admin, member or viewer)."),
                )
            };
            let (id, role) = pair.split_once(':').ok_or_else(bad)?;
            let workspace_id = Uuid::parse_str(id.trim()).map_err(|_| bad())?;
            let role = WorkspaceRole::parse(role.trim())
                .filter(|r| *r != WorkspaceRole::Owner)
                .ok_or_else(bad)?;
            Ok(WorkspaceAssignment { workspace_id, role })
        })
        .collect()
}
