//! Real `server worker` processes on one database. A worker killed with SIGKILL mid-job
//! loses nothing and doubles nothing: once its leases lapse, the jobs it held run
//! elsewhere, each exactly once (counted in the database), on SQLite (one worker after the
//! kill) and on PostgreSQL (two). And a burst through two workers beside a web-only
//! `serve --no-worker` runs each job once (10,000 on PostgreSQL, 2,000 on SQLite).

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::db::entity::{job, job_probe};
use app::jobs::model::State;
use app::jobs::{self, Probe};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

const JOBS: u64 = 40;

fn worker(url: &str, dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["worker", "--concurrency", "8", "--lease-seconds", "3"])
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("DATA_DIR", dir)
        .env("LEPTOS_OUTPUT_NAME", "genius365")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn running(db: &DatabaseConnection) -> u64 {
    job::Entity::find()
        .filter(job::Column::State.eq(State::Running.as_str()))
        .count(db)
        .await
        .unwrap()
}

/// Waits for `done` to hold, failing the test after `limit`.
async fn until<F: std::future::Future<Output = bool>>(
    limit: Duration,
    what: &str,
    mut done: impl FnMut() -> F,
) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn jobs_held_by_a_killed_worker_run_exactly_once_after_another_takes_over() {
    let dir = tempfile::tempdir().unwrap();
    let (url, takers) = match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => (common::fresh_postgres_database(&server).await, 2),
        _ => (
            format!("sqlite://{}/jobs.db?mode=rwc", dir.path().display()),
            1,
        ),
    };
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    for _ in 0..JOBS {
        let probe = Probe {
            tag: "kill".into(),
            hold_ms: 1_500,
        };
        jobs::enqueue(&db, &probe).await.unwrap();
    }

    let mut first = worker(&url, dir.path());
    until(
        Duration::from_secs(60),
        "the first worker holds jobs",
        || async { running(&db).await == 8 },
    )
    .await;
    first.kill().unwrap();
    first.wait().unwrap();
    let held = running(&db).await;
    let mut others: Vec<Child> = (0..takers).map(|_| worker(&url, dir.path())).collect();
    until(Duration::from_secs(120), "every job ran", || async {
        job::Entity::find().count(&db).await.unwrap() == 0
    })
    .await;
    for child in &mut others {
        child.kill().unwrap();
        child.wait().unwrap();
    }

    assert!(held > 0, "jobs were in flight when the worker died");
    assert_eq!(
        probes(&db).await,
        (JOBS, JOBS),
        "each job's effect recorded once"
    );
}

/// Probe runs recorded, and how many jobs they came from.
async fn probes(db: &DatabaseConnection) -> (u64, u64) {
    let runs = job_probe::Entity::find().count(db).await.unwrap();
    let jobs: Vec<uuid::Uuid> = job_probe::Entity::find()
        .select_only()
        .column(job_probe::Column::JobId)
        .distinct()
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    (runs, jobs.len() as u64)
}

/// A process with a free loopback port for `serve`.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_burst_through_two_workers_beside_a_web_only_server_runs_each_job_once() {
    let dir = tempfile::tempdir().unwrap();
    let (url, burst) = match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            (common::fresh_postgres_database(&server).await, 10_000u64)
        }
        _ => (
            format!("sqlite://{}/burst.db?mode=rwc", dir.path().display()),
            2_000,
        ),
    };
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    let mut web = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--no-worker", "--addr"])
        .arg(format!("127.0.0.1:{}", free_port()))
        .current_dir(dir.path())
        .env("DATABASE_URL", &url)
        .env("DATA_DIR", dir.path())
        .env("LEPTOS_OUTPUT_NAME", "genius365")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut workers = [worker(&url, dir.path()), worker(&url, dir.path())];
    until(Duration::from_secs(60), "both workers report", || async {
        app::db::entity::job_worker::Entity::find()
            .count(&db)
            .await
            .unwrap()
            == 2
    })
    .await;
    for chunk in 0..burst / 500 {
        let txn = app::db::begin_write(&db).await.unwrap();
        for _ in 0..500 {
            let probe = Probe {
                tag: format!("burst-{}", chunk % 2),
                hold_ms: 0,
            };
            jobs::enqueue(&txn, &probe).await.unwrap();
        }
        txn.commit().await.unwrap();
    }

    until(Duration::from_secs(240), "the burst ran", || async {
        job::Entity::find().count(&db).await.unwrap() == 0
    })
    .await;
    let beating: Vec<String> = app::db::entity::job_worker::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    for child in workers.iter_mut().chain(std::iter::once(&mut web)) {
        child.kill().unwrap();
        child.wait().unwrap();
    }

    assert_eq!(
        probes(&db).await,
        (burst, burst),
        "each job's effect recorded once"
    );
    // Two workers reported; the web-only server ran none.
    assert_eq!(beating.len(), 2, "{beating:?}");
}
