//! Signing in: password check under rate limits, then the second factor when enrolled.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, IntoActiveModel, Set};
use serde_json::json;

use super::model::{Email, UserStatus};
use super::rate_limit::{LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_IP};
use super::{mfa, password, service};
use crate::audit;
use crate::audit::RequestMeta;
use crate::db::entity::{partner, user};
use crate::error::AppError;
use crate::secrets::Vault;

/// A hash of a random password nobody has, verified when the email is unknown so the
/// answer takes as long as for a real account.
async fn decoy_hash() -> Result<String, AppError> {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_try_init(|| password::hash(super::token::generate()))
        .await
        .cloned()
}

/// The same words for an unknown email and a wrong password, so neither is revealed.
pub fn wrong_credentials() -> AppError {
    AppError::Unauthorized("Email or password is incorrect.".into())
}

/// The user whose email and password these are. The attempt takes its place in the
/// address's and the account's limits before the password is verified (see
/// `rate_limit::Limit::take`), so parallel guesses cannot outrun the count; a success gives
/// both places back.
pub async fn check_password(
    db: &DatabaseConnection,
    partner: &partner::Model,
    email: &str,
    password_text: &str,
    meta: &RequestMeta,
) -> Result<user::Model, AppError> {
    let now = Utc::now();
    let Ok(email) = Email::parse(email) else {
        return Err(AppError::invalid(
            "email",
            "Enter an email address like name@example.com.",
        ));
    };
    let ip = meta.ip.as_deref().unwrap_or("unknown");
    let by_ip = LOGIN_FAILURES_PER_IP.take(db, ip, now).await?;
    let by_account = match LOGIN_FAILURES_PER_ACCOUNT
        .take(db, email.as_str(), now)
        .await
    {
        Ok(slot) => slot,
        Err(refused) => {
            by_ip.release(db).await?;
            return Err(refused);
        }
    };

    let found = service::find_by_email(db, &email).await?.filter(|u| {
        u.deleted_at.is_none() && matches!(u.status, UserStatus::Active | UserStatus::Unverified)
    });
    let phc = match &found {
        Some(u) => u.password_hash.clone(),
        None => decoy_hash().await?,
    };
    let matches = match password::verify(password_text.to_owned(), phc).await {
        Ok(matches) => matches,
        Err(busy) => {
            // Never checked: neither limit should count it.
            by_account.release(db).await?;
            by_ip.release(db).await?;
            return Err(busy);
        }
    };
    match found {
        // The right password of an account whose address is not confirmed: only its owner
        // learns that, and what to do.
        Some(user) if matches && user.status == UserStatus::Unverified => {
            by_account.release(db).await?;
            by_ip.release(db).await?;
            Err(AppError::Forbidden(
                "Confirm your email address first: open the link we sent you. To get a new \
                 link, sign up again with the same address."
                    .into(),
            ))
        }
        Some(user) if matches => {
            by_account.release(db).await?;
            by_ip.release(db).await?;
            Ok(user)
        }
        other => {
            by_account.keep();
            by_ip.keep();
            audit::record(
                db,
                audit::Entry {
                    partner_id: Some(partner.id),
                    user_id: other.as_ref().map(|u| u.id),
                    action: "user.login_failed",
                    entity_type: "user",
                    entity_id: other.as_ref().map(|u| u.id.to_string()),
                    metadata: Some(json!({"reason": "password"})),
                    ..Default::default()
                },
                meta,
            )
            .await?;
            Err(wrong_credentials())
        }
    }
}

/// Checks a second-factor code (TOTP or recovery) for a user part-way through signing in;
/// the attempt takes its place in the account's limit before the code is checked.
pub async fn check_second_factor(
    db: &DatabaseConnection,
    vault: &Vault,
    partner: &partner::Model,
    user: &user::Model,
    code: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let slot = LOGIN_FAILURES_PER_ACCOUNT
        .take(db, &user.email, Utc::now())
        .await?;
    if mfa::verify_code(db, vault, user.id, code).await? {
        slot.release(db).await?;
        return Ok(());
    }
    slot.keep();
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(partner.id),
            user_id: Some(user.id),
            action: "user.login_failed",
            entity_type: "user",
            entity_id: Some(user.id.to_string()),
            metadata: Some(json!({"reason": "second_factor"})),
            ..Default::default()
        },
        meta,
    )
    .await?;
    Err(AppError::invalid(
        "code",
        "That code is not valid. Enter the current 6-digit code or a recovery code.",
    ))
}

/// Proves that the signed-in person is the account's owner before a sensitive change
/// (password, two-factor): the current password, and a current code when two-factor is on.
/// Counted like a sign-in against the account, so a stolen session cannot guess the
/// password through these forms.
pub async fn confirm_identity(
    db: &DatabaseConnection,
    vault: &Vault,
    user: &user::Model,
    current_password: &str,
    code: Option<&str>,
) -> Result<(), AppError> {
    let slot = LOGIN_FAILURES_PER_ACCOUNT
        .take(db, &user.email, Utc::now())
        .await?;
    let verified =
        match password::verify(current_password.to_owned(), user.password_hash.clone()).await {
            Ok(verified) => verified,
            Err(busy) => {
                slot.release(db).await?;
                return Err(busy);
            }
        };
    if !verified {
        slot.keep();
        return Err(AppError::invalid(
            "current_password",
            "Your current password is not correct.",
        ));
    }
    if mfa::is_enabled(db, user.id).await? {
        let code = code.map(str::trim).unwrap_or_default();
        if code.is_empty() {
            slot.release(db).await?;
            return Err(AppError::invalid(
                "code",
                "Enter the current 6-digit code from your authenticator app, or a recovery code.",
            ));
        }
        if !mfa::verify_code(db, vault, user.id, code).await? {
            slot.keep();
            return Err(AppError::invalid(
                "code",
                "That code is not valid. Enter the current 6-digit code or a recovery code.",
            ));
        }
    }
    slot.release(db).await
}

/// Refuses (and audits) a console sign-in by someone who is not a platform administrator.
pub async fn require_super_admin<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    user: &user::Model,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    if service::is_super_admin(db, user.id).await? {
        return Ok(());
    }
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(partner.id),
            user_id: Some(user.id),
            action: "user.login_failed",
            entity_type: "user",
            entity_id: Some(user.id.to_string()),
            metadata: Some(json!({"reason": "not_super_admin"})),
            ..Default::default()
        },
        meta,
    )
    .await?;
    Err(AppError::Forbidden(
        "This account is not a platform administrator.".into(),
    ))
}

/// Records a completed sign-in: clears the account's failures, stamps the user, audits.
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    user: user::Model,
    with_mfa: bool,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    LOGIN_FAILURES_PER_ACCOUNT.clear(db, &user.email).await?;
    let id = user.id;
    let mut active = user.into_active_model();
    active.last_login_at = Set(Some(Utc::now()));
    active.update(db).await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(partner.id),
            user_id: Some(id),
            action: "user.login",
            entity_type: "user",
            entity_id: Some(id.to_string()),
            metadata: Some(json!({"mfa": with_mfa})),
            ..Default::default()
        },
        meta,
    )
    .await
}
