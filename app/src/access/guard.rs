//! The guards every server function and handler starts with: they read the request's
//! session and partner, check the permission asked for (and, for changes, the paywall) and
//! answer with a typed context (`access::context`) or the error to send: 401, 403, 404 or
//! 402. Services below take the contexts and never call a guard.

use std::sync::Arc;

use super::context::{PartnerCtx, UserCtx, WorkspaceCtx};
use super::memo::AccessMemo;
use super::permission::{PartnerPermission, WorkspacePermission};
use super::service::{self, Access};
use crate::audit::RequestMeta;
use crate::auth::session::CurrentSession;
use crate::db::entity::partner;
use crate::error::AppError;
use crate::state::{AppState, app_state, current_partner};
use sea_orm::DatabaseConnection;

/// The session on this request, if any (second factor done or not).
pub fn current_session() -> Option<CurrentSession> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentSession>().cloned())
}

/// Address and user agent of the request, for the audit log and rate limits.
pub fn request_meta() -> RequestMeta {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestMeta>().cloned())
        .unwrap_or_default()
}

/// 401 unless someone is fully signed in.
pub fn require_user() -> Result<UserCtx, AppError> {
    let partner = current_partner()?.0;
    user_signed_in(partner, current_session(), request_meta())
}

fn user_signed_in(
    partner: Arc<partner::Model>,
    session: Option<CurrentSession>,
    meta: RequestMeta,
) -> Result<UserCtx, AppError> {
    let session = session
        .filter(|s| !s.mfa_pending)
        .ok_or_else(AppError::unauthorized)?;
    Ok(UserCtx {
        partner,
        user: session.user,
        partner_role: session.partner_role,
        session_id: session.id,
        meta,
    })
}

/// [`require_workspace`] for a plain HTTP handler (downloads, event streams), which has
/// the request's parts instead of a Leptos context. These handlers only read.
pub async fn workspace_for_request(
    state: &AppState,
    parts: &http::request::Parts,
    slug: &str,
    permission: WorkspacePermission,
) -> Result<WorkspaceCtx, AppError> {
    let user = user_for_request(parts)?;
    workspace_of(&state.db, user, slug, permission).await
}

/// [`require_partner`] for a plain HTTP handler, from the request's parts.
pub fn partner_for_request(
    parts: &http::request::Parts,
    permission: PartnerPermission,
) -> Result<PartnerCtx, AppError> {
    let user = user_for_request(parts)?;
    let role = user.partner_role.ok_or_else(AppError::forbidden)?;
    if !role.can(permission) {
        return Err(AppError::forbidden());
    }
    Ok(PartnerCtx { user, role })
}

/// The signed-in person of a plain HTTP handler's request, on the host's partner.
fn user_for_request(parts: &http::request::Parts) -> Result<UserCtx, AppError> {
    let partner = parts
        .extensions
        .get::<crate::tenancy::service::CurrentPartner>()
        .ok_or_else(|| AppError::internal("no partner was resolved for this request"))?
        .0
        .clone();
    user_signed_in(
        partner,
        parts.extensions.get::<CurrentSession>().cloned(),
        parts
            .extensions
            .get::<RequestMeta>()
            .cloned()
            .unwrap_or_default(),
    )
}

/// 401 when signed out, 403 without the partner permission.
pub async fn require_partner(permission: PartnerPermission) -> Result<PartnerCtx, AppError> {
    let user = require_user()?;
    let role = user.partner_role.ok_or_else(AppError::forbidden)?;
    if !role.can(permission) {
        return Err(AppError::forbidden());
    }
    Ok(PartnerCtx { user, role })
}

/// 401 when signed out; 404 for a workspace the user cannot open (whether or not it
/// exists, so slugs of other tenants are not revealed); 403 without the permission; 402
/// when the request changes something metered in a paywalled workspace. This is the one
/// place the paywall is decided: a request is a change unless it is a GET (pages reading
/// their data, and server functions declared as GET).
pub async fn require_workspace(
    slug: &str,
    permission: WorkspacePermission,
) -> Result<WorkspaceCtx, AppError> {
    let ctx = require_workspace_unmetered(slug, permission).await?;
    if permission.is_metered() && request_changes_state() {
        crate::billing::service::ensure_not_paywalled(&app_state()?.db, &ctx.workspace).await?;
    }
    Ok(ctx)
}

/// Whether this request may change state (anything but GET and HEAD).
fn request_changes_state() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|parts| !matches!(parts.method, http::Method::GET | http::Method::HEAD))
}

/// [`require_workspace`] without the paywall, for finishing what was already allowed to
/// start (recording how a running call ended): refusing it would lose what happened.
pub async fn require_workspace_unmetered(
    slug: &str,
    permission: WorkspacePermission,
) -> Result<WorkspaceCtx, AppError> {
    workspace_of(&app_state()?.db, require_user()?, slug, permission).await
}

/// The workspace `slug` as `user` may open it, with the role they hold there: 404 when
/// they cannot, 403 without `permission`. Requests reach it through [`require_workspace`];
/// work done on a user's behalf outside a request (the demo seed) calls it directly.
pub async fn workspace_of(
    db: &DatabaseConnection,
    user: UserCtx,
    slug: &str,
    permission: WorkspacePermission,
) -> Result<WorkspaceCtx, AppError> {
    // What is not a slug names no workspace: refused before anything is read.
    if crate::tenancy::model::Slug::parse(slug).is_none() {
        return Err(AppError::not_found("Workspace"));
    }
    let find = async || {
        service::workspace_access(db, user.partner.id, user.user_id(), slug, user.partner_role)
            .await
    };
    let access = match request_memo() {
        // A page lists the user's workspaces in its switcher: that list answers.
        Some((memo, true)) => workspace_list_with(db, &user, &memo)
            .await?
            .iter()
            .find(|a| a.workspace.slug == slug)
            .cloned(),
        Some((memo, false)) => {
            memo.workspace(user.partner.id, user.user_id(), slug, find)
                .await?
        }
        None => find().await?,
    };
    let access = access.ok_or_else(|| AppError::not_found("Workspace"))?;
    if !access.role.can(permission) {
        return Err(AppError::forbidden());
    }
    Ok(WorkspaceCtx {
        user,
        workspace: access.workspace,
        role: access.role,
        partner_admin_access: access.via_partner,
        wallet: access.wallet,
    })
}

/// Every workspace `user` can open, with their role in each, by name; a page's server
/// functions share one lookup.
pub async fn workspace_list(
    db: &DatabaseConnection,
    user: &UserCtx,
) -> Result<Arc<Vec<Access>>, AppError> {
    match request_memo() {
        Some((memo, _)) => workspace_list_with(db, user, &memo).await,
        None => Ok(Arc::new(find_workspace_list(db, user).await?)),
    }
}

async fn workspace_list_with(
    db: &DatabaseConnection,
    user: &UserCtx,
    memo: &AccessMemo,
) -> Result<Arc<Vec<Access>>, AppError> {
    Ok(memo
        .workspace_list(user.partner.id, user.user_id(), async || {
            find_workspace_list(db, user).await
        })
        .await?)
}

async fn find_workspace_list(
    db: &DatabaseConnection,
    user: &UserCtx,
) -> Result<Vec<Access>, sea_orm::DbErr> {
    service::accessible(db, user.partner.id, user.user_id(), user.partner_role).await
}

/// This request's access memo, when there is a request, and whether the request is a
/// page (rather than a server function called from the browser).
fn request_memo() -> Option<(AccessMemo, bool)> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let memo = parts.extensions.get::<AccessMemo>()?.clone();
    Some((memo, !parts.uri.path().starts_with("/api/")))
}

/// A super admin, on the platform host only (other hosts answer 404 before this runs).
pub async fn require_super_admin() -> Result<UserCtx, AppError> {
    super_admin(&app_state()?.db, require_user()?).await
}

/// [`require_super_admin`] for a plain HTTP handler, from the request's parts.
pub async fn super_admin_for_request(
    state: &AppState,
    parts: &http::request::Parts,
) -> Result<UserCtx, AppError> {
    super_admin(&state.db, user_for_request(parts)?).await
}

async fn super_admin(db: &DatabaseConnection, user: UserCtx) -> Result<UserCtx, AppError> {
    if !user.partner.is_platform_partner {
        return Err(AppError::not_found("Page"));
    }
    if !crate::auth::service::is_super_admin(db, user.user_id()).await? {
        return Err(AppError::forbidden());
    }
    Ok(user)
}
