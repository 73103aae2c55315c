//! Passwords: the emailed single-use reset link, and changing a known password. Both end
//! the user's other sessions.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{Email, UserStatus, password_problems};
use super::rate_limit::{RESET_PER_ACCOUNT, RESET_PER_IP, RESET_SUBMIT_PER_IP, take_both};
use super::session;
use super::{link, password, service, token};
use crate::audit;
use crate::audit::RequestMeta;
use crate::config::Config;
use crate::db::entity::{auth_token, partner, user};
use crate::email::model::EmailKind;
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::service as tenancy;

pub const PURPOSE: &str = "password_reset";
/// How long a reset link works.
pub const RESET_TTL: Duration = Duration::minutes(60);
/// Every "forgot password" answer takes at least this long, found or not (the work for a
/// known address takes a few milliseconds on a busy database; this covers it many times).
pub const ANSWER_AFTER: std::time::Duration = std::time::Duration::from_millis(400);

/// Emails a reset link if the address has an account. The answer is the same either way,
/// so the form does not reveal who has an account.
pub async fn request(
    db: &DatabaseConnection,
    config: &Config,
    partner: &partner::Model,
    email: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let now = Utc::now();
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    let ip = meta.ip.as_deref().unwrap_or("unknown");
    take_both(db, (RESET_PER_IP, ip), (RESET_PER_ACCOUNT, email.as_str())).await?;

    let Some(user) = service::find_by_email(db, &email)
        .await?
        .filter(|u| u.deleted_at.is_none() && u.status == UserStatus::Active)
    else {
        return Ok(());
    };
    // Only the newest link works: asking again retires the one sent before.
    let raw = link::issue(db, PURPOSE, user.id, partner.id, RESET_TTL, now).await?;
    let (brand, origin) =
        tenancy::email_brand(db, partner, &config.app_url, &config.platform_domain).await?;
    let link = format!("{origin}/reset-password?token={raw}");
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.sender_name,
        EmailKind::PasswordReset,
        &user.email,
        template::password_reset(&brand, &link, RESET_TTL.num_minutes()),
    )
    .await?;
    Ok(())
}

/// Whether a reset token is still usable (for the page to say so before the form).
pub async fn token_is_usable<C: ConnectionTrait>(db: &C, raw: &str) -> Result<bool, AppError> {
    Ok(find_usable(db, raw).await?.is_some())
}

/// Sets a new password with a reset token, consuming it and ending every session.
pub async fn complete(
    db: &DatabaseConnection,
    raw: &str,
    new_password: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let now = Utc::now();
    let ip = meta.ip.as_deref().unwrap_or("unknown");
    RESET_SUBMIT_PER_IP.take(db, ip, now).await?.keep();
    check_policy(new_password)?;
    let Some(found) = find_usable(db, raw).await? else {
        return Err(AppError::invalid(
            "token",
            "This reset link has expired or was already used. Ask for a new one.",
        ));
    };
    // Spent first: of two requests racing with one token, one wins.
    if !link::spend(db, found.id, now).await? {
        return Err(AppError::invalid(
            "token",
            "This reset link has expired or was already used. Ask for a new one.",
        ));
    }
    let user = user::Entity::find_by_id(found.user_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Account"))?;
    set_password(db, user, new_password).await?;
    // Every other link sent to this account, and every session, ends with the reset.
    link::retire(db, PURPOSE, found.user_id, now).await?;
    session::revoke_all(db, found.user_id, None).await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: found.partner_id,
            user_id: Some(found.user_id),
            action: "user.password_reset",
            entity_type: "user",
            entity_id: Some(found.user_id.to_string()),
            ..Default::default()
        },
        meta,
    )
    .await
}

/// Changes the password of a signed-in user who proved who they are (current password, and
/// a current code when two-factor is on); ends their other sessions.
#[allow(clippy::too_many_arguments)]
pub async fn change(
    db: &DatabaseConnection,
    vault: &crate::secrets::Vault,
    user: &user::Model,
    partner_id: Uuid,
    current_session: Uuid,
    current_password: &str,
    code: Option<&str>,
    new_password: &str,
    meta: &RequestMeta,
) -> Result<u64, AppError> {
    check_policy(new_password)?;
    super::login::confirm_identity(db, vault, user, current_password, code).await?;
    if current_password == new_password {
        return Err(AppError::invalid(
            "new_password",
            "Choose a password different from the current one.",
        ));
    }
    set_password(db, user.clone(), new_password).await?;
    let ended = session::revoke_all(db, user.id, Some(current_session)).await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(partner_id),
            user_id: Some(user.id),
            action: "user.password_changed",
            entity_type: "user",
            entity_id: Some(user.id.to_string()),
            metadata: Some(json!({"sessions_ended": ended})),
            ..Default::default()
        },
        meta,
    )
    .await?;
    Ok(ended)
}

fn check_policy(new_password: &str) -> Result<(), AppError> {
    let problems = password_problems(new_password);
    if problems.is_empty() {
        return Ok(());
    }
    let mut fields = crate::error::FieldErrors::new();
    fields.insert(
        "new_password".into(),
        problems.into_iter().map(str::to_owned).collect(),
    );
    Err(AppError::from_fields(fields).unwrap_or(AppError::Internal))
}

async fn set_password<C: ConnectionTrait>(
    db: &C,
    user: user::Model,
    new_password: &str,
) -> Result<(), AppError> {
    let hash = password::hash(new_password.to_owned()).await?;
    let mut active = user.into_active_model();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

async fn find_usable<C: ConnectionTrait>(
    db: &C,
    raw: &str,
) -> Result<Option<auth_token::Model>, AppError> {
    Ok(auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(token::hash(raw.trim())))
        .filter(auth_token::Column::Purpose.eq(PURPOSE))
        .filter(auth_token::Column::UsedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?)
}
