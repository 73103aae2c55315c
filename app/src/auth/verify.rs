//! Confirming that a new account's address belongs to the person who signed up with it.
//!
//! Public sign-up creates the account as `unverified`: it cannot sign in, and nothing else
//! can happen to it, until the emailed link is opened together with the password chosen
//! at sign-up. Signing the address up again before that replaces the password and sends a
//! fresh link. Needing both closes the "pre-hijack": someone who signs up with another
//! person's address first knows the password but never sees the link; the address's
//! owner sees the link but, if the squatter signed up last, not the password, and simply
//! signs up again. Nobody ever confirms an account whose password someone else chose.
//!
//! An address that already has an account gets an email saying someone tried, and the
//! form answers exactly as for a new address, so it tells nobody who has an account.
//! Accounts created by invitation are verified by the invitation link.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use super::model::{Email, UserStatus};
use super::rate_limit::{CONFIRM_PER_ACCOUNT, CONFIRM_PER_IP, LOGIN_FAILURES_PER_ACCOUNT};
use super::{link, password, service, token};
use crate::audit;
use crate::audit::RequestMeta;
use crate::config::Config;
use crate::db::entity::{auth_token, partner, user};
use crate::email::model::EmailKind;
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::service as tenancy;

pub const PURPOSE: &str = "email_verification";
/// How long a confirmation link works.
pub const TTL: Duration = Duration::hours(24);

/// Retires the account's earlier links and emails a fresh one.
pub async fn send_link<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    partner: &partner::Model,
    user: &user::Model,
) -> Result<(), AppError> {
    let raw = link::issue(db, PURPOSE, user.id, partner.id, TTL, Utc::now()).await?;
    let (brand, origin) =
        tenancy::email_brand(db, partner, &config.app_url, &config.platform_domain).await?;
    let name = user.first_name.clone().unwrap_or_else(|| "there".into());
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.sender_name,
        EmailKind::ConfirmEmail,
        &user.email,
        template::confirm_email(
            &brand,
            &name,
            &format!("{origin}/verify-email?token={raw}"),
            TTL.num_hours(),
        ),
    )
    .await?;
    Ok(())
}

/// Tells the owner of an address that someone tried to sign up with it.
pub async fn tell_owner<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    partner: &partner::Model,
    user: &user::Model,
) -> Result<(), AppError> {
    let (brand, origin) =
        tenancy::email_brand(db, partner, &config.app_url, &config.platform_domain).await?;
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.sender_name,
        EmailKind::SignupAttempt,
        &user.email,
        template::signup_attempt(&brand, &format!("{origin}/forgot-password")),
    )
    .await?;
    Ok(())
}

/// Opens a confirmation link with the password chosen at sign-up: the account becomes
/// active and is returned, to sign in. A wrong password leaves the link usable and counts
/// against the account like a failed sign-in.
pub async fn confirm(
    db: &DatabaseConnection,
    raw: &str,
    password: &str,
    meta: &RequestMeta,
) -> Result<user::Model, AppError> {
    let now = Utc::now();
    let expired = || {
        AppError::invalid(
            "token",
            "This link has expired or was already used. Sign up again with the same address \
             to get a new one.",
        )
    };
    let found = auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(token::hash(raw.trim())))
        .filter(auth_token::Column::Purpose.eq(PURPOSE))
        .filter(auth_token::Column::UsedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or_else(expired)?;
    let owner = user::Entity::find_by_id(found.user_id)
        .one(db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or_else(expired)?;
    let slot = LOGIN_FAILURES_PER_ACCOUNT
        .take(db, &owner.email, now)
        .await?;
    if !password::verify(password.to_owned(), owner.password_hash.clone()).await? {
        slot.keep();
        return Err(AppError::invalid(
            "password",
            "That is not the password this account was signed up with. If you are not sure, \
             sign up again with this address: the new password and a new link replace these.",
        ));
    }
    slot.release(db).await?;
    // Spent conditionally: of two requests racing with one link, one wins.
    if !link::spend(db, found.id, now).await? {
        return Err(expired());
    }
    let user = if owner.status == UserStatus::Unverified {
        let user = owner;
        let mut active = user.into_active_model();
        active.status = Set(UserStatus::Active);
        active.updated_at = Set(now);
        active.update(db).await?
    } else {
        owner
    };
    link::retire(db, PURPOSE, user.id, now).await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: found.partner_id,
            user_id: Some(user.id),
            action: "user.email_confirmed",
            entity_type: "user",
            entity_id: Some(user.id.to_string()),
            ..Default::default()
        },
        meta,
    )
    .await?;
    Ok(user)
}

/// Sends the link again to an unconfirmed account, under limits; answers the same whether
/// or not there is one.
pub async fn resend(
    db: &DatabaseConnection,
    config: &Config,
    partner: &partner::Model,
    email: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    super::rate_limit::take_both(
        db,
        (CONFIRM_PER_ACCOUNT, email.as_str()),
        (CONFIRM_PER_IP, meta.ip.as_deref().unwrap_or("unknown")),
    )
    .await?;
    let Some(user) = service::find_by_email(db, &email)
        .await?
        .filter(|u| u.deleted_at.is_none() && u.status == UserStatus::Unverified)
    else {
        return Ok(());
    };
    send_link(db, config, partner, &user).await
}
