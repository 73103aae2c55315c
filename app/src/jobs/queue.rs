//! The queue's statements: claiming due jobs under a lease, renewing it, and ending an
//! attempt (finished, to be retried, or dead). Every change to a claimed job names the
//! lease owner, so a worker that lost its lease changes nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, sea_query::Expr,
};
use uuid::Uuid;

use super::model::State;
use crate::db::entity::job;

const CLAIM: &str = "UPDATE jobs SET state = $1, lease_owner = $2, lease_expires_at = $3, \
     attempts = attempts + 1, unique_key = NULL, updated_at = $4 \
     WHERE id IN (SELECT id FROM jobs \
       WHERE (state = $5 AND run_at <= $4) OR (state = $1 AND lease_expires_at < $4) \
       ORDER BY run_at LIMIT $6{lock}) \
     RETURNING *";

/// Claims up to `limit` jobs that are due, or whose lease lapsed (their worker stopped),
/// for `owner` until `now + lease`; each claim counts an attempt. PostgreSQL skips rows
/// another worker is claiming (`FOR UPDATE SKIP LOCKED`), so workers never wait on each
/// other; SQLite has one writer, so the statement alone is enough. A claimed job's unique
/// key is cleared: the same work asked for again while it runs is queued anew.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    owner: &str,
    limit: u64,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Vec<job::Model>, DbErr> {
    let backend = db.get_database_backend();
    let expires =
        now + chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::minutes(5));
    let (queued, running) = (State::Queued, State::Running);
    // SQLite numbers its parameters `?N`; PostgreSQL `$N`.
    let sql = CLAIM.replace(
        "{lock}",
        if backend == DatabaseBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        },
    );
    let sql = if backend == DatabaseBackend::Postgres {
        sql
    } else {
        sql.replace('$', "?")
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    job::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            backend,
            &sql,
            [
                running.into(),
                owner.into(),
                expires.into(),
                now.into(),
                queued.into(),
                limit.into(),
            ],
        ))
        .all(db)
        .await
}

/// Extends `owner`'s lease on a running job; `false` when it no longer holds it.
pub async fn renew<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    owner: &str,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(held(job::Entity::update_many(), id, owner)
        .col_expr(job::Column::LeaseExpiresAt, Expr::value(until))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Deletes a finished job; `false` when `owner` no longer held it.
pub async fn finish<C: ConnectionTrait>(db: &C, id: Uuid, owner: &str) -> Result<bool, DbErr> {
    Ok(job::Entity::delete_many()
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(State::Running))
        .filter(job::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Puts a failed job back in the queue to run at `run_at`, keeping its error.
pub async fn retry_at<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    owner: &str,
    error: &str,
    run_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let update = held(job::Entity::update_many(), id, owner)
        .col_expr(job::Column::RunAt, Expr::value(run_at));
    end_attempt(db, update, State::Queued, error).await
}

/// Gives a job up: it stays, `dead`, with its last error, until retried or discarded.
pub async fn bury<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    owner: &str,
    error: &str,
) -> Result<bool, DbErr> {
    end_attempt(
        db,
        held(job::Entity::update_many(), id, owner),
        State::Dead,
        error,
    )
    .await
}

/// Ends a failed attempt: the job leaves its worker for `state`, keeping `error`.
async fn end_attempt<C: ConnectionTrait>(
    db: &C,
    update: sea_orm::UpdateMany<job::Entity>,
    state: State,
    error: &str,
) -> Result<bool, DbErr> {
    Ok(update
        .col_expr(job::Column::State, Expr::value(state))
        .col_expr(job::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Hands back every job `owner` holds, untried (a worker shutting down before they ran):
/// they are due again at once, for any worker, without the attempt counting.
pub async fn release_all<C: ConnectionTrait>(db: &C, owner: &str) -> Result<u64, DbErr> {
    use sea_orm::sea_query::ExprTrait;
    Ok(job::Entity::update_many()
        .filter(job::Column::State.eq(State::Running))
        .filter(job::Column::LeaseOwner.eq(owner))
        .col_expr(job::Column::State, Expr::value(State::Queued))
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).sub(1),
        )
        .col_expr(job::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec(db)
        .await?
        .rows_affected)
}

fn held(
    update: sea_orm::UpdateMany<job::Entity>,
    id: Uuid,
    owner: &str,
) -> sea_orm::UpdateMany<job::Entity> {
    update
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(State::Running))
        .filter(job::Column::LeaseOwner.eq(owner))
}

/// The delay before attempt `attempt + 1` after `attempt` failed: doubling from 15
/// seconds, capped at six hours, with up to a quarter of it added at random so that jobs
/// that failed together do not all return together.
pub fn backoff(attempt: i32) -> Duration {
    let doublings = u32::try_from(attempt.clamp(1, 21) - 1).unwrap_or(0);
    let base = 15u64 << doublings;
    let capped = base.min(6 * 60 * 60);
    let jitter = rand::random_range(0..=capped / 4);
    Duration::from_secs(capped + jitter)
}

/// When the next job falls due (`None` with nothing queued): how long an idle worker may
/// sleep before its next look.
pub async fn next_due<C: ConnectionTrait>(db: &C) -> Result<Option<DateTime<Utc>>, DbErr> {
    let queued = job::Entity::find()
        .filter(job::Column::State.eq(State::Queued))
        .order_by_asc(job::Column::RunAt)
        .one(db)
        .await?
        .map(|j| j.run_at);
    let lapsing = job::Entity::find()
        .filter(job::Column::State.eq(State::Running))
        .order_by_asc(job::Column::LeaseExpiresAt)
        .one(db)
        .await?
        .and_then(|j| j.lease_expires_at);
    Ok(match (queued, lapsing) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// How many jobs of each kind are in each state.
pub async fn depth<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, State, i64)>, DbErr> {
    job::Entity::find()
        .select_only()
        .column(job::Column::Kind)
        .column(job::Column::State)
        .column_as(job::Column::Id.count(), "n")
        .group_by(job::Column::Kind)
        .group_by(job::Column::State)
        .order_by_asc(job::Column::Kind)
        .into_tuple()
        .all(db)
        .await
}

/// Puts a dead job back in the queue with a fresh count of attempts; `false` when no
/// dead job has that id.
pub async fn revive<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<bool, DbErr> {
    Ok(job::Entity::update_many()
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(State::Dead))
        .col_expr(job::Column::State, Expr::value(State::Queued))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAt, Expr::value(Utc::now()))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Deletes a dead job; `false` when no dead job has that id.
pub async fn discard<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<bool, DbErr> {
    Ok(job::Entity::delete_many()
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(State::Dead))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_from_fifteen_seconds_with_a_quarter_of_jitter_and_a_cap() {
        for (attempt, base) in [(1, 15), (2, 30), (3, 60), (6, 480)] {
            let d = backoff(attempt).as_secs();
            assert!((base..=base + base / 4).contains(&d), "{attempt}: {d}");
        }
        let cap = 6 * 60 * 60;
        assert!((cap..=cap + cap / 4).contains(&backoff(40).as_secs()));
        assert!(backoff(0).as_secs() >= 15);
    }
}
