//! Sliding-window rate limits kept in the database, so every server process on one
//! PostgreSQL shares them.
//!
//! An attempt that is checked before it is counted can be raced: N parallel guesses all
//! read "under the limit", then all run. [`Limit::take`] therefore counts and records the
//! attempt in one short transaction that holds the bucket (PostgreSQL: an advisory lock on
//! the bucket; SQLite: its single writer), committed on its own before the attempt is
//! checked, never inside a transaction that could roll it back. Exactly the first `max`
//! attempts get past it, however many arrive at once.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, Statement,
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

/// Confirmation links sent again for one address.
pub const CONFIRM_PER_ACCOUNT: Limit = Limit {
    name: "confirm-account",
    max: 3,
    window: Duration::hours(1),
};
/// Confirmation links sent again from one client address.
pub const CONFIRM_PER_IP: Limit = Limit {
    name: "confirm-ip",
    max: 10,
    window: Duration::hours(1),
};
/// Browser test calls one person starts (VAPI and Retell bill the agency per minute).
pub const TEST_CALLS_PER_USER: Limit = Limit {
    name: "test-call-user",
    max: 60,
    window: Duration::hours(1),
};
/// Browser test calls started in one workspace, whoever starts them.
pub const TEST_CALLS_PER_WORKSPACE: Limit = Limit {
    name: "test-call-workspace",
    max: 300,
    window: Duration::hours(1),
};
/// "Call me" calls one person places: each dials a number of their choosing from the
/// agency's shared number, the classic toll-fraud target.
pub const CALL_ME_PER_USER: Limit = Limit {
    name: "call-me-user",
    max: 10,
    window: Duration::hours(1),
};
/// "Call me" calls placed from one workspace.
pub const CALL_ME_PER_WORKSPACE: Limit = Limit {
    name: "call-me-workspace",
    max: 30,
    window: Duration::hours(1),
};
/// Invitation emails (new or resent) one person sends.
pub const INVITES_PER_USER: Limit = Limit {
    name: "invite-user",
    max: 30,
    window: Duration::hours(1),
};
/// Invitation emails sent from one organisation, by all its people together.
pub const INVITES_PER_PARTNER: Limit = Limit {
    name: "invite-partner",
    max: 200,
    window: Duration::days(1),
};

/// Counts an action against the person's and the wider scope's limits, both at once: the
/// action is refused (429) when either is full, and then counts against neither.
pub async fn take_both(
    db: &DatabaseConnection,
    (person, person_key): (Limit, &str),
    (scope, scope_key): (Limit, &str),
) -> Result<(), AppError> {
    let now = Utc::now();
    let by_person = person.take(db, person_key, now).await?;
    match scope.take(db, scope_key, now).await {
        Ok(slot) => {
            slot.keep();
            by_person.keep();
            Ok(())
        }
        Err(refused) => {
            by_person.release(db).await?;
            Err(refused)
        }
    }
}

/// Forgets every counted attempt older than a day (longer than any window): buckets that
/// are never hit again are not cleaned by `hit`.
pub async fn purge_old<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(rate_limit_hit::Entity::delete_many()
        .filter(rate_limit_hit::Column::HitAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?
        .rows_affected)
}

/// The periodic job that runs [`purge_old`].
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PurgeRateLimits;

impl crate::jobs::Job for PurgeRateLimits {
    const KIND: &'static str = "rate_limits.purge";

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        purge_old(&cx.state.db, Utc::now()).await?;
        Ok(())
    }
}

/// The advisory-lock key of a bucket: the first eight bytes of its SHA-256.
fn lock_key(bucket: &str) -> i64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bucket.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// An attempt's place in a bucket, taken before the attempt is checked. Dropping it keeps
/// the attempt counted (a failure); [`Slot::release`] gives the place back (a success, or
/// an attempt that another limit refused before it was checked).
#[derive(Debug)]
#[must_use = "a slot is either kept (the attempt failed) or released"]
pub struct Slot {
    id: Uuid,
}

impl Slot {
    pub async fn release(self, db: &DatabaseConnection) -> Result<(), AppError> {
        rate_limit_hit::Entity::delete_by_id(self.id)
            .exec(db)
            .await?;
        Ok(())
    }

    /// Keeps the attempt counted.
    pub fn keep(self) {}
}

impl Limit {
    fn bucket(&self, key: &str) -> String {
        format!("{}:{}", self.name, key)
    }

    /// Takes one place in the bucket for an attempt about to be checked, or refuses it
    /// ("try again in N seconds") when `max` places in the window are taken. Takes the
    /// pool, not a transaction: the place must be visible to every racing attempt at once.
    pub async fn take(
        &self,
        db: &DatabaseConnection,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Slot, AppError> {
        let in_window = self.in_window(key, now);
        // A plainly full bucket is refused without queueing for its lock.
        if in_window.clone().count(db).await? >= self.max {
            return Err(self.refusal(in_window, db, now).await?);
        }
        let txn = crate::db::begin_write(db).await?;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [lock_key(&self.bucket(key)).into()],
            ))
            .await?;
        }
        if in_window.clone().count(&txn).await? >= self.max {
            txn.rollback().await?;
            return Err(self.refusal(in_window, db, now).await?);
        }
        let id = self.record(&txn, key, now).await?;
        txn.commit().await?;
        Ok(Slot { id })
    }

    fn in_window(&self, key: &str, now: DateTime<Utc>) -> sea_orm::Select<rate_limit_hit::Entity> {
        rate_limit_hit::Entity::find()
            .filter(rate_limit_hit::Column::Bucket.eq(self.bucket(key)))
            .filter(rate_limit_hit::Column::HitAt.gt(now - self.window))
    }

    /// "Try again in N seconds": when the oldest attempt in the window leaves it.
    async fn refusal<C: ConnectionTrait>(
        &self,
        in_window: sea_orm::Select<rate_limit_hit::Entity>,
        db: &C,
        now: DateTime<Utc>,
    ) -> Result<AppError, AppError> {
        let oldest = in_window
            .order_by_asc(rate_limit_hit::Column::HitAt)
            .one(db)
            .await?
            .map_or(now, |hit| hit.hit_at);
        let wait = (oldest + self.window - now).num_seconds().max(1);
        Ok(AppError::rate_limited(wait.unsigned_abs()))
    }

    /// Counts one attempt, and forgets this bucket's attempts older than the window.
    async fn record<C: ConnectionTrait>(
        &self,
        db: &C,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Uuid, AppError> {
        let bucket = self.bucket(key);
        let id = Uuid::now_v7();
        rate_limit_hit::Entity::delete_many()
            .filter(rate_limit_hit::Column::Bucket.eq(&bucket))
            .filter(rate_limit_hit::Column::HitAt.lte(now - self.window))
            .exec(db)
            .await?;
        rate_limit_hit::ActiveModel {
            id: Set(id),
            bucket: Set(bucket),
            hit_at: Set(now),
        }
        .insert(db)
        .await?;
        Ok(id)
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
