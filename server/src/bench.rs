//! `server bench`: figures for the call path on the configured database, printed as a
//! table. Run it on a fresh database (scripts/bench makes one on SQLite and on
//! PostgreSQL). It measures, in one run on one machine:
//!
//! - the database's own single-row insert rate (one autocommitted INSERT per row), the
//!   baseline every write path is bounded by;
//! - the job queue: probe jobs per second through it, and the time from an enqueue's
//!   commit to its job running on an idle worker (the wake-up);
//! - webhook ingestion: signed Sandbox end-of-call events posted through the real router,
//!   each verified, stored and billed (several in flight at once, as providers send them);
//!   afterwards the balance and the ledger are checked to hold exactly one charge per call;
//! - the calls list and search with `--calls` conversations in the workspace: the first
//!   page with its totals, a filtered page, and searches for a common word, a rare word
//!   and part of a phone number (median and 95th percentile of repeated runs);
//! - campaigns (`bench_campaigns.rs`): a 100,000-row list imported (rows per second and
//!   peak memory), and the dialer against a Sandbox that answers at once: the share of 50
//!   slots kept busy by one-second calls, and calls placed per second;
//! - time to first byte of server-rendered pages through the real router (sign-in page,
//!   the signed-in workspace dashboard, and the calls page), with 10,000 calls in the
//!   workspace, before it is filled to `--calls`.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use app::agents::model::AgentProvider;
use app::billing::model::BilledTo;
use app::calls::filter::CallFilter;
use app::calls::model::{CallDirection, CallStatus, Turn};
use app::db::entity::{conversation, workspace};
use app::providers::CallRecord;
use app::state::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;
use tower::ServiceExt;
use uuid::Uuid;

/// Words transcripts are made of; one in a thousand calls mentions the rare word.
const WORDS: &[&str] = &[
    "appointment",
    "tuesday",
    "invoice",
    "billing",
    "cleaning",
    "dentist",
    "insurance",
    "schedule",
    "morning",
    "afternoon",
    "confirm",
    "cancel",
    "reschedule",
    "payment",
    "card",
    "address",
    "question",
    "thanks",
    "hello",
    "goodbye",
    "please",
    "today",
    "tomorrow",
    "office",
];
const RARE: &str = "orthodontics";

pub struct Options {
    pub calls: u64,
    pub events: u64,
    pub concurrency: usize,
    pub inserts: u64,
    pub page_runs: usize,
    pub jobs: u64,
}

pub async fn run(state: AppState, options: Options) -> anyhow::Result<()> {
    let backend = match state.db.get_database_backend() {
        DatabaseBackend::Sqlite => "SQLite",
        DatabaseBackend::Postgres => "PostgreSQL",
        _ => "other",
    };
    crate::seed::seed_demo(
        &state.db,
        &state.config.app_url,
        &state.config.platform_domain,
    )
    .await?;
    let ws = workspace::Entity::find()
        .filter(workspace::Column::Slug.eq("demo"))
        .one(&state.db)
        .await?
        .context("the demo workspace")?;
    if conversation::Entity::find().count(&state.db).await? > 0 {
        bail!("bench needs a fresh database: this one already holds calls");
    }
    println!(
        "Genius365 bench on {backend} ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!("{:-<72}", "");

    let raw = raw_insert_rate(&state, options.inserts).await?;
    println!(
        "{:<48} {:>14.0} rows/s",
        "raw single-row INSERT (autocommit)", raw
    );

    let ingest = ingestion(&state, ws.id, options.events, options.concurrency).await?;
    println!(
        "{:<48} {:>14.0} events/s",
        format!(
            "webhook end-of-call, verified + billed (x{})",
            options.concurrency
        ),
        ingest
    );
    println!("{:<48} {:>14.2}", "  ingestion / raw insert", ingest / raw);

    let queue = crate::bench_queue::run(&state, options.jobs).await?;
    println!(
        "{:<48} {:>14.0} jobs/s",
        "jobs enqueued (100 per transaction)", queue.enqueue_per_second
    );
    println!(
        "{:<48} {:>14.0} jobs/s",
        "probe jobs run through the queue (8 slots)", queue.jobs_per_second
    );
    println!(
        "{:<48} {:>14.2}",
        "  queue throughput / raw insert",
        queue.jobs_per_second / raw
    );
    println!(
        "{:<48} {:>8.2} ms {:>8.2} ms",
        "commit to job run, woken (p50 / p95 of 50)",
        ms(queue.start_p50),
        ms(queue.start_p95)
    );

    let dialer = crate::bench_campaigns::run(&state, &ws).await?;
    println!("{:-<72}", "");
    println!(
        "{:<48} {:>14.0} rows/s",
        format!(
            "campaign list import ({} rows, streamed)",
            dialer.import_rows
        ),
        dialer.import_per_second
    );
    if let Some(mib) = dialer.import_peak_mib {
        println!("{:<48} {:>14.1} MiB", "  peak memory above the start", mib);
    }
    println!(
        "{:<48} {:>13.1} %",
        "dialer: 50 slots busy (1 s calls, 1,000 people)",
        dialer.slots_busy * 100.0
    );
    println!(
        "{:<48} {:>14.0} calls/s",
        format!("dialer: calls placed ({} calls end at once)", dialer.calls),
        dialer.calls_per_second
    );
    // The campaigns' calls are not the calls list's: the list starts empty.
    conversation::Entity::delete_many().exec(&state.db).await?;
    println!("{:-<72}", "");

    // Pages are timed at 10,000 calls, as a busy workspace has them.
    let (first_rows, first_time) = fill(
        &state,
        ws.id,
        crate::bench_pages::PAGE_CALLS.min(options.calls),
    )
    .await?;
    app::db::optimize(&state.db).await?;
    println!("{:-<72}", "");
    println!(
        "time to first byte, server-rendered (p50 / p95 of {} runs)",
        options.page_runs
    );
    for (label, p50, p95) in crate::bench_pages::page_ttfb(&state, options.page_runs).await? {
        println!("  {label:<40} {:>8.2} ms {:>8.2} ms", ms(p50), ms(p95));
    }
    let (p50, p95) = crate::bench_pages::round_trip(&state, options.page_runs).await?;
    println!(
        "  {:<40} {:>8.3} ms {:>8.3} ms",
        "one database round trip (SELECT 1)",
        ms(p50),
        ms(p95)
    );
    println!("{:-<72}", "");

    let (rows, time) = fill(&state, ws.id, options.calls).await?;
    let filled = (first_rows + rows) as f64 / (first_time + time).as_secs_f64().max(1e-9);
    println!(
        "{:<48} {:>14.0} rows/s",
        "bulk load of conversations (500 per INSERT)", filled
    );

    // What the periodic `db.optimize` job does (planner statistics on SQLite).
    app::db::optimize(&state.db).await?;
    let total = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(ws.id))
        .count(&state.db)
        .await?;
    println!("{:-<72}", "");
    println!("calls list and search over {total} conversations (p50 / p95 of 15 runs)");
    let cases: [(&str, CallFilter); 5] = [
        ("first page with totals", CallFilter::default()),
        (
            "filtered: no answer, outbound",
            CallFilter {
                status: "no_answer".into(),
                direction: "outbound".into(),
                ..Default::default()
            },
        ),
        (
            "search: common word",
            CallFilter {
                q: "invoice".into(),
                ..Default::default()
            },
        ),
        (
            "search: rare word",
            CallFilter {
                q: RARE.into(),
                ..Default::default()
            },
        ),
        (
            "search: part of a number",
            CallFilter {
                q: "5550199".into(),
                ..Default::default()
            },
        ),
    ];
    for (label, filter) in cases {
        let query = filter.check().map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..15 {
            let started = Instant::now();
            let page = app::calls::list::page(&state.db, ws.id, &query, 1).await?;
            times.push(started.elapsed());
            found = page.stats.total;
        }
        let (p50, p95) = median_and_p95(times);
        println!(
            "  {:<40} {:>8.1} ms {:>8.1} ms  ({found} found)",
            label,
            ms(p50),
            ms(p95)
        );
    }
    Ok(())
}

/// The median and 95th percentile of timings (at least one).
pub(crate) fn median_and_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn raw_insert_rate(state: &AppState, rows: u64) -> anyhow::Result<f64> {
    let db = &state.db;
    db.execute_unprepared("CREATE TABLE bench_raw (id VARCHAR(36) PRIMARY KEY, n BIGINT NOT NULL, note TEXT NOT NULL)")
        .await?;
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "INSERT INTO bench_raw (id, n, note) VALUES ($1, $2, $3)",
        _ => "INSERT INTO bench_raw (id, n, note) VALUES (?, ?, ?)",
    };
    let started = Instant::now();
    for n in 0..rows {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [
                Uuid::now_v7().to_string().into(),
                (n as i64).into(),
                "a call ended".into(),
            ],
        ))
        .await?;
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_raw").await?;
    Ok(rate)
}

fn transcript(n: u64) -> Vec<Turn> {
    let word = |k: u64| WORDS[((n * 7 + k * 13) % WORDS.len() as u64) as usize];
    let mut turns = vec![
        Turn {
            role: "agent".into(),
            text: "Thanks for calling Acme Dental, how can I help?".into(),
            seconds: 0.0,
        },
        Turn {
            role: "user".into(),
            text: format!("I have a {} about my {} on {}.", word(1), word(2), word(3)),
            seconds: 4.0,
        },
        Turn {
            role: "agent".into(),
            text: format!("Of course, let me check your {} and {}.", word(4), word(5)),
            seconds: 9.0,
        },
    ];
    if n % 1000 == 7 {
        turns.push(Turn {
            role: "user".into(),
            text: format!("Do you also do {RARE}?"),
            seconds: 15.0,
        });
    }
    turns
}

/// Posts `events` signed end-of-call events through the router, `concurrency` at a time,
/// and checks each call was stored and charged exactly once. Returns events per second.
async fn ingestion(
    state: &AppState,
    workspace_id: Uuid,
    events: u64,
    concurrency: usize,
) -> anyhow::Result<f64> {
    let router = crate::router::router(state.clone());
    let before = app::billing::service::credits(
        &state.db,
        &workspace::Entity::find_by_id(workspace_id)
            .one(&state.db)
            .await?
            .context("workspace")?,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?
    .balance_cents;
    let path = format!("/api/webhooks/w/{workspace_id}/sandbox");
    let bodies: Vec<(Vec<u8>, String)> = (0..events)
        .map(|n| {
            let record = CallRecord {
                external_id: format!("bench-{n:07}"),
                status: CallStatus::Completed,
                duration_seconds: 30 + (n % 90) as i32,
                transcript: transcript(n),
                summary: Some("The caller asked about an appointment.".into()),
                customer_number: Some(format!("+1415555{:04}", n % 10_000)),
                direction: Some(CallDirection::Inbound),
                ..Default::default()
            };
            let body = app::providers::sandbox::event_body(&record);
            let signature = app::calls::webhooks::sandbox_signature(state, workspace_id, &body);
            (body, signature)
        })
        .collect();
    let expected: i64 = (0..events)
        .map(|n| i64::from(app::billing::model::billed_minutes(30 + (n % 90) as i32)) * 20)
        .sum();
    let queue = std::sync::Arc::new(tokio::sync::Mutex::new(bodies.into_iter()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (queue, router, path) = (queue.clone(), router.clone(), path.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let next = queue.lock().await.next();
                let Some((body, signature)) = next else {
                    return Ok::<_, anyhow::Error>(());
                };
                let request = Request::post(&path)
                    .header("content-type", "application/json")
                    .header(app::providers::sandbox::SIGNATURE_HEADER, signature)
                    .body(Body::from(body))?;
                let response = router.clone().oneshot(request).await?;
                if response.status() != StatusCode::OK {
                    bail!("an event was refused: {}", response.status());
                }
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let rate = events as f64 / started.elapsed().as_secs_f64();
    // Verified and billed: one conversation and one charge per event, to the cent.
    let ws = workspace::Entity::find_by_id(workspace_id)
        .one(&state.db)
        .await?
        .context("workspace")?;
    let after = app::billing::service::credits(&state.db, &ws)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .balance_cents;
    let stored = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(workspace_id))
        .count(&state.db)
        .await?;
    if stored != events || before - after != expected {
        bail!(
            "ingestion check failed: {stored} calls stored for {events} events; charged {} for {expected} expected",
            before - after
        );
    }
    Ok(rate)
}

/// Fills the workspace up to `calls` conversations with multi-row inserts; the rows added
/// and the time it took.
async fn fill(state: &AppState, workspace_id: Uuid, calls: u64) -> anyhow::Result<(u64, Duration)> {
    let have = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(workspace_id))
        .count(&state.db)
        .await?;
    let now = Utc::now();
    let started = Instant::now();
    let mut n = have;
    while n < calls {
        let batch: Vec<conversation::ActiveModel> = (n..(n + 500).min(calls))
            .map(|n| {
                let at = now - chrono::Duration::minutes((n * 37 % (90 * 24 * 60)) as i64);
                let status = match n % 10 {
                    0 => CallStatus::NoAnswer,
                    1 => CallStatus::Busy,
                    2 => CallStatus::Failed,
                    _ => CallStatus::Completed,
                };
                let seconds = if status == CallStatus::Completed {
                    20 + (n % 400) as i32
                } else {
                    0
                };
                conversation::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    workspace_id: Set(workspace_id),
                    agent_id: Set(None),
                    provider: Set(AgentProvider::Sandbox),
                    external_id: Set(format!("fill-{n:07}")),
                    direction: Set(if n % 3 == 0 {
                        CallDirection::Inbound
                    } else {
                        CallDirection::Outbound
                    }),
                    status: Set(status),
                    phone_number: Set(Some(format!("+1415555{:04}", n % 10_000))),
                    caller_name: Set(None),
                    started_at: Set(Some(at)),
                    ended_at: Set(Some(at)),
                    duration_seconds: Set(seconds),
                    recording_url: Set(None),
                    transcript: Set(json!(transcript(n))),
                    summary: Set(Some("The caller asked about an appointment.".into())),
                    sentiment: Set(Some("neutral".into())),
                    cost_cents: Set(0),
                    end_reason: Set(Some("customer-ended-call".into())),
                    metadata: Set(json!({})),
                    is_test: Set(false),
                    billed_minutes: Set(app::billing::model::billed_minutes(seconds)),
                    billed_cents: Set(i64::from(app::billing::model::billed_minutes(seconds)) * 20),
                    billed_to: Set(Some(BilledTo::Workspace)),
                    successful: Set(None),
                    campaign_attempt_id: Set(None),
                    created_at: Set(at),
                    updated_at: Set(at),
                }
            })
            .collect();
        let count = batch.len() as u64;
        conversation::Entity::insert_many(batch)
            .exec(&state.db)
            .await?;
        n += count;
    }
    Ok((calls.saturating_sub(have), started.elapsed()))
}
