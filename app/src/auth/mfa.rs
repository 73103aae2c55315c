//! Two-factor sign-in: enrolment (secret sealed in the vault, QR code, recovery codes),
//! verification of a TOTP or recovery code, and disabling.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::model::MfaEnrollment;
use super::{qr, token, totp};
use crate::db::entity::{mfa_recovery_code, user, user_mfa};
use crate::error::AppError;
use crate::secrets::{Place, Vault};

/// Where a user's authenticator secret is sealed (bound to the user).
pub fn secret_place(user_id: Uuid) -> Place {
    Place::new("user_mfa.secret", user_id)
}

/// Whether the user has finished enrolling.
pub async fn is_enabled<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<bool, AppError> {
    Ok(user_mfa::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|m| m.enabled_at.is_some()))
}

/// Starts (or restarts) enrolment with a fresh secret; refused once enabled.
pub async fn begin<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    user: &user::Model,
    issuer: &str,
) -> Result<MfaEnrollment, AppError> {
    let existing = user_mfa::Entity::find_by_id(user.id).one(db).await?;
    if existing.as_ref().is_some_and(|m| m.enabled_at.is_some()) {
        return Err(AppError::conflict(
            "Two-factor authentication is already on. Turn it off first to enrol a new device.",
        ));
    }
    let secret = totp::new_secret();
    let sealed = vault
        .seal(&secret_place(user.id), &secret)
        .map_err(AppError::internal)?;
    let now = Utc::now();
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.secret_sealed = Set(sealed);
            active.last_used_step = Set(None);
            active.updated_at = Set(now);
            active.update(db).await?;
        }
        None => {
            user_mfa::ActiveModel {
                user_id: Set(user.id),
                secret_sealed: Set(sealed),
                enabled_at: Set(None),
                last_used_step: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(enrollment(secret, issuer, &user.email))
}

/// The enrolment `begin` started, while no code has confirmed it: the same secret and QR
/// code again, so the account page shows them until the first code.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    user: &user::Model,
    issuer: &str,
) -> Result<Option<MfaEnrollment>, AppError> {
    let Some(row) = user_mfa::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .filter(|m| m.enabled_at.is_none())
    else {
        return Ok(None);
    };
    let secret = vault
        .open(&secret_place(row.user_id), &row.secret_sealed)
        .map_err(AppError::internal)?;
    Ok(Some(enrollment(secret, issuer, &user.email)))
}

fn enrollment(secret: String, issuer: &str, email: &str) -> MfaEnrollment {
    let uri = totp::provisioning_uri(&secret, issuer, email);
    MfaEnrollment {
        qr_svg: qr::svg(&uri).unwrap_or_default(),
        secret,
        uri,
    }
}

/// Confirms enrolment with a first code; returns the recovery codes, shown once.
pub async fn confirm<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    user_id: Uuid,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let row = user_mfa::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|m| m.enabled_at.is_none())
        .ok_or_else(|| AppError::conflict("Start enrolment first: there is no code to confirm."))?;
    let secret = vault
        .open(&secret_place(row.user_id), &row.secret_sealed)
        .map_err(AppError::internal)?;
    let Some(step) = totp::verify(&secret, code, Utc::now().timestamp(), row.last_used_step) else {
        return Err(AppError::invalid(
            "code",
            "That code is not valid. Enter the 6-digit code your app shows now.",
        ));
    };
    let now = Utc::now();
    let mut active = row.into_active_model();
    active.enabled_at = Set(Some(now));
    active.last_used_step = Set(Some(step));
    active.updated_at = Set(now);
    active.update(db).await?;
    replace_recovery_codes(db, user_id).await
}

/// Whether `code` is a current TOTP code or an unused recovery code (which it consumes).
pub async fn verify_code<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    user_id: Uuid,
    code: &str,
) -> Result<bool, AppError> {
    let Some(row) = user_mfa::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|m| m.enabled_at.is_some())
    else {
        return Ok(false);
    };
    let secret = vault
        .open(&secret_place(row.user_id), &row.secret_sealed)
        .map_err(AppError::internal)?;
    if let Some(step) = totp::verify(&secret, code, Utc::now().timestamp(), row.last_used_step) {
        // Conditional on the step, so two requests racing with one code cannot both pass.
        let claimed = user_mfa::Entity::update_many()
            .col_expr(user_mfa::Column::LastUsedStep, Expr::value(step))
            .filter(user_mfa::Column::UserId.eq(user_id))
            .filter(
                Condition::any()
                    .add(user_mfa::Column::LastUsedStep.is_null())
                    .add(user_mfa::Column::LastUsedStep.lt(step)),
            )
            .exec(db)
            .await?;
        return Ok(claimed.rows_affected == 1);
    }
    let normalized = totp::normalize_recovery_code(code);
    if normalized.len() != 10 {
        return Ok(false);
    }
    let used = mfa_recovery_code::Entity::update_many()
        .col_expr(mfa_recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(mfa_recovery_code::Column::UserId.eq(user_id))
        .filter(mfa_recovery_code::Column::CodeHash.eq(token::hash(&normalized)))
        .filter(mfa_recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// Turns two-factor off (the caller has confirmed who is asking); removes the secret and
/// recovery codes.
pub async fn disable<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<(), AppError> {
    user_mfa::Entity::delete_by_id(user_id).exec(db).await?;
    mfa_recovery_code::Entity::delete_many()
        .filter(mfa_recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// How many recovery codes are left unused.
pub async fn recovery_codes_left<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(mfa_recovery_code::Entity::find()
        .filter(mfa_recovery_code::Column::UserId.eq(user_id))
        .filter(mfa_recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

async fn replace_recovery_codes<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
) -> Result<Vec<String>, AppError> {
    mfa_recovery_code::Entity::delete_many()
        .filter(mfa_recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let codes = totp::new_recovery_codes();
    let now = Utc::now();
    for code in &codes {
        mfa_recovery_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user_id),
            code_hash: Set(token::hash(&totp::normalize_recovery_code(code))),
            used_at: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(codes)
}
