//! Account server functions: who is signed in, sign in (password, then second factor),
//! sign out, sign up and forgotten passwords; the account page's own (profile, password,
//! two-factor settings) are in `account`. Each one authorizes itself; cookies go out
//! through `session::send_cookie` only.

use leptos::prelude::*;

pub mod account;

use super::model::LoginOutcome;
use crate::access::model::{Viewer, WorkspaceAccess};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::access::context::UserCtx,
    crate::access::guard::{current_session, request_meta, require_user, workspace_list},
    crate::access::service as access,
    crate::auth::{login, mfa, reset, service, session, signup, verify},
    crate::db::entity::{partner, user},
    crate::state::{AppState, app_state, current_partner},
    sea_orm::ConnectionTrait,
};

/// The signed-in person on this host, or `None`.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "auth/viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    let Ok(ctx) = require_user() else {
        return Ok(None);
    };
    let state = app_state()?;
    Ok(Some(viewer(&state.db, &ctx, &ctx.user).await?))
}

/// The workspaces the signed-in person can open on this host.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "auth/workspaces")]
pub async fn my_workspaces() -> Result<Vec<WorkspaceAccess>, AppError> {
    let ctx = require_user()?;
    Ok(workspace_list(&app_state()?.db, &ctx)
        .await?
        .iter()
        .map(|a| access::summary(&a.workspace, a.role, a.via_partner))
        .collect())
}

/// Checks email and password; signs in, or asks for the second factor. With `console`,
/// only platform administrators get in (platform host only), and nobody else gets a
/// session.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(
    email: String,
    password: String,
    redirect: Option<String>,
    console: Option<bool>,
) -> Result<LoginOutcome, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    let console = console.unwrap_or(false);
    if console && !partner.is_platform_partner {
        return Err(AppError::not_found("Page"));
    }
    let meta = request_meta();
    let user = login::check_password(&state.db, &partner, &email, &password, &meta).await?;
    if console {
        login::require_super_admin(&state.db, &partner, &user, &meta).await?;
        return login_as(&state, &partner, user, Some("/super-admin/outbox".into())).await;
    }
    login_as(&state, &partner, user, redirect).await
}

/// Continues a sign-in whose password was accepted: asks for the second factor when the
/// account has one, else signs in.
#[cfg(feature = "ssr")]
async fn login_as(
    state: &AppState,
    partner: &partner::Model,
    user: user::Model,
    redirect: Option<String>,
) -> Result<LoginOutcome, AppError> {
    if mfa::is_enabled(&state.db, user.id).await? {
        let token = session::create(&state.db, user.id, partner.id, true, &request_meta()).await?;
        session::send_cookie(&session::cookie(&token, state.config.https()));
        return Ok(LoginOutcome::SecondFactor);
    }
    finish_login(state, partner, user, false, redirect).await
}

/// The second step of signing in: a TOTP or recovery code.
#[server(prefix = "/api", endpoint = "auth/login-code")]
pub async fn login_code(code: String, redirect: Option<String>) -> Result<LoginOutcome, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    let pending = current_session().filter(|s| s.mfa_pending).ok_or_else(|| {
        AppError::Unauthorized("Your sign-in expired. Enter your password again.".into())
    })?;
    let meta = request_meta();
    login::check_second_factor(
        &state.db,
        &state.vault,
        &partner,
        &pending.user,
        &code,
        &meta,
    )
    .await?;
    session::revoke(&state.db, pending.id).await?;
    finish_login(&state, &partner, (*pending.user).clone(), true, redirect).await
}

/// Ends this session and clears the cookie.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    if let Some(current) = current_session() {
        session::revoke(&state.db, current.id).await?;
        crate::audit::record(
            &state.db,
            crate::audit::Entry {
                partner_id: current_partner().ok().map(|p| p.0.id),
                user_id: Some(current.user.id),
                action: "user.logout",
                entity_type: "user",
                entity_id: Some(current.user.id.to_string()),
                ..Default::default()
            },
            &request_meta(),
        )
        .await?;
    }
    session::send_cookie(&session::clear_cookie(state.config.https()));
    leptos_axum::redirect("/login");
    Ok(())
}

/// Signs up on the platform host: every address gets the same answer, "check your inbox"
/// (see `signup::sign_up`); nobody is signed in until the emailed link is opened.
#[server(prefix = "/api", endpoint = "auth/signup")]
pub async fn sign_up(
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<LoginOutcome, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    let meta = request_meta();
    if !partner.is_platform_partner {
        return Err(AppError::Forbidden(
            "Sign-up here is by invitation only. Ask your administrator for an invitation.".into(),
        ));
    }
    // A mistyped confirmation costs nothing, so it does not use up the hour's sign-ups.
    if password != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The passwords do not match.",
        ));
    }
    signup::count_attempt(&state.db, &meta).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    signup::sign_up(
        &txn,
        &state.config,
        &partner,
        signup::SignupForm {
            first_name: &first_name,
            last_name: &last_name,
            email: &email,
            password: &password,
        },
        &meta,
    )
    .await?;
    txn.commit().await?;
    let email = email.trim().to_lowercase();
    leptos_axum::redirect(&format!(
        "/verify-email?email={}",
        crate::text::percent_encode(&email, b"@")
    ));
    Ok(LoginOutcome::CheckEmail { email })
}

/// Opens the link that confirms a new account's address, with the password chosen at
/// sign-up, and signs its owner in.
#[server(prefix = "/api", endpoint = "auth/confirm-email")]
pub async fn confirm_email(token: String, password: String) -> Result<LoginOutcome, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    let user = verify::confirm(&state.db, &token, &password, &request_meta()).await?;
    login_as(&state, &partner, user, None).await
}

/// Emails the confirmation link again to an unconfirmed account; the same answer for any
/// address.
#[server(prefix = "/api", endpoint = "auth/resend-confirmation")]
pub async fn resend_confirmation(email: String) -> Result<(), AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    verify::resend(&state.db, &state.config, &partner, &email, &request_meta()).await?;
    leptos_axum::redirect(&format!(
        "/verify-email?email={}&sent=again",
        crate::text::percent_encode(email.trim(), b"@")
    ));
    Ok(())
}

/// Emails a reset link when the address has an account; answers the same either way, and
/// in the same time: every answer waits until `reset::ANSWER_AFTER` has passed, so how
/// long it takes does not tell a known address from an unknown one.
#[server(prefix = "/api", endpoint = "auth/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let started = tokio::time::Instant::now();
    let state = app_state()?;
    let partner = current_partner()?.0;
    let outcome = reset::request(&state.db, &state.config, &partner, &email, &request_meta()).await;
    tokio::time::sleep_until(started + reset::ANSWER_AFTER).await;
    outcome?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset link can still be used.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "auth/reset-token")]
pub async fn reset_token_usable(token: String) -> Result<bool, AppError> {
    let state = app_state()?;
    reset::token_is_usable(&state.db, &token).await
}

/// Sets a new password with a reset link; every session ends.
#[server(prefix = "/api", endpoint = "auth/reset-password")]
pub async fn reset_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    if new_password != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The passwords do not match.",
        ));
    }
    reset::complete(&state.db, &token, &new_password, &request_meta()).await?;
    leptos_axum::redirect("/login?notice=password-reset");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn finish_login(
    state: &AppState,
    partner: &partner::Model,
    user: user::Model,
    with_mfa: bool,
    redirect: Option<String>,
) -> Result<LoginOutcome, AppError> {
    let meta = request_meta();
    let user_id = user.id;
    login::complete(&state.db, partner, user, with_mfa, &meta).await?;
    let token = session::create(&state.db, user_id, partner.id, false, &meta).await?;
    session::send_cookie(&session::cookie(&token, state.config.https()));
    let redirect = match redirect
        .as_deref()
        .and_then(crate::auth::model::safe_redirect)
    {
        Some(path) => path.to_owned(),
        None => landing_path(&state.db, partner.id, user_id).await?,
    };
    leptos_axum::redirect(&redirect);
    Ok(LoginOutcome::SignedIn { redirect })
}

/// Where a signed-in person starts: their only workspace, the picker, or onboarding.
#[cfg(feature = "ssr")]
pub async fn landing_path<C: ConnectionTrait>(
    db: &C,
    partner_id: uuid::Uuid,
    user_id: uuid::Uuid,
) -> Result<String, AppError> {
    let role = access::partner_role(db, partner_id, user_id).await?;
    let list = access::accessible_workspaces(db, partner_id, user_id, role).await?;
    Ok(match list.as_slice() {
        [only] => format!("/w/{}", only.slug),
        [] => "/workspace-onboarding".into(),
        _ => "/select-workspace".into(),
    })
}

#[cfg(feature = "ssr")]
pub(super) async fn viewer(
    db: &sea_orm::DatabaseConnection,
    ctx: &UserCtx,
    user: &user::Model,
) -> Result<Viewer, AppError> {
    let (is_super_admin, mfa_enabled) = tokio::try_join!(
        service::is_super_admin(db, user.id),
        mfa::is_enabled(db, user.id)
    )?;
    Ok(Viewer {
        user_id: user.id,
        email: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        avatar_url: user.avatar_url.clone(),
        phone_number: user.phone_number.clone(),
        partner_role: ctx.partner_role,
        is_super_admin,
        mfa_enabled,
    })
}
