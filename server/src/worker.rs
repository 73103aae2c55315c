//! The worker: claims jobs from the queue (`app::jobs`) and runs them, and enqueues the
//! periodic ones when they fall due. `serve` runs one inside the web process unless told
//! `--no-worker`; `server worker` runs one alone. Any number may run against one database.
//!
//! A claimed job is held under a lease the worker renews while the job runs; a worker that
//! dies (even by SIGKILL) stops renewing, and once the lease lapses another worker claims
//! the job again. On shutdown a worker stops claiming, gives its running jobs a grace
//! period to finish, then hands back what is left.

use std::sync::Arc;
use std::time::Duration;

use app::db::entity::job_worker;
use app::jobs::{self, Context, JobError, Registry, queue, schedule::Periodic};
use app::state::AppState;
use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, Set};
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// Every job kind this build can run.
pub fn registry() -> Registry {
    Registry::new()
        .with::<jobs::Probe>()
        .with::<app::email::outbox::Deliver>()
        .with::<app::calls::algolia::Reindex>()
        .with::<app::calls::algolia::IndexCall>()
        .with::<app::agents::sync::SyncAgent>()
        .with::<app::auth::session::PurgeSessions>()
        .with::<app::auth::rate_limit::PurgeRateLimits>()
        .with::<app::billing::holds::PurgeHolds>()
        .with::<app::jobs::optimize::Optimize>()
        .with::<app::calls::poll::SweepOpenCalls>()
        .with::<app::campaigns::model::DispatchCampaign>()
        .with::<app::campaigns::dialer::PlaceCall>()
        .with::<app::campaigns::dialer::SimulateCall>()
        .with::<app::campaigns::dialer::CampaignTick>()
}

/// The periodic jobs and how often each runs.
pub fn schedules() -> Vec<Periodic> {
    let minute = Duration::from_secs(60);
    vec![
        Periodic::of::<app::calls::poll::SweepOpenCalls>(minute),
        Periodic::of::<app::billing::holds::PurgeHolds>(minute),
        Periodic::of::<app::campaigns::dialer::CampaignTick>(minute),
        Periodic::of::<app::auth::session::PurgeSessions>(10 * minute),
        Periodic::of::<app::auth::rate_limit::PurgeRateLimits>(10 * minute),
        Periodic::of::<app::jobs::optimize::Optimize>(10 * minute),
    ]
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Jobs run at once.
    pub concurrency: usize,
    /// How long a claim holds before another worker may take the job; renewed at a third.
    pub lease: Duration,
    /// The longest an idle worker waits before looking again (a wake-up ends it sooner).
    pub poll: Duration,
    /// How often periodic jobs are considered and the heartbeat written.
    pub tick: Duration,
    /// How long running jobs get to finish at shutdown before they are handed back.
    pub grace: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            concurrency: 4,
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(5),
            tick: Duration::from_secs(15),
            grace: Duration::from_secs(20),
        }
    }
}

#[derive(Clone)]
pub struct Worker {
    state: AppState,
    registry: Arc<Registry>,
    schedules: Arc<[Periodic]>,
    owner: Arc<str>,
    options: Options,
}

impl Worker {
    pub fn new(state: AppState, options: Options) -> Self {
        Self::with_jobs(state, options, registry(), schedules())
    }

    /// A worker that knows only the given kinds and periodic jobs.
    pub fn with_jobs(
        state: AppState,
        options: Options,
        registry: Registry,
        schedules: Vec<Periodic>,
    ) -> Self {
        let host = host_name();
        let owner = format!(
            "{host}:{}:{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            state,
            registry: Arc::new(registry),
            schedules: schedules.into(),
            owner: owner.into(),
            options,
        }
    }

    /// This worker's name, as its leases and heartbeat record it.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Runs until `shutdown` resolves, then finishes or hands back what it holds.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        let wake = Arc::new(Notify::new());
        let listener = self.listen(wake.clone());
        let mut local = jobs::wake_ups();
        let mut running = JoinSet::new();
        let mut next_tick = tokio::time::Instant::now();
        tracing::info!(worker = %self.owner, "worker started");
        tokio::pin!(shutdown);
        loop {
            if tokio::time::Instant::now() >= next_tick {
                self.tick().await;
                next_tick = tokio::time::Instant::now() + self.options.tick;
            }
            let free = self.options.concurrency.saturating_sub(running.len());
            let mut claimed_any = false;
            if free > 0 {
                match self.claim(free).await {
                    Ok(claimed) => {
                        claimed_any = !claimed.is_empty();
                        for job in claimed {
                            running.spawn(self.clone().execute(job, chrono::Duration::zero()));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "could not claim jobs"),
                }
            }
            // A job ending, a wake-up or the next due time brings the next look; never a
            // tight loop while another worker is mid-claim on what is due.
            // Busy (full, or just claimed: a job ending brings the next look), or idle until
            // the next job falls due.
            let idle = if claimed_any || running.len() >= self.options.concurrency {
                next_tick.saturating_duration_since(tokio::time::Instant::now())
            } else {
                self.idle_for(next_tick)
                    .await
                    .max(Duration::from_millis(20))
            };
            tokio::select! {
                () = &mut shutdown => break,
                () = wake.notified() => {}
                Ok(()) = local.changed() => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(idle) => {}
            }
        }
        listener.abort();
        tracing::info!(worker = %self.owner, running = running.len(), "worker stopping");
        let _ = tokio::time::timeout(self.options.grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        running.abort_all();
        match queue::release_all(&self.state.db, &self.owner).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "unfinished jobs handed back"),
            Err(e) => {
                tracing::warn!(error = %e, "jobs could not be handed back; their leases lapse")
            }
        }
        let _ = job_worker::Entity::delete_by_id(self.owner.to_string())
            .exec(&self.state.db)
            .await;
    }

    /// Runs every job that is due at `now` (including retries due by then, and jobs the
    /// jobs it runs queue for at once), one at a time, until none is left; returns how
    /// many attempts were made. Tests drive the queue with it instead of sleeping.
    pub async fn drain(&self, now: chrono::DateTime<Utc>) -> usize {
        // The clock runs on from `now`; retries are timed from it.
        let ahead = now - Utc::now();
        let mut attempts = 0;
        loop {
            let claimed = queue::claim(
                &self.state.db,
                &self.owner,
                self.options.concurrency as u64,
                Utc::now() + ahead,
                self.options.lease,
            )
            .await
            .unwrap_or_default();
            if claimed.is_empty() {
                return attempts;
            }
            for job in claimed {
                attempts += 1;
                self.clone().execute(job, ahead).await;
            }
        }
    }

    async fn claim(
        &self,
        limit: usize,
    ) -> Result<Vec<app::db::entity::job::Model>, sea_orm::DbErr> {
        queue::claim(
            &self.state.db,
            &self.owner,
            limit as u64,
            Utc::now(),
            self.options.lease,
        )
        .await
    }

    /// Until the next job falls due, the next tick, or the poll interval, whichever is first.
    async fn idle_for(&self, next_tick: tokio::time::Instant) -> Duration {
        let mut idle = self
            .options
            .poll
            .min(next_tick.saturating_duration_since(tokio::time::Instant::now()));
        if let Ok(Some(due)) = queue::next_due(&self.state.db).await {
            let until = (due - Utc::now()).to_std().unwrap_or(Duration::ZERO);
            idle = idle.min(until);
        }
        idle
    }

    /// Enqueues the periodic jobs that fell due and records the heartbeat.
    async fn tick(&self) {
        let now = Utc::now();
        if let Err(e) = jobs::schedule::tick(&self.state.db, &self.schedules, now).await {
            tracing::warn!(error = %e, "periodic jobs were not scheduled");
        }
        if let Err(e) = beat(&self.state, &self.owner, now).await {
            tracing::warn!(error = %e, "the worker's heartbeat was not written");
        }
    }

    /// One attempt at one claimed job, ending it as finished, to be retried, or dead. A
    /// retry is timed from the clock read `ahead` of now (zero but in `drain`).
    async fn execute(self, job: app::db::entity::job::Model, ahead: chrono::Duration) {
        let db = &self.state.db;
        let Some((run, max_attempts)) = self.registry.get(&job.kind) else {
            let why = format!("no worker of this build runs jobs of kind {:?}", job.kind);
            tracing::error!(job = %job.id, kind = %job.kind, "{why}");
            let _ = queue::bury(db, job.id, &self.owner, &why).await;
            return;
        };
        if job.attempts > max_attempts {
            // Claimed again after the lease lapsed on its last attempt: its worker stopped.
            let why = job.last_error.clone().unwrap_or_else(|| {
                format!("given up after {max_attempts} attempts; the last one's worker stopped")
            });
            let _ = queue::bury(db, job.id, &self.owner, &why).await;
            return;
        }
        let cx = Context::new(
            self.state.clone(),
            job.id,
            job.attempts,
            max_attempts,
            self.owner.clone(),
        );
        let renewal = tokio::spawn(renew(
            self.state.clone(),
            job.id,
            self.owner.clone(),
            self.options.lease,
        ));
        // A job of its own task: a panic fails the attempt, not the worker.
        let outcome = match tokio::spawn(run(cx, job.payload.clone())).await {
            Ok(outcome) => outcome,
            Err(e) if e.is_panic() => Err(JobError::new("the job panicked")),
            Err(_) => Err(JobError::new("the job was cancelled")),
        };
        renewal.abort();
        let ended = match outcome {
            Ok(()) => queue::finish(db, job.id, &self.owner).await.map(|_| ()),
            Err(error) => {
                let give_up = !error.retry || job.attempts >= max_attempts;
                tracing::warn!(
                    job = %job.id,
                    kind = %job.kind,
                    attempt = job.attempts,
                    dead = give_up,
                    error = %error,
                    "job failed"
                );
                if give_up {
                    queue::bury(db, job.id, &self.owner, &error.message)
                        .await
                        .map(|_| ())
                } else {
                    let at = Utc::now()
                        + ahead
                        + chrono::Duration::from_std(queue::backoff(job.attempts))
                            .unwrap_or_else(|_| chrono::Duration::hours(6));
                    queue::retry_at(db, job.id, &self.owner, &error.message, at)
                        .await
                        .map(|_| ())
                }
            }
        };
        if let Err(e) = ended {
            tracing::warn!(job = %job.id, error = %e, "a job's outcome was not recorded; its lease lapses and it runs again");
        }
    }

    /// On PostgreSQL, hears every committed enqueue (`NOTIFY`) from any process, and
    /// reconnects when the connection drops. SQLite's signal is in-process.
    fn listen(&self, wake: Arc<Notify>) -> tokio::task::JoinHandle<()> {
        let db = self.state.db.clone();
        tokio::spawn(async move {
            if db.get_database_backend() != DatabaseBackend::Postgres {
                return;
            }
            let pool = db.get_postgres_connection_pool().clone();
            loop {
                match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(jobs::CHANNEL).await {
                        Ok(()) => {
                            // Anything enqueued while (re)connecting is found by this look.
                            wake.notify_one();
                            while listener.recv().await.is_ok() {
                                wake.notify_one();
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "could not listen for new jobs"),
                    },
                    Err(e) => tracing::warn!(error = %e, "could not connect to hear new jobs"),
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        })
    }
}

/// Extends the lease every third of its length until aborted or lost.
async fn renew(state: AppState, id: uuid::Uuid, owner: Arc<str>, lease: Duration) {
    let every = lease / 3;
    loop {
        tokio::time::sleep(every).await;
        let until = Utc::now() + chrono::Duration::from_std(lease).unwrap_or_default();
        match queue::renew(&state.db, id, &owner, until).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(job = %id, "a running job's lease was lost");
                return;
            }
            Err(e) => tracing::warn!(job = %id, error = %e, "a lease was not renewed"),
        }
    }
}

/// Records that this worker is alive, and forgets workers silent for a day.
async fn beat(
    state: &AppState,
    owner: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    job_worker::Entity::insert(job_worker::ActiveModel {
        id: Set(owner.to_owned()),
        host: Set(host_name()),
        started_at: Set(now),
        beat_at: Set(now),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(job_worker::Column::Id)
            .update_column(job_worker::Column::BeatAt)
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    job_worker::Entity::delete_many()
        .filter(job_worker::Column::BeatAt.lt(now - chrono::Duration::days(1)))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// The most recent heartbeat of any worker (`/api/health`).
pub async fn last_heartbeat(
    db: &sea_orm::DatabaseConnection,
) -> Result<Option<chrono::DateTime<Utc>>, sea_orm::DbErr> {
    Ok(job_worker::Entity::find()
        .order_by_desc(job_worker::Column::BeatAt)
        .one(db)
        .await?
        .map(|w| w.beat_at))
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}
