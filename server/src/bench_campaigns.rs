//! Campaigns' figures for `server bench`: importing a 100,000-row list (rows per second,
//! and the process's peak memory above where it started), and the dialer with a Sandbox
//! provider that answers at once: how full it keeps 50 slots while calls last a second
//! each, and calls placed per second when they end at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use app::agents::model::{AgentConfig, AgentProvider, Direction, SyncStatus};
use app::campaigns::model::{
    AttemptState, CampaignSettings, CampaignStatus, DispatchCampaign, RetryPolicy, Window,
};
use app::db::entity::{agent, campaign, campaign_attempt, workspace};
use app::state::AppState;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::worker::{Options, Worker};

pub struct Figures {
    pub import_rows: u64,
    pub import_per_second: f64,
    /// Peak resident memory above the start of the import, in MiB (Linux).
    pub import_peak_mib: Option<f64>,
    /// Share of the slots busy while one-second calls were placed.
    pub slots_busy: f64,
    pub calls_per_second: f64,
    pub calls: u64,
}

pub const IMPORT_ROWS: u64 = 100_000;
const SLOTS: u16 = 50;

pub async fn run(state: &AppState, ws: &workspace::Model) -> anyhow::Result<Figures> {
    // The workspace may run 50 calls at once (plus its inbound reserve), paid by its
    // organisation, with a Sandbox agent that calls out.
    let mut row: workspace::ActiveModel = ws.clone().into();
    row.resource_limits = Set(serde_json::json!({"concurrent_calls": 60}));
    row.is_billing_exempt = Set(true);
    row.update(&state.db).await?;
    let agent_id = sandbox_agent(state, ws.id).await?;

    let list = new_campaign(state, ws.id, agent_id, "Import").await?;
    let csv = list_csv(IMPORT_ROWS);
    let before = rss_peak_reset();
    let started = Instant::now();
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> = csv
        .chunks(64 * 1024)
        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
        .collect();
    drop(csv);
    let summary = app::campaigns::upload::read_list(
        state,
        &list,
        futures::stream::iter(chunks),
        None,
        Some("bench.csv".into()),
    )
    .await
    .map_err(|e| anyhow::anyhow!("import: {e}"))?;
    let import_time = started.elapsed();
    let import_peak_mib =
        before.and_then(|b| rss_peak().map(|p| (p.saturating_sub(b)) as f64 / 1024.0));
    anyhow::ensure!(summary.added == IMPORT_ROWS, "imported {summary:?}");

    // Slots kept busy: 1,000 recipients, calls of a second, 50 at a time.
    let busy_state = with_call_length(state, Duration::from_secs(1));
    let (slots_busy, _, _) = dial(&busy_state, ws.id, agent_id, 1_000, true).await?;
    // Placement rate: 2,000 recipients, calls that end at once.
    let fast_state = with_call_length(state, Duration::ZERO);
    let (_, calls, seconds) = dial(&fast_state, ws.id, agent_id, 2_000, false).await?;
    Ok(Figures {
        import_rows: IMPORT_ROWS,
        import_per_second: IMPORT_ROWS as f64 / import_time.as_secs_f64().max(1e-9),
        import_peak_mib,
        slots_busy,
        calls_per_second: calls as f64 / seconds.max(1e-9),
        calls,
    })
}

fn with_call_length(state: &AppState, length: Duration) -> AppState {
    let mut config = (*state.config).clone();
    config.campaigns.sandbox_call = length;
    let mut state = state.clone();
    state.config = Arc::new(config);
    state
}

/// Runs a campaign of `recipients` with a worker of 8 slots until everyone was called;
/// answers the mean share of the 50 slots in use (sampled every 5 ms while the list was
/// worked, when `sample`), the calls placed and the seconds it took.
async fn dial(
    state: &AppState,
    workspace_id: Uuid,
    agent_id: Uuid,
    recipients: u64,
    sample: bool,
) -> anyhow::Result<(f64, u64, f64)> {
    let c = new_campaign(state, workspace_id, agent_id, "Dial").await?;
    let csv = list_csv(recipients);
    app::campaigns::upload::read_list(
        state,
        &c,
        futures::stream::iter(vec![Ok(axum::body::Bytes::from(csv))]),
        None,
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("import: {e}"))?;
    let mut running: campaign::ActiveModel = c.clone().into();
    running.status = Set(CampaignStatus::Running);
    running.update(&state.db).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = Worker::with_jobs(
        state.clone(),
        Options {
            concurrency: 8,
            ..Options::default()
        },
        crate::worker::registry(),
        Vec::new(),
    );
    let worker = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    app::jobs::enqueue(&state.db, &DispatchCampaign { campaign_id: c.id }).await?;
    let mut samples = Vec::new();
    let deadline = started + Duration::from_secs(600);
    loop {
        let status = campaign::Entity::find_by_id(c.id)
            .one(&state.db)
            .await?
            .context("the campaign")?
            .status;
        if status == CampaignStatus::Completed {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the campaign did not finish in 10 minutes"
        );
        if sample {
            let busy = campaign_attempt::Entity::find()
                .filter(campaign_attempt::Column::CampaignId.eq(c.id))
                .filter(
                    campaign_attempt::Column::State
                        .is_in([AttemptState::Placing, AttemptState::Placed]),
                )
                .count(&state.db)
                .await?;
            samples.push(busy as f64);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    worker.await?;
    let calls = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(c.id))
        .count(&state.db)
        .await?;
    // The last calls drain with fewer than 50 left to place: measured while the list
    // still held more than the slots.
    let worked: Vec<f64> = samples
        .iter()
        .copied()
        .take(
            samples
                .len()
                .saturating_sub(samples.len() * usize::from(SLOTS) / recipients as usize),
        )
        .collect();
    let busy = if worked.is_empty() {
        0.0
    } else {
        worked.iter().sum::<f64>() / worked.len() as f64 / f64::from(SLOTS)
    };
    Ok((busy, calls, seconds))
}

/// `phone,tz` rows of distinct numbers whose Sandbox story is a single answered call.
fn list_csv(rows: u64) -> Vec<u8> {
    let mut csv = String::from("phone,first_name,tz\n");
    let mut n = 0u64;
    let mut written = 0;
    while written < rows {
        n += 1;
        // Last digits 0 to 5 answer the first time (none end in 13 or 0000).
        let number = 2_000_000 + n;
        if !matches!(number % 10, 0..=5) || number % 100 == 13 {
            continue;
        }
        csv.push_str(&format!("+1415{number:07},Pat,UTC\n"));
        written += 1;
    }
    csv.into_bytes()
}

async fn new_campaign(
    state: &AppState,
    workspace_id: Uuid,
    agent_id: Uuid,
    name: &str,
) -> anyhow::Result<campaign::Model> {
    let now = Utc::now();
    let settings = CampaignSettings {
        name: name.into(),
        agent_id: Some(agent_id),
        time_zone: "UTC".into(),
        ..CampaignSettings::default()
    };
    // Around the clock: the bench measures the dialer, not the hour it runs at.
    let windows: Vec<Window> = (0..7)
        .map(|day| Window {
            day,
            start: 0,
            end: 24 * 60,
        })
        .collect();
    Ok(campaign::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id),
        agent_id: Set(Some(agent_id)),
        name: Set(settings.name),
        description: Set(None),
        status: Set(CampaignStatus::Draft),
        pause_reason: Set(None),
        pause_detail: Set(None),
        step: Set(5),
        time_zone: Set(settings.time_zone),
        default_country: Set("US".into()),
        starts_at: Set(None),
        ends_at: Set(None),
        windows: Set(serde_json::to_value(windows)?),
        concurrency: Set(i32::from(SLOTS)),
        retry: Set(serde_json::to_value(RetryPolicy::default())?),
        variables: Set(serde_json::json!([])),
        columns: Set(serde_json::json!([])),
        source_name: Set(None),
        created_by: Set(None),
        launched_at: Set(Some(now)),
        completed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?)
}

async fn sandbox_agent(state: &AppState, workspace_id: Uuid) -> anyhow::Result<Uuid> {
    let now = Utc::now();
    let id = Uuid::now_v7();
    agent::ActiveModel {
        id: Set(id),
        workspace_id: Set(workspace_id),
        name: Set("Bench caller".into()),
        description: Set(None),
        provider: Set(AgentProvider::Sandbox),
        direction: Set(Direction::Outbound),
        allow_outbound: Set(true),
        config: Set(serde_json::to_value(AgentConfig::default())?),
        external_id: Set(Some(format!("sbx_agent_{}", id.simple()))),
        external_llm_id: Set(None),
        sync_status: Set(SyncStatus::Synced),
        last_sync_error: Set(None),
        last_synced_at: Set(Some(now)),
        needs_resync: Set(false),
        is_active: Set(true),
        total_calls: Set(0),
        total_seconds: Set(0),
        total_cost_cents: Set(0),
        last_call_at: Set(None),
        created_by: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    Ok(id)
}

/// The process's peak resident memory so far (KiB), Linux only.
fn rss_peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets the peak to the current resident memory (Linux: `clear_refs` 5) and answers it.
fn rss_peak_reset() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    rss_peak()
}
