//! Sliding-window rate limits kept in the database, so every server process on one
//! PostgreSQL shares them.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::db::entity::rate_limit_hit;
use crate::error::AppError;

/// At most `max` counted attempts per `window` in one bucket.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: u64,
    pub window: Duration,
}

/// Failed sign-ins from one address, whatever the account (credential stuffing).
/// Successes are not counted, so an office behind one address is not locked out.
pub const LOGIN_FAILURES_PER_IP: Limit = Limit {
    name: "login-ip",
    max: 20,
    window: Duration::minutes(15),
};
/// Failed sign-ins (password or second factor) of one account.
pub const LOGIN_FAILURES_PER_ACCOUNT: Limit = Limit {
    name: "login-account",
    max: 5,
    window: Duration::minutes(15),
};
/// Accounts created from one address.
pub const SIGNUP_PER_IP: Limit = Limit {
    name: "signup-ip",
    max: 10,
    window: Duration::hours(1),
};
/// Password-reset emails requested from one address.
pub const RESET_PER_IP: Limit = Limit {
    name: "reset-ip",
    max: 10,
    window: Duration::hours(1),
};
/// Password-reset emails for one account.
pub const RESET_PER_ACCOUNT: Limit = Limit {
    name: "reset-account",
    max: 3,
    window: Duration::hours(1),
};
/// Attempts to use a reset token from one address.
pub const RESET_SUBMIT_PER_IP: Limit = Limit {
    name: "reset-submit-ip",
    max: 10,
    window: Duration::minutes(15),
};

/// Forgets every counted attempt older than a day (longer than any window): buckets that
/// are never hit again are not cleaned by `hit`.
pub async fn purge_old<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(rate_limit_hit::Entity::delete_many()
        .filter(rate_limit_hit::Column::HitAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?
        .rows_affected)
}

impl Limit {
    fn bucket(&self, key: &str) -> String {
        format!("{}:{}", self.name, key)
    }

    /// Refuses with "try again in N seconds" when the bucket is full.
    pub async fn check<C: ConnectionTrait>(
        &self,
        db: &C,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let bucket = self.bucket(key);
        let since = now - self.window;
        let in_window = rate_limit_hit::Entity::find()
            .filter(rate_limit_hit::Column::Bucket.eq(&bucket))
            .filter(rate_limit_hit::Column::HitAt.gt(since));
        if in_window.clone().count(db).await? < self.max {
            return Ok(());
        }
        let oldest = in_window
            .order_by_asc(rate_limit_hit::Column::HitAt)
            .one(db)
            .await?
            .map_or(now, |hit| hit.hit_at);
        let wait = (oldest + self.window - now).num_seconds().max(1);
        Err(AppError::rate_limited(wait.unsigned_abs()))
    }

    /// Counts one attempt, and forgets this bucket's attempts older than the window.
    pub async fn hit<C: ConnectionTrait>(
        &self,
        db: &C,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let bucket = self.bucket(key);
        rate_limit_hit::Entity::delete_many()
            .filter(rate_limit_hit::Column::Bucket.eq(&bucket))
            .filter(rate_limit_hit::Column::HitAt.lte(now - self.window))
            .exec(db)
            .await?;
        rate_limit_hit::ActiveModel {
            id: Set(Uuid::now_v7()),
            bucket: Set(bucket),
            hit_at: Set(now),
        }
        .insert(db)
        .await?;
        Ok(())
    }

    /// Forgets a bucket (a successful sign-in clears the account's failures).
    pub async fn clear<C: ConnectionTrait>(&self, db: &C, key: &str) -> Result<(), AppError> {
        rate_limit_hit::Entity::delete_many()
            .filter(rate_limit_hit::Column::Bucket.eq(self.bucket(key)))
            .exec(db)
            .await?;
        Ok(())
    }
}
