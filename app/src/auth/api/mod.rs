//! Account server functions: who is signed in, sign in (password, then second factor),
//! sign out, sign up, forgotten and changed passwords, profile, and two-factor settings.
//! Each one authorizes itself; cookies go out through `session::send_cookie` only.

use leptos::prelude::*;

use super::model::{LoginOutcome, MfaEnrollment, MfaState};
use crate::access::model::{Viewer, WorkspaceAccess};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{login, mfa, reset, service, session, signup, verify},
    crate::access::context::UserCtx,
    crate::access::guard::{current_session, request_meta, require_user, workspace_list},
    crate::access::service as access,
    crate::components::toast::flash,
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
        .map(|(workspace, role, via_partner)| access::summary(workspace, *role, *via_partner))
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
    signup::count_attempt(&state.db, &meta).await?;
    if password != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The passwords do not match.",
        ));
    }
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

/// Updates name, avatar and phone of the signed-in person.
#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn update_profile(
    first_name: String,
    last_name: String,
    avatar_url: String,
    phone_number: String,
) -> Result<Viewer, AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    let updated = service::update_profile(
        &state.db,
        (*ctx.user).clone(),
        service::Profile {
            first_name: &first_name,
            last_name: &last_name,
            avatar_url: &avatar_url,
            phone_number: &phone_number,
        },
    )
    .await?;
    flash("Profile saved.");
    viewer(&state.db, &ctx, &updated).await
}

/// Changes the password (the current one, and a current code when two-factor is on, prove
/// who is asking); other sessions end. Returns how many ended.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    code: Option<String>,
) -> Result<u64, AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    if new_password != confirm_password {
        return Err(AppError::invalid(
            "confirm_password",
            "The passwords do not match.",
        ));
    }
    let ended = reset::change(
        &state.db,
        &state.vault,
        &ctx.user,
        ctx.partner.id,
        ctx.session_id,
        &current_password,
        code.as_deref(),
        &new_password,
        &ctx.meta,
    )
    .await?;
    flash(&match ended {
        0 => "Password changed.".to_owned(),
        1 => "Password changed. 1 other session was signed out.".to_owned(),
        n => format!("Password changed. {n} other sessions were signed out."),
    });
    Ok(ended)
}

/// Two-factor sign-in as the account page shows it. Recovery codes just issued by
/// `confirm_mfa` come back once, from the sealed cookie it left for this page.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "account/mfa")]
pub async fn mfa_status() -> Result<MfaState, AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    let (db, vault) = (&state.db, &state.vault);
    let enabled = mfa::is_enabled(db, ctx.user_id()).await?;
    let enrolling = if enabled {
        None
    } else {
        let issuer = crate::tenancy::service::brand(&ctx.partner).name;
        mfa::pending(db, vault, &ctx.user, &issuer).await?
    };
    Ok(MfaState {
        enabled,
        recovery_codes_left: mfa::recovery_codes_left(db, ctx.user_id()).await?,
        enrolling,
        new_recovery_codes: recovery_reveal::take(&state, &ctx),
    })
}

/// Starts enrolling an authenticator app: a fresh secret and its QR code, which the
/// account page then shows until a first code confirms them.
#[server(prefix = "/api", endpoint = "account/mfa/begin")]
pub async fn begin_mfa() -> Result<MfaEnrollment, AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    let issuer = crate::tenancy::service::brand(&ctx.partner).name;
    let enrollment = mfa::begin(&state.db, &state.vault, &ctx.user, &issuer).await?;
    leptos_axum::redirect("/account#mfa");
    Ok(enrollment)
}

/// Confirms enrolment with a first code; returns the recovery codes, shown once (the
/// account page shows them from a sealed cookie, after the redirect).
#[server(prefix = "/api", endpoint = "account/mfa/confirm")]
pub async fn confirm_mfa(code: String) -> Result<Vec<String>, AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    let codes = mfa::confirm(&state.db, &state.vault, ctx.user_id(), &code).await?;
    audit_mfa(&state.db, &ctx, "user.mfa_enabled").await?;
    recovery_reveal::leave(&state, &ctx, &codes)?;
    flash("Two-factor sign-in is on.");
    leptos_axum::redirect("/account#mfa");
    Ok(codes)
}

/// Turns two-factor off with the current password and a current or recovery code.
#[server(prefix = "/api", endpoint = "account/mfa/disable")]
pub async fn disable_mfa(current_password: String, code: String) -> Result<(), AppError> {
    let ctx = require_user()?;
    let state = app_state()?;
    if !mfa::is_enabled(&state.db, ctx.user_id()).await? {
        return Err(AppError::conflict(
            "Two-factor authentication is already off.",
        ));
    }
    login::confirm_identity(
        &state.db,
        &state.vault,
        &ctx.user,
        &current_password,
        Some(&code),
    )
    .await?;
    mfa::disable(&state.db, ctx.user_id()).await?;
    audit_mfa(&state.db, &ctx, "user.mfa_disabled").await?;
    flash("Two-factor sign-in is off.");
    leptos_axum::redirect("/account#mfa");
    Ok(())
}

/// New recovery codes travel from `confirm_mfa` to the page its redirect loads in a cookie
/// sealed for this person (unreadable and unforgeable by the browser, only sent to
/// `/account`, gone after five minutes), which that page reads once and clears.
#[cfg(feature = "ssr")]
mod recovery_reveal {
    use crate::access::context::UserCtx;
    use crate::auth::session;
    use crate::error::AppError;
    use crate::secrets::Place;
    use crate::state::AppState;

    const COOKIE: &str = "g365_recovery";

    fn place(ctx: &UserCtx) -> Place {
        Place::new("account.new_recovery_codes", ctx.user_id())
    }

    fn set(state: &AppState, value: &str, max_age: u32) {
        let secure = if state.config.https() { "; Secure" } else { "" };
        session::send_cookie(&format!(
            "{COOKIE}={value}; Path=/account; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
        ));
    }

    pub fn leave(state: &AppState, ctx: &UserCtx, codes: &[String]) -> Result<(), AppError> {
        let sealed = state
            .vault
            .seal(&place(ctx), &codes.join(" "))
            .map_err(AppError::internal)?;
        set(state, &sealed, 300);
        Ok(())
    }

    pub fn take(state: &AppState, ctx: &UserCtx) -> Vec<String> {
        let Some(sealed) = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| session::request_cookie(&p.headers, COOKIE).map(str::to_owned))
        else {
            return Vec::new();
        };
        set(state, "", 0);
        // Another person's cookie, or one sealed under a retired key, shows nothing.
        state
            .vault
            .open(&place(ctx), &sealed)
            .map(|codes| codes.split(' ').map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
async fn audit_mfa(
    db: &sea_orm::DatabaseConnection,
    ctx: &crate::access::context::UserCtx,
    action: &'static str,
) -> Result<(), AppError> {
    crate::audit::record(
        db,
        crate::audit::Entry {
            partner_id: Some(ctx.partner.id),
            user_id: Some(ctx.user_id()),
            action,
            entity_type: "user",
            entity_id: Some(ctx.user_id().to_string()),
            ..Default::default()
        },
        &ctx.meta,
    )
    .await
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
    let redirect = match redirect.as_deref().and_then(super::model::safe_redirect) {
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
async fn viewer(
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
