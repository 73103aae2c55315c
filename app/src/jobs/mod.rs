//! The job queue: work that must happen because of a change, but not inside the request
//! that made it — an email to deliver, a search index to fill, a provider to ask.
//!
//! A job is written to the `jobs` table by [`enqueue`] in the caller's own transaction,
//! next to the write that causes it: either both commit or neither does, and a crash after
//! the commit loses nothing. A worker (`server::worker`) claims due jobs under a lease it
//! renews while they run, so a killed process's jobs are claimed again once their lease
//! lapses; a job that fails is retried later with exponential backoff and jitter, and after
//! its last attempt it is kept as `dead`, with its last error, for an admin to retry or
//! discard. Every job must therefore be safe to run again: a job whose effects are all in
//! the database ends itself in the transaction that writes them ([`Context::finish_in`]),
//! so those effects happen exactly once; one that calls out passes an idempotency key.
//!
//! Periodic work ([`schedule`]) is a job enqueued once per period across all processes.

pub mod model;
pub mod optimize;
pub mod queue;
pub mod schedule;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, Set, Statement};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::db::entity::job;
use crate::error::AppError;
use crate::state::AppState;
use model::State;

/// The PostgreSQL channel a committed enqueue notifies, waking every worker at once.
pub const CHANNEL: &str = "genius365_jobs";

/// One kind of work. The value is the payload, stored as JSON; `run` does the work.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The name stored with each job, unique among kinds. Never rename one that may be
    /// queued: a stored job of an unknown kind is kept as dead.
    const KIND: &'static str;
    /// Attempts before the job is given up as dead.
    const MAX_ATTEMPTS: i32 = 8;

    /// A key for work that needs doing once however often it is asked for: while a job
    /// with this key waits, a second one is not queued.
    fn unique_key(&self) -> Option<String> {
        None
    }

    fn run(self, cx: Context) -> impl Future<Output = Result<(), JobError>> + Send;
}

/// Why an attempt failed, kept on the job; `retry: false` gives up at once (the work can
/// never succeed, such as a payload that no longer reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    pub retry: bool,
}

impl JobError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retry: true,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retry: false,
        }
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<DbErr> for JobError {
    fn from(e: DbErr) -> Self {
        Self::new(format!("database: {e}"))
    }
}

impl From<AppError> for JobError {
    fn from(e: AppError) -> Self {
        Self::new(e.to_string())
    }
}

/// What a running job knows about itself.
#[derive(Clone)]
pub struct Context {
    pub state: AppState,
    pub id: Uuid,
    /// This attempt's number, from 1.
    pub attempt: i32,
    pub max_attempts: i32,
    owner: Arc<str>,
}

impl Context {
    pub fn new(
        state: AppState,
        id: Uuid,
        attempt: i32,
        max_attempts: i32,
        owner: Arc<str>,
    ) -> Self {
        Self {
            state,
            id,
            attempt,
            max_attempts,
            owner,
        }
    }

    /// Whether a failure now gives the job up.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }

    /// Ends the job inside `txn`, the transaction that writes its effects: they commit
    /// together, so a job whose lease was lost (another worker has it now) fails here and
    /// its effects roll back instead of happening twice.
    pub async fn finish_in<C: ConnectionTrait>(&self, txn: &C) -> Result<(), JobError> {
        if queue::finish(txn, self.id, &self.owner).await? {
            Ok(())
        } else {
            Err(JobError::new(
                "this worker's lease lapsed and another worker holds the job",
            ))
        }
    }
}

/// Queues `job` to run now. Call it with the transaction of the change that causes the
/// work. `None` when an equal job (same unique key) is already waiting.
pub async fn enqueue<C: ConnectionTrait, J: Job>(db: &C, job: &J) -> Result<Option<Uuid>, DbErr> {
    enqueue_at(db, job, Utc::now()).await
}

/// Queues `job` to run at `run_at` (or as soon after as a worker is free).
pub async fn enqueue_at<C: ConnectionTrait, J: Job>(
    db: &C,
    job: &J,
    run_at: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    insert(db, job, job.unique_key(), run_at).await
}

/// Queues `job` to run at `run_at`; when an equal job (same unique key) already waits to
/// run later, it is brought forward to `run_at` instead: a wake-up is never postponed.
pub async fn enqueue_no_later<C: ConnectionTrait, J: Job>(
    db: &C,
    job: &J,
    run_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    let key = job.unique_key();
    if insert(db, job, key.clone(), run_at).await?.is_some() {
        return Ok(());
    }
    let Some(key) = key else { return Ok(()) };
    let moved = job::Entity::update_many()
        .col_expr(job::Column::RunAt, Expr::value(run_at))
        .filter(job::Column::UniqueKey.eq(key))
        .filter(job::Column::State.eq(State::Queued))
        .filter(job::Column::RunAt.gt(run_at))
        .exec(db)
        .await?
        .rows_affected;
    if moved > 0 {
        wake(db).await?;
    }
    Ok(())
}

async fn insert<C: ConnectionTrait, J: Job>(
    db: &C,
    job: &J,
    unique_key: Option<String>,
    run_at: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    let payload = serde_json::to_string(job)
        .map_err(|e| DbErr::Custom(format!("a {} job does not serialise: {e}", J::KIND)))?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let inserted = job::Entity::insert(job::ActiveModel {
        id: Set(id),
        kind: Set(J::KIND.to_owned()),
        payload: Set(payload),
        unique_key: Set(unique_key),
        state: Set(State::Queued),
        run_at: Set(run_at),
        attempts: Set(0),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict_do_nothing_on([job::Column::UniqueKey])
    .exec_without_returning(db)
    .await?;
    if !matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
        return Ok(None);
    }
    wake(db).await?;
    Ok(Some(id))
}

/// Tells workers there is new work: a `NOTIFY` on PostgreSQL, delivered to every process
/// when the enqueueing transaction commits (and never if it rolls back); on SQLite, one
/// process, the in-process signal (a worker's claim then waits for the commit, as the
/// enqueue holds SQLite's single write lock until then).
async fn wake<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("NOTIFY {CHANNEL}"),
        ))
        .await?;
    } else {
        signal().send_modify(|n| *n = n.wrapping_add(1));
    }
    Ok(())
}

/// The in-process wake-up of SQLite workers: a counter every enqueue moves. Each worker
/// holds its own receiver ([`wake_ups`]), so every worker hears every enqueue, even one
/// made while it was busy claiming.
fn signal() -> &'static tokio::sync::watch::Sender<u64> {
    static SIGNAL: std::sync::OnceLock<tokio::sync::watch::Sender<u64>> =
        std::sync::OnceLock::new();
    SIGNAL.get_or_init(|| tokio::sync::watch::Sender::new(0))
}

/// A worker's receiver of in-process wake-ups; `changed()` resolves after each enqueue.
pub fn wake_ups() -> tokio::sync::watch::Receiver<u64> {
    signal().subscribe()
}

type Run = fn(Context, String) -> Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;

/// The job kinds a worker can run, by name.
#[derive(Clone, Default)]
pub struct Registry {
    kinds: HashMap<&'static str, (Run, i32)>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `J`; a kind registered twice is a programming error.
    pub fn with<J: Job>(mut self) -> Self {
        let before = self
            .kinds
            .insert(J::KIND, (run_payload::<J> as Run, J::MAX_ATTEMPTS));
        assert!(before.is_none(), "job kind {} registered twice", J::KIND);
        self
    }

    /// How to run `kind` and its maximum of attempts.
    pub fn get(&self, kind: &str) -> Option<(Run, i32)> {
        self.kinds.get(kind).copied()
    }

    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.kinds.keys().copied()
    }
}

fn run_payload<J: Job>(
    cx: Context,
    payload: String,
) -> Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>> {
    Box::pin(async move {
        let job: J = serde_json::from_str(&payload).map_err(|e| {
            JobError::permanent(format!("the {} payload does not read: {e}", J::KIND))
        })?;
        job.run(cx).await
    })
}

/// A job that records that it ran (a `job_probes` row tagged `tag`) in the transaction
/// that ends it, after holding its lease for `hold_ms`: each run counted exactly once.
/// Benchmarks, the kill test and an operator checking that workers run use it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Probe {
    pub tag: String,
    #[serde(default)]
    pub hold_ms: u64,
}

impl Job for Probe {
    const KIND: &'static str = "jobs.probe";

    async fn run(self, cx: Context) -> Result<(), JobError> {
        use sea_orm::ActiveModelTrait;
        if self.hold_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(self.hold_ms.min(60_000))).await;
        }
        let txn = crate::db::begin_write(&cx.state.db).await?;
        crate::db::entity::job_probe::ActiveModel {
            id: Set(Uuid::now_v7()),
            tag: Set(self.tag),
            job_id: Set(cx.id),
            ran_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        cx.finish_in(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}
