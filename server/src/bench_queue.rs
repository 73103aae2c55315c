//! The job queue's figures for `server bench`: probe jobs per second through the queue
//! (enqueued in batches, run by one worker of 8 slots), and the time from an enqueue's
//! commit to the job running with the wake-up (one job at a time on an idle worker).

use std::time::{Duration, Instant};

use app::db::entity::job_probe;
use app::jobs::{self, Probe};
use app::state::AppState;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};

use crate::worker::{Options, Worker};

pub struct Figures {
    pub jobs_per_second: f64,
    pub enqueue_per_second: f64,
    pub start_p50: Duration,
    pub start_p95: Duration,
}

pub async fn run(state: &AppState, count: u64) -> anyhow::Result<Figures> {
    // Enqueued first, in transactions of 100, then drained by a running worker.
    let started = Instant::now();
    let mut left = count;
    while left > 0 {
        let txn = state.db.begin().await?;
        for _ in 0..left.min(100) {
            jobs::enqueue(&txn, &probe("throughput")).await?;
        }
        txn.commit().await?;
        left = left.saturating_sub(100);
    }
    let enqueue_per_second = count as f64 / started.elapsed().as_secs_f64().max(1e-9);

    let options = Options {
        concurrency: 8,
        ..Options::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // Probe jobs only: periodic jobs would run beside them and blur the figure.
    let worker = Worker::with_jobs(
        state.clone(),
        options,
        crate::worker::registry(),
        Vec::new(),
    );
    let worker = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    wait_for(state, "throughput", count).await?;
    let jobs_per_second = count as f64 / started.elapsed().as_secs_f64().max(1e-9);

    let mut latencies = Vec::new();
    for n in 1..=50u64 {
        let at = Instant::now();
        let txn = state.db.begin().await?;
        jobs::enqueue(&txn, &probe("latency")).await?;
        txn.commit().await?;
        wait_for(state, "latency", n).await?;
        latencies.push(at.elapsed());
    }
    let _ = stop.send(());
    worker.await?;
    let (start_p50, start_p95) = crate::bench::median_and_p95(latencies);
    Ok(Figures {
        jobs_per_second,
        enqueue_per_second,
        start_p50,
        start_p95,
    })
}

fn probe(tag: &str) -> Probe {
    Probe {
        tag: tag.into(),
        hold_ms: 0,
    }
}

/// Until `n` probes tagged `tag` ran (checked every half millisecond), or a minute passed.
async fn wait_for(state: &AppState, tag: &str, n: u64) -> anyhow::Result<()> {
    let deadline = Utc::now() + chrono::Duration::minutes(1);
    loop {
        let ran = job_probe::Entity::find()
            .filter(job_probe::Column::Tag.eq(tag))
            .count(&state.db)
            .await?;
        if ran >= n {
            return Ok(());
        }
        if Utc::now() > deadline {
            anyhow::bail!("only {ran} of {n} probe jobs ran within a minute");
        }
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
}
