//! The account page's server functions: profile, password, and two-factor settings.

use leptos::prelude::*;

use crate::access::model::Viewer;
use crate::auth::model::{MfaEnrollment, MfaState};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::viewer,
    crate::access::guard::require_user,
    crate::auth::{login, mfa, reset, service},
    crate::components::toast::flash,
    crate::state::app_state,
};

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
