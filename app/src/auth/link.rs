//! Single-use emailed links (password resets, email confirmations), kept in `auth_tokens`
//! by purpose: only the newest of a purpose works for a user, and a link is spent by one
//! conditional update, so of two requests racing with it one wins.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::token;
use crate::db::entity::auth_token;
use crate::error::AppError;

/// A fresh link token for `user_id`, valid for `ttl`; the user's earlier unused links of
/// the same purpose stop working. Returns the raw token, to put in the email.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    purpose: &str,
    user_id: Uuid,
    partner_id: Uuid,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    retire(db, purpose, user_id, now).await?;
    let raw = token::generate();
    auth_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        purpose: Set(purpose.into()),
        token_hash: Set(token::hash(&raw)),
        user_id: Set(user_id),
        partner_id: Set(Some(partner_id)),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(raw)
}

/// Spends every unused link of `purpose` of a user.
pub async fn retire<C: ConnectionTrait>(
    db: &C,
    purpose: &str,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::UsedAt, Expr::value(now))
        .filter(auth_token::Column::UserId.eq(user_id))
        .filter(auth_token::Column::Purpose.eq(purpose))
        .filter(auth_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Spends one link; `false` when another request spent it first.
pub async fn spend<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let spent = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::UsedAt, Expr::value(now))
        .filter(auth_token::Column::Id.eq(id))
        .filter(auth_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(spent.rows_affected == 1)
}
