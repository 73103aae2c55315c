//! The dialer: the jobs that work campaigns through, run by the worker like any job.
//!
//! - `campaigns.dispatch` (one per campaign at a time) claims due recipients inside their
//!   windows, up to the free slots, in one transaction with the job's end: each claim
//!   makes an attempt (its id is the attempt's key) and queues its placement. Whatever
//!   frees a slot or makes someone due wakes it; it sets its own next wake-up.
//! - `campaigns.place` places one attempt's call. Before placing again after an
//!   interruption it asks the provider whether the attempt's call exists (by key), so a
//!   crash between the provider's answer and our record never calls twice. Transient
//!   failures retry with backoff without spending the recipient's attempt; permanent ones
//!   fail the recipient with the provider's words; a broken setup pauses the campaign.
//! - `campaigns.simulate` ends a Sandbox call after its simulated length, through the
//!   same ingestion as provider events.
//! - `campaigns.tick` (each minute) starts scheduled campaigns, resumes those paused for
//!   credit once there is credit, and closes calls no provider has told us about.
//!
//! A job-runner entry point that composes services, like a handler: the `api` layer.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::model::{
    AttemptState, CampaignStatus, DispatchCampaign, PauseReason, RecipientOutcome, RecipientStatus,
};
use super::news::{announce, announce_attempt};
use super::service::{agent_problem, settings_of, wake};
use super::window::{Zones, is_open, next_open, parse_zone};
use crate::agents::model::{AgentProvider, Direction};
use crate::calls::model::{CallDirection, CallStatus};
use crate::calls::service::StartedCall;
use crate::db::entity::{
    agent, campaign, campaign_attempt, campaign_recipient, conversation, workspace,
};
use crate::error::AppError;
use crate::jobs::{Context, Job, JobError};
use crate::providers::{CallRecord, ExternalRef, PhoneCallRequest, Voice, VoiceProvider, sandbox};
use crate::state::AppState;

mod place;
mod simulate;
mod slots;
mod tick;

use place::*;
pub use simulate::sandbox_call;
use simulate::*;
pub use slots::{free_slots, workspace_limit};
pub use tick::tick;

/// Calls a workspace has under way at once unless its limits say otherwise.
pub const DEFAULT_WORKSPACE_CALLS: i64 = 10;
/// Recipients read per page while looking for those who are due.
const PAGE: u64 = 200;
/// Pages one dispatch reads before handing over to the next run.
const PAGES: usize = 10;
/// A placed call no provider has reported the end of for this long is closed as failed.
const STALE_AFTER_MINUTES: i64 = 90;
/// Refusals in a row, alike, that pause a campaign.
const REFUSALS_TO_PAUSE: u64 = 3;
/// A placement still unconfirmed this long after its job gave up is given back.
const LOST_PLACEMENT_MINUTES: i64 = 180;

impl Job for DispatchCampaign {
    const KIND: &'static str = "campaigns.dispatch";

    fn unique_key(&self) -> Option<String> {
        Some(format!("campaigns.dispatch:{}", self.campaign_id))
    }

    async fn run(self, cx: Context) -> Result<(), JobError> {
        let workspace_id = dispatch(&cx, self.campaign_id).await?;
        if let Some(workspace_id) = workspace_id {
            let live = &cx.state.live;
            told(announce(&cx.state.db, live, workspace_id, self.campaign_id).await);
        }
        Ok(())
    }
}

/// Places the call of one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceCall {
    pub attempt_id: Uuid,
}

impl Job for PlaceCall {
    const KIND: &'static str = "campaigns.place";

    async fn run(self, cx: Context) -> Result<(), JobError> {
        place(&cx, self.attempt_id).await?;
        told(announce_attempt(&cx.state, self.attempt_id).await);
        Ok(())
    }
}

/// Ends a Sandbox campaign call as the simulated conversation went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulateCall {
    pub attempt_id: Uuid,
}

impl Job for SimulateCall {
    const KIND: &'static str = "campaigns.simulate";

    async fn run(self, cx: Context) -> Result<(), JobError> {
        simulate(&cx, self.attempt_id).await?;
        told(announce_attempt(&cx.state, self.attempt_id).await);
        Ok(())
    }
}

/// Each minute: scheduled starts, credit resumes, stale calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignTick;

impl Job for CampaignTick {
    const KIND: &'static str = "campaigns.tick";

    async fn run(self, cx: Context) -> Result<(), JobError> {
        tick(&cx.state).await?;
        Ok(())
    }
}

/// News for open pages is best effort: a campaign's work never fails for want of it.
fn told(result: Result<(), sea_orm::DbErr>) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not announce a campaign's progress");
    }
}

fn is_postgres<C: ConnectionTrait>(db: &C) -> bool {
    db.get_database_backend() == DatabaseBackend::Postgres
}

/// Pauses a campaign that is running or scheduled, with why.
async fn pause_for<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    reason: PauseReason,
    detail: Option<String>,
) -> Result<(), AppError> {
    campaign::Entity::update_many()
        .col_expr(
            campaign::Column::Status,
            Expr::value(CampaignStatus::Paused),
        )
        .col_expr(campaign::Column::PauseReason, Expr::value(reason))
        .col_expr(campaign::Column::PauseDetail, Expr::value(detail))
        .col_expr(campaign::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(campaign::Column::Id.eq(id))
        .filter(
            campaign::Column::Status.is_in([CampaignStatus::Running, CampaignStatus::Scheduled]),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// One run of a campaign's dispatch; the campaign's workspace when there is news of it.
async fn dispatch(cx: &Context, id: Uuid) -> Result<Option<Uuid>, JobError> {
    let state = &cx.state;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut query = campaign::Entity::find_by_id(id);
    if is_postgres(&txn) {
        // Two dispatches of one campaign (one running, one woken meanwhile) take turns.
        query = query.lock_exclusive();
    }
    let Some(mut c) = query.one(&txn).await? else {
        cx.finish_in(&txn).await?;
        txn.commit().await?;
        return Ok(None);
    };
    let now = Utc::now();
    if c.status == CampaignStatus::Scheduled && c.starts_at.is_none_or(|s| s <= now) {
        let mut row: campaign::ActiveModel = c.clone().into();
        row.status = Set(CampaignStatus::Running);
        row.updated_at = Set(now);
        c = row.update(&txn).await?;
    }
    let running = c.status == CampaignStatus::Running;
    if running {
        run_campaign(cx, &txn, &c, now).await?;
    }
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(running.then_some(c.workspace_id))
}

async fn run_campaign<C: ConnectionTrait>(
    cx: &Context,
    db: &C,
    c: &campaign::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let state = &cx.state;
    let ws = workspace::Entity::find_by_id(c.workspace_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))?;
    if c.ends_at.is_some_and(|end| end <= now) {
        return finish(db, &state.config, c, now, true).await;
    }
    if crate::billing::service::credits(db, &ws).await?.paywalled {
        return pause_for(db, c.id, PauseReason::Credit, None).await;
    }
    if let Some(problem) = agent_problem(db, c).await? {
        return pause_for(db, c.id, PauseReason::Setup, Some(problem)).await;
    }
    let settings = settings_of(c);
    let tz = parse_zone(&c.time_zone).unwrap_or(chrono_tz::UTC);
    let mut free = free_slots(db, state, c, &ws).await?;
    let mut more = false;
    if free > 0 {
        'pages: for page in 0..PAGES {
            let due = campaign_recipient::Entity::find()
                .filter(campaign_recipient::Column::CampaignId.eq(c.id))
                .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
                .filter(campaign_recipient::Column::NextAttemptAt.lte(now))
                .order_by_asc(campaign_recipient::Column::NextAttemptAt)
                .order_by_asc(campaign_recipient::Column::Id)
                .limit(PAGE)
                .all(db)
                .await?;
            if due.is_empty() {
                break;
            }
            let full_page = due.len() as u64 == PAGE;
            let phones: Vec<String> = due.iter().map(|r| r.phone.clone()).collect();
            let listed = super::dnc::listed(db, ws.partner_id, ws.id, &phones).await?;
            let mut later: HashMap<DateTime<Utc>, Vec<Uuid>> = HashMap::new();
            let mut no_window: Vec<Uuid> = vec![];
            let mut on_list: Vec<Uuid> = vec![];
            for r in due {
                if listed.contains(&r.phone) {
                    on_list.push(r.id);
                    continue;
                }
                let zones = Zones::of(r.time_zone.as_deref(), tz);
                if !is_open(&settings.windows, &zones, now) {
                    match next_open(&settings.windows, &zones, now, c.ends_at) {
                        Some(at) => later.entry(at).or_default().push(r.id),
                        None => no_window.push(r.id),
                    }
                    continue;
                }
                if free == 0 {
                    continue;
                }
                if claim(db, c, &r, now).await? {
                    free -= 1;
                }
            }
            settle(
                db,
                &on_list,
                RecipientStatus::Skipped,
                Some(RecipientOutcome::DoNotCall),
                None,
            )
            .await?;
            settle(
                db,
                &no_window,
                RecipientStatus::Skipped,
                Some(RecipientOutcome::NoWindow),
                None,
            )
            .await?;
            for (at, ids) in later {
                settle(db, &ids, RecipientStatus::Queued, None, Some(at)).await?;
            }
            if free == 0 || !full_page {
                break 'pages;
            }
            more = page + 1 == PAGES;
        }
    }
    let open = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(c.id))
        .filter(
            campaign_recipient::Column::Status
                .is_in([RecipientStatus::Queued, RecipientStatus::Calling]),
        )
        .count(db)
        .await?;
    if open == 0 {
        return finish(db, &state.config, c, now, false).await;
    }
    if more {
        wake(db, c.id, None).await?;
    } else if let Some(next) = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(c.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .filter(campaign_recipient::Column::NextAttemptAt.gt(now))
        .order_by_asc(campaign_recipient::Column::NextAttemptAt)
        .one(db)
        .await?
        .and_then(|r| r.next_attempt_at)
    {
        wake(db, c.id, Some(next)).await?;
    }
    Ok(())
}

/// Moves recipients (still queued) to `status` / `outcome`, or only their next attempt.
async fn settle<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    status: RecipientStatus,
    outcome: Option<RecipientOutcome>,
    next: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut update = campaign_recipient::Entity::update_many()
        .col_expr(campaign_recipient::Column::Status, Expr::value(status))
        .col_expr(campaign_recipient::Column::NextAttemptAt, Expr::value(next))
        .col_expr(
            campaign_recipient::Column::UpdatedAt,
            Expr::value(Utc::now()),
        );
    if let Some(outcome) = outcome {
        update = update.col_expr(campaign_recipient::Column::Outcome, Expr::value(outcome));
    }
    update
        .filter(campaign_recipient::Column::Id.is_in(ids.iter().copied()))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims a due recipient: their next attempt is made and its placement queued.
async fn claim<C: ConnectionTrait>(
    db: &C,
    c: &campaign::Model,
    r: &campaign_recipient::Model,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let claimed = campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::Status,
            Expr::value(RecipientStatus::Calling),
        )
        .col_expr(
            campaign_recipient::Column::Attempts,
            Expr::col(campaign_recipient::Column::Attempts).add(1),
        )
        .col_expr(campaign_recipient::Column::UpdatedAt, Expr::value(now))
        .filter(campaign_recipient::Column::Id.eq(r.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .filter(campaign_recipient::Column::Attempts.eq(r.attempts))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if !claimed {
        return Ok(false);
    }
    let attempt_id = Uuid::now_v7();
    campaign_attempt::ActiveModel {
        id: Set(attempt_id),
        recipient_id: Set(r.id),
        campaign_id: Set(c.id),
        workspace_id: Set(c.workspace_id),
        number: Set(r.attempts + 1),
        state: Set(AttemptState::Placing),
        external_id: Set(None),
        conversation_id: Set(None),
        outcome: Set(None),
        error: Set(None),
        created_at: Set(now),
        placed_at: Set(None),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    crate::jobs::enqueue(db, &PlaceCall { attempt_id }).await?;
    Ok(true)
}

/// Ends a campaign nobody is left to call in (`expired`: its end date came, and whoever
/// was still queued is skipped for want of a window).
async fn finish<C: ConnectionTrait>(
    db: &C,
    config: &crate::config::Config,
    c: &campaign::Model,
    now: DateTime<Utc>,
    expired: bool,
) -> Result<(), AppError> {
    if expired {
        campaign_recipient::Entity::update_many()
            .col_expr(
                campaign_recipient::Column::Status,
                Expr::value(RecipientStatus::Skipped),
            )
            .col_expr(
                campaign_recipient::Column::Outcome,
                Expr::value(RecipientOutcome::NoWindow),
            )
            .col_expr(campaign_recipient::Column::UpdatedAt, Expr::value(now))
            .filter(campaign_recipient::Column::CampaignId.eq(c.id))
            .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
            .exec(db)
            .await?;
        let calling = campaign_recipient::Entity::find()
            .filter(campaign_recipient::Column::CampaignId.eq(c.id))
            .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Calling))
            .count(db)
            .await?;
        if calling > 0 {
            // Calls under way finish first; their outcomes wake this again.
            return Ok(());
        }
    }
    let completed = campaign::Entity::update_many()
        .col_expr(
            campaign::Column::Status,
            Expr::value(CampaignStatus::Completed),
        )
        .col_expr(campaign::Column::CompletedAt, Expr::value(now))
        .col_expr(campaign::Column::UpdatedAt, Expr::value(now))
        .filter(campaign::Column::Id.eq(c.id))
        .filter(campaign::Column::Status.eq(CampaignStatus::Running))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if completed {
        super::summary::send(db, config, c).await?;
    }
    Ok(())
}

/// The values of the agent's `{{placeholders}}` for one recipient: the workspace's and
/// agent's defaults, then the recipient's own columns, then each mapped variable (its
/// column's value, else its default).
pub fn call_variables(
    defaults: &[(String, String)],
    c: &campaign::Model,
    r: &campaign_recipient::Model,
) -> Vec<(String, String)> {
    let mut values: HashMap<String, String> = defaults
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .cloned()
        .collect();
    if let Some(fields) = r.fields.as_object() {
        for (k, v) in fields {
            if let Some(v) = v.as_str().filter(|v| !v.is_empty()) {
                values.insert(k.clone(), v.to_owned());
            }
        }
    }
    values.insert("phone_number".into(), r.phone.clone());
    for source in settings_of(c).variables {
        let from_column = source
            .column
            .as_ref()
            .and_then(|col| r.fields.get(col))
            .and_then(serde_json::Value::as_str)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned);
        match from_column {
            Some(v) => {
                values.insert(source.name, v);
            }
            None if !source.default.is_empty() => {
                values.insert(source.name, source.default);
            }
            None => {}
        }
    }
    let mut values: Vec<(String, String)> = values.into_iter().collect();
    values.sort();
    values
}
