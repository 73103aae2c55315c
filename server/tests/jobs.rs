//! The job queue on both databases: enqueued with the change or not at all, run once,
//! retried with backoff until dead, deduplicated, reclaimed after a lapsed lease, woken at
//! once, and periodic jobs once per period whatever the number of workers.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use std::time::Duration;

use app::db::entity::{job, rate_limit_hit};
use app::jobs::model::State;
use app::jobs::{self, Context, Job, JobError, Registry, queue, schedule};
use chrono::Utc;
use common::TestApp;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use server::worker::{Options, Worker};
use uuid::Uuid;

/// Writes one row tagged `tag` and ends itself in the same transaction: its effect is
/// counted in the database, exactly once however often it is claimed.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Tally {
    tag: String,
}

impl Job for Tally {
    const KIND: &'static str = "test.tally";

    async fn run(self, cx: Context) -> Result<(), JobError> {
        let txn = app::db::begin_write(&cx.state.db).await?;
        rate_limit_hit::ActiveModel {
            id: Set(Uuid::now_v7()),
            bucket: Set(self.tag),
            hit_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        cx.finish_in(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Fails every attempt, with its number in the error.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Flaky;

impl Job for Flaky {
    const KIND: &'static str = "test.flaky";
    const MAX_ATTEMPTS: i32 = 3;

    async fn run(self, cx: Context) -> Result<(), JobError> {
        Err(JobError::new(format!("attempt {} failed", cx.attempt)))
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Panics;

impl Job for Panics {
    const KIND: &'static str = "test.panics";

    async fn run(self, _cx: Context) -> Result<(), JobError> {
        panic!("a broken job")
    }
}

/// Keyed: asked for twice while it waits, queued once.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Keyed {
    tag: String,
}

impl Job for Keyed {
    const KIND: &'static str = "test.keyed";

    fn unique_key(&self) -> Option<String> {
        Some(format!("keyed:{}", self.tag))
    }

    async fn run(self, cx: Context) -> Result<(), JobError> {
        Tally { tag: self.tag }.run(cx).await
    }
}

fn test_registry() -> Registry {
    Registry::new()
        .with::<Tally>()
        .with::<Flaky>()
        .with::<Panics>()
        .with::<Keyed>()
}

fn worker(app: &TestApp, options: Options) -> Worker {
    Worker::with_jobs(app.state.clone(), options, test_registry(), Vec::new())
}

async fn tallied(app: &TestApp, tag: &str) -> u64 {
    rate_limit_hit::Entity::find()
        .filter(rate_limit_hit::Column::Bucket.eq(tag))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn only_job(app: &TestApp) -> job::Model {
    let mut all = app.jobs().await;
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[tokio::test]
async fn a_job_is_queued_with_its_transaction_or_not_at_all_and_runs_once() {
    let app = TestApp::new().await;
    let w = worker(&app, Options::default());

    let txn = app::db::begin_write(&app.state.db).await.unwrap();
    jobs::enqueue(
        &txn,
        &Tally {
            tag: "rolled".into(),
        },
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    let txn = app::db::begin_write(&app.state.db).await.unwrap();
    jobs::enqueue(&txn, &Tally { tag: "kept".into() })
        .await
        .unwrap();
    txn.commit().await.unwrap();

    assert_eq!(w.drain(Utc::now()).await, 1);
    assert_eq!(w.drain(Utc::now()).await, 0);
    assert_eq!(tallied(&app, "kept").await, 1);
    assert_eq!(tallied(&app, "rolled").await, 0);
    assert!(app.jobs().await.is_empty(), "a finished job is gone");
}

#[tokio::test]
async fn a_failing_job_is_retried_after_a_backoff_then_kept_dead_with_its_error() {
    let app = TestApp::new().await;
    app.leave_jobs(Flaky::KIND);
    let w = worker(&app, Options::default());
    jobs::enqueue(&app.state.db, &Flaky).await.unwrap();

    assert_eq!(w.drain(Utc::now()).await, 1);
    let first = only_job(&app).await;
    assert_eq!(first.state, State::Queued);
    assert_eq!(first.attempts, 1);
    assert_eq!(first.last_error.as_deref(), Some("attempt 1 failed"));
    assert!(first.run_at >= Utc::now() + chrono::Duration::seconds(14));
    assert_eq!(w.drain(Utc::now()).await, 0, "not due before its backoff");

    let later = Utc::now() + chrono::Duration::hours(8);
    assert_eq!(w.drain(later).await, 1);
    assert_eq!(w.drain(later + chrono::Duration::hours(8)).await, 1);
    let dead = only_job(&app).await;
    assert_eq!(dead.state, State::Dead);
    assert_eq!(dead.attempts, 3);
    assert_eq!(dead.last_error.as_deref(), Some("attempt 3 failed"));
    assert_eq!(w.drain(later + chrono::Duration::days(30)).await, 0);

    // An admin's retry starts a fresh count; a discard removes it.
    assert!(queue::revive(&app.state.db, dead.id).await.unwrap());
    assert_eq!(w.drain(Utc::now()).await, 1);
    assert_eq!(only_job(&app).await.attempts, 1);
    assert!(
        !queue::discard(&app.state.db, dead.id).await.unwrap(),
        "only dead jobs"
    );
}

#[tokio::test]
async fn a_panicking_job_fails_its_attempt_and_the_worker_goes_on() {
    let app = TestApp::new().await;
    app.leave_jobs(Panics::KIND);
    let w = worker(&app, Options::default());
    jobs::enqueue(&app.state.db, &Panics).await.unwrap();
    jobs::enqueue(
        &app.state.db,
        &Tally {
            tag: "after".into(),
        },
    )
    .await
    .unwrap();

    assert_eq!(w.drain(Utc::now()).await, 2);

    let left = only_job(&app).await;
    assert_eq!(left.kind, Panics::KIND);
    assert_eq!(left.last_error.as_deref(), Some("the job panicked"));
    assert_eq!(tallied(&app, "after").await, 1);
}

#[tokio::test]
async fn a_job_of_a_kind_no_worker_knows_is_dead_with_the_reason() {
    let app = TestApp::new().await;
    app.leave_jobs(Tally::KIND);
    let w = Worker::with_jobs(
        app.state.clone(),
        Options::default(),
        Registry::new(),
        Vec::new(),
    );
    jobs::enqueue(&app.state.db, &Tally { tag: "x".into() })
        .await
        .unwrap();

    w.drain(Utc::now()).await;

    let dead = only_job(&app).await;
    assert_eq!(dead.state, State::Dead);
    assert!(dead.last_error.unwrap().contains("test.tally"));
}

#[tokio::test]
async fn the_same_work_asked_for_twice_while_it_waits_is_queued_once() {
    let app = TestApp::new().await;
    let w = worker(&app, Options::default());
    let job = Keyed { tag: "k".into() };

    assert!(jobs::enqueue(&app.state.db, &job).await.unwrap().is_some());
    assert!(jobs::enqueue(&app.state.db, &job).await.unwrap().is_none());
    w.drain(Utc::now()).await;
    // Once it ran (or runs), the same work may be asked for again.
    assert!(jobs::enqueue(&app.state.db, &job).await.unwrap().is_some());
    w.drain(Utc::now()).await;

    assert_eq!(tallied(&app, "k").await, 2);
}

#[tokio::test]
async fn a_job_whose_worker_stopped_is_claimed_again_once_its_lease_lapses_and_runs_once() {
    let app = TestApp::new().await;
    jobs::enqueue(
        &app.state.db,
        &Tally {
            tag: "lapsed".into(),
        },
    )
    .await
    .unwrap();
    let lease = Duration::from_secs(60);
    // A worker claims it and stops before running it.
    let claimed = queue::claim(&app.state.db, "gone", 10, Utc::now(), lease)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let w = worker(&app, Options::default());

    assert_eq!(w.drain(Utc::now()).await, 0, "held while the lease runs");
    let after = Utc::now() + chrono::Duration::seconds(61);
    assert_eq!(w.drain(after).await, 1);

    assert_eq!(tallied(&app, "lapsed").await, 1);
    assert!(app.jobs().await.is_empty());
    // The stopped worker, back, can no longer end the job it lost.
    assert!(
        !queue::finish(&app.state.db, claimed[0].id, "gone")
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn effects_of_a_worker_that_lost_its_lease_roll_back_instead_of_doubling() {
    let app = TestApp::new().await;
    jobs::enqueue(&app.state.db, &Tally { tag: "once".into() })
        .await
        .unwrap();
    let lease = Duration::from_secs(60);
    let slow = queue::claim(&app.state.db, "slow", 1, Utc::now(), lease)
        .await
        .unwrap()
        .remove(0);
    // Its lease lapses; another worker runs the job.
    let later = Utc::now() + chrono::Duration::seconds(61);
    assert_eq!(worker(&app, Options::default()).drain(later).await, 1);

    // The first worker finishes late: its transaction finds the job not its own.
    let cx = Context::new(app.state.clone(), slow.id, 1, 8, "slow".into());
    let late = Tally { tag: "once".into() }.run(cx).await;

    assert!(late.is_err());
    assert_eq!(tallied(&app, "once").await, 1);
}

#[tokio::test]
async fn two_workers_draining_at_once_run_each_job_exactly_once() {
    let app = TestApp::new().await;
    for n in 0..40 {
        jobs::enqueue(
            &app.state.db,
            &Tally {
                tag: format!("burst-{}", n % 4),
            },
        )
        .await
        .unwrap();
    }
    let (a, b) = (
        worker(&app, Options::default()),
        worker(&app, Options::default()),
    );

    let (ran_a, ran_b) = tokio::join!(a.drain(Utc::now()), b.drain(Utc::now()));

    assert_eq!(ran_a + ran_b, 40);
    for n in 0..4 {
        assert_eq!(tallied(&app, &format!("burst-{n}")).await, 10);
    }
}

#[tokio::test]
async fn a_running_worker_starts_new_work_at_once_and_hands_back_nothing_at_shutdown() {
    let app = TestApp::new().await;
    // A poll far longer than the test: only the wake-up can start the job in time.
    let options = Options {
        poll: Duration::from_secs(3600),
        tick: Duration::from_secs(3600),
        ..Options::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker(&app, options).run(async {
        let _ = stopped.await;
    }));
    // Let it reach its first wait.
    tokio::task::yield_now().await;

    let txn = app::db::begin_write(&app.state.db).await.unwrap();
    jobs::enqueue(
        &txn,
        &Tally {
            tag: "woken".into(),
        },
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let started = std::time::Instant::now();
    let done = tokio::time::timeout(Duration::from_secs(20), async {
        while tallied(&app, "woken").await == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;

    assert!(done.is_ok(), "the woken worker ran the job");
    assert!(started.elapsed() < Duration::from_secs(10));
    stop.send(()).unwrap();
    running.await.unwrap();
    assert!(app.jobs().await.is_empty());
}

#[tokio::test]
async fn a_periodic_job_is_queued_once_per_period_however_many_workers_tick() {
    let app = TestApp::new().await;
    app.leave_jobs(Tally::KIND);
    let every = [schedule::Periodic::of::<Tally>(Duration::from_secs(60))];
    let now = Utc::now();

    let first = schedule::tick(&app.state.db, &every, now).await.unwrap();
    let same_period = schedule::tick(&app.state.db, &every, now + chrono::Duration::seconds(30))
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        schedule::tick(&app.state.db, &every, now + chrono::Duration::seconds(45)),
        schedule::tick(&app.state.db, &every, now + chrono::Duration::seconds(45)),
    );

    assert_eq!((first, same_period, a.unwrap() + b.unwrap()), (1, 0, 0));
    // Its job still waits: the next period adds no second one.
    assert_eq!(
        schedule::tick(&app.state.db, &every, now + chrono::Duration::seconds(61))
            .await
            .unwrap(),
        0
    );
    assert_eq!(worker(&app, Options::default()).drain(Utc::now()).await, 1);
    assert_eq!(
        schedule::tick(&app.state.db, &every, now + chrono::Duration::seconds(122))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn every_job_kind_of_the_build_is_registered_and_every_periodic_one_runs() {
    let app = TestApp::new().await;
    app.platform().await.workspace("demo").await;
    let kinds: Vec<_> = server::worker::registry().kinds().collect();
    for periodic in server::worker::schedules() {
        assert!(kinds.contains(&periodic.name), "{}", periodic.name);
    }

    let ran = app.run_periodic_jobs().await;

    assert_eq!(ran, server::worker::schedules().len());
    assert!(app.jobs().await.is_empty(), "{:?}", app.jobs().await);
}

#[tokio::test]
async fn the_console_shows_the_queue_and_a_super_admin_retries_or_discards_a_dead_job() {
    use app::super_admin::api::{DiscardJob, QueueOverview, RetryJob};
    use axum::http::StatusCode;
    let app = TestApp::new().await;
    app.leave_jobs("test.tally");
    // Jobs of a kind this build does not run die at once, with the reason.
    jobs::enqueue(&app.state.db, &Tally { tag: "a".into() })
        .await
        .unwrap();
    jobs::enqueue(&app.state.db, &Flaky).await.unwrap();
    app.run_jobs().await;
    let ids: Vec<uuid::Uuid> = app.jobs().await.iter().map(|j| j.id).collect();
    let platform = app.platform().await;
    let mut admin = platform.super_admin().await.console().await;

    let queue = admin.call(QueueOverview {}).await;
    let page = admin.get("/super-admin/jobs").await;
    let retried = admin.call(RetryJob { id: ids[0] }).await;
    let discarded = admin.call(DiscardJob { id: ids[1] }).await;
    let again = admin.call(DiscardJob { id: ids[1] }).await;

    let queue = queue.unwrap();
    assert_eq!(queue.troubled.len(), 2);
    assert_eq!(queue.depth[0].kind, "test.flaky");
    assert_eq!(queue.depth[0].dead, 1);
    assert!(
        queue.troubled[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("no worker of this build runs jobs of kind")
    );
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("test.tally") && page.body.contains("Retry"));
    assert_eq!(retried, Ok(()));
    assert_eq!(discarded, Ok(()));
    assert_eq!(again.unwrap_err().status, StatusCode::NOT_FOUND);
    let left = only_job(&app).await;
    assert_eq!((left.state.as_str(), left.attempts), ("queued", 0));
}
