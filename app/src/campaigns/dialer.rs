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
        dispatch(&cx, self.campaign_id).await
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
        place(&cx, self.attempt_id).await
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
        simulate(&cx, self.attempt_id).await
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

/// Calls a workspace may have under way at once (`resource_limits.concurrent_calls`).
pub fn workspace_limit(ws: &workspace::Model) -> i64 {
    ws.resource_limits
        .get("concurrent_calls")
        .and_then(serde_json::Value::as_i64)
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_WORKSPACE_CALLS)
}

/// How many more calls the campaign may start now: the least of its own concurrency, the
/// workspace's limit (less a reserve kept for its inbound calls, and less the calls it has
/// under way of every kind), and the workspace's fair share of the installation's campaign
/// calls (divided equally among the workspaces with running campaigns).
pub async fn free_slots<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    c: &campaign::Model,
    ws: &workspace::Model,
) -> Result<i64, AppError> {
    let busy = [AttemptState::Placing, AttemptState::Placed];
    let campaign_busy = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(c.id))
        .filter(campaign_attempt::Column::State.is_in(busy))
        .count(db)
        .await? as i64;
    let workspace_busy = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::WorkspaceId.eq(ws.id))
        .filter(campaign_attempt::Column::State.is_in(busy))
        .count(db)
        .await? as i64;
    // Other calls under way (inbound, tests), ignoring any a provider never closed.
    let other_calls = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(ws.id))
        .filter(conversation::Column::Status.is_in(CallStatus::RUNNING))
        .filter(conversation::Column::CampaignAttemptId.is_null())
        .filter(conversation::Column::CreatedAt.gt(Utc::now() - Duration::hours(2)))
        .count(db)
        .await? as i64;
    let limit = workspace_limit(ws);
    let reserve = if limit >= 2 {
        Ord::max(limit / 10, 1)
    } else {
        0
    };
    let running: Vec<Uuid> = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::WorkspaceId)
        .distinct()
        .filter(campaign::Column::Status.eq(CampaignStatus::Running))
        .into_tuple()
        .all(db)
        .await?;
    let share = Ord::max(
        i64::from(state.config.campaigns.calls_at_once) / Ord::max(running.len(), 1) as i64,
        1,
    );
    let free = [
        i64::from(c.concurrency) - campaign_busy,
        limit - reserve - other_calls - workspace_busy,
        share - workspace_busy,
    ];
    Ok(Ord::max(free.into_iter().min().unwrap_or(0), 0))
}

/// One run of a campaign's dispatch.
async fn dispatch(cx: &Context, id: Uuid) -> Result<(), JobError> {
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
        return Ok(());
    };
    let now = Utc::now();
    if c.status == CampaignStatus::Scheduled && c.starts_at.is_none_or(|s| s <= now) {
        let mut row: campaign::ActiveModel = c.clone().into();
        row.status = Set(CampaignStatus::Running);
        row.updated_at = Set(now);
        c = row.update(&txn).await?;
    }
    if c.status == CampaignStatus::Running {
        run_campaign(cx, &txn, &c, now).await?;
    }
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
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

/// Everything placing an attempt reads.
struct Placement {
    attempt: campaign_attempt::Model,
    recipient: campaign_recipient::Model,
    campaign: campaign::Model,
    agent: Option<agent::Model>,
}

async fn load<C: ConnectionTrait>(db: &C, attempt_id: Uuid) -> Result<Option<Placement>, AppError> {
    let Some(attempt) = campaign_attempt::Entity::find_by_id(attempt_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(recipient) = campaign_recipient::Entity::find_by_id(attempt.recipient_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(campaign) = campaign::Entity::find_by_id(attempt.campaign_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let agent = match campaign.agent_id {
        Some(id) => {
            agent::Entity::find_by_id(id)
                .filter(agent::Column::DeletedAt.is_null())
                .one(db)
                .await?
        }
        None => None,
    };
    Ok(Some(Placement {
        attempt,
        recipient,
        campaign,
        agent,
    }))
}

/// Undoes a claim whose call was never placed: the attempt goes, the recipient is queued
/// again (at `retry_at`) without having spent it, or cancelled with their campaign.
async fn give_back<C: ConnectionTrait>(
    db: &C,
    p: &Placement,
    retry_at: DateTime<Utc>,
    why: Option<String>,
) -> Result<(), AppError> {
    campaign_attempt::Entity::delete_many()
        .filter(campaign_attempt::Column::Id.eq(p.attempt.id))
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .exec(db)
        .await?;
    let status = if p.campaign.status == CampaignStatus::Cancelled {
        RecipientStatus::Cancelled
    } else {
        RecipientStatus::Queued
    };
    let mut update = campaign_recipient::Entity::update_many()
        .col_expr(campaign_recipient::Column::Status, Expr::value(status))
        .col_expr(
            campaign_recipient::Column::Attempts,
            Expr::col(campaign_recipient::Column::Attempts).sub(1),
        )
        .col_expr(
            campaign_recipient::Column::NextAttemptAt,
            Expr::value(retry_at),
        )
        .col_expr(
            campaign_recipient::Column::UpdatedAt,
            Expr::value(Utc::now()),
        );
    if let Some(why) = why {
        update = update.col_expr(campaign_recipient::Column::LastError, Expr::value(why));
    }
    update
        .filter(campaign_recipient::Column::Id.eq(p.recipient.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Calling))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends an attempt the provider refused: the recipient fails with the provider's words.
async fn refuse<C: ConnectionTrait>(db: &C, p: &Placement, why: &str) -> Result<(), AppError> {
    let now = Utc::now();
    campaign_attempt::Entity::update_many()
        .col_expr(
            campaign_attempt::Column::State,
            Expr::value(AttemptState::Failed),
        )
        .col_expr(
            campaign_attempt::Column::Outcome,
            Expr::value(RecipientOutcome::Failed),
        )
        .col_expr(campaign_attempt::Column::Error, Expr::value(why))
        .col_expr(campaign_attempt::Column::EndedAt, Expr::value(now))
        .filter(campaign_attempt::Column::Id.eq(p.attempt.id))
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .exec(db)
        .await?;
    campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::Status,
            Expr::value(RecipientStatus::Failed),
        )
        .col_expr(
            campaign_recipient::Column::Outcome,
            Expr::value(RecipientOutcome::Failed),
        )
        .col_expr(campaign_recipient::Column::LastError, Expr::value(why))
        .col_expr(campaign_recipient::Column::UpdatedAt, Expr::value(now))
        .filter(campaign_recipient::Column::Id.eq(p.recipient.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Calling))
        .exec(db)
        .await?;
    // The same refusal three times in a row is the setup, not the people: stop before
    // the whole list fails.
    let last: Vec<campaign_attempt::Model> = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(p.campaign.id))
        .filter(campaign_attempt::Column::State.ne(AttemptState::Placing))
        .order_by_desc(campaign_attempt::Column::CreatedAt)
        .limit(REFUSALS_TO_PAUSE)
        .all(db)
        .await?;
    if last.len() as u64 == REFUSALS_TO_PAUSE
        && last
            .iter()
            .all(|a| a.state == AttemptState::Failed && a.error.as_deref() == Some(why))
    {
        pause_for(
            db,
            p.campaign.id,
            PauseReason::Setup,
            Some(format!(
                "{REFUSALS_TO_PAUSE} calls in a row were refused the same way: {why}"
            )),
        )
        .await?;
        return Ok(());
    }
    wake(db, p.campaign.id, None).await
}

/// Places one attempt's call.
async fn place(cx: &Context, attempt_id: Uuid) -> Result<(), JobError> {
    let state = &cx.state;
    let Some(p) = load(&state.db, attempt_id).await? else {
        return finish_job(cx).await;
    };
    if p.attempt.state != AttemptState::Placing {
        return finish_job(cx).await;
    }
    if p.campaign.status != CampaignStatus::Running {
        // Paused or cancelled since the claim: the call is not placed.
        let txn = crate::db::begin_write(&state.db).await?;
        give_back(&txn, &p, Utc::now(), None).await?;
        cx.finish_in(&txn).await?;
        txn.commit().await?;
        return Ok(());
    }
    let Some(agent) = p.agent.clone() else {
        return pause_and_give_back(
            cx,
            &p,
            "The campaign's agent was deleted; choose another.".into(),
        )
        .await;
    };
    let provider = agent.provider;
    if provider == AgentProvider::Sandbox {
        let call_id = sandbox::campaign_call_id(p.attempt.id);
        return record_placed(cx, &p, &agent, call_id).await;
    }
    let keys =
        crate::integrations::voice::agent_keys(state, p.campaign.workspace_id, provider).await?;
    let from = keys.as_ref().and_then(|k| k.outbound_number.clone());
    let Some(voice) = Voice::new(provider, &state.providers, keys) else {
        return pause_and_give_back(
            cx,
            &p,
            format!(
                "No {} integration is assigned to this workspace any more.",
                provider.label()
            ),
        )
        .await;
    };
    let Some(from) = from else {
        return pause_and_give_back(
            cx,
            &p,
            format!(
                "The {} integration has no outbound number to call from; an organisation admin can add one on the Integrations page.",
                provider.label()
            ),
        )
        .await;
    };
    let ids = ExternalRef {
        agent_id: agent.external_id.clone(),
        llm_id: agent.external_llm_id.clone(),
    };
    if cx.attempt > 1 {
        // An earlier run may have placed the call and died before recording it.
        match voice
            .find_call(&ids, p.attempt.id, p.attempt.created_at)
            .await
        {
            Ok(Some(call_id)) => return record_placed(cx, &p, &agent, call_id).await,
            Ok(None) => {}
            Err(e) => return transient(cx, &p, e.to_string()).await,
        }
    }
    let config = crate::agents::service::config_of(&agent);
    let defaults =
        crate::agents::service::variable_defaults(&state.db, p.campaign.workspace_id, &config)
            .await?;
    let request = PhoneCallRequest {
        to_number: p.recipient.phone.clone(),
        customer_name: p.recipient.name.clone(),
        from,
        workspace_id: p.campaign.workspace_id,
        agent_id: agent.id,
        variables: call_variables(&defaults, &p.campaign, &p.recipient),
        attempt_key: Some(p.attempt.id),
    };
    match voice.create_phone_call(&ids, &request).await {
        Ok(call_id) => record_placed(cx, &p, &agent, call_id).await,
        Err(e) if e.is_transient() => transient(cx, &p, e.to_string()).await,
        Err(e) if e.kind == crate::providers::error::ProviderErrorKind::Unauthorized => {
            pause_and_give_back(cx, &p, e.to_string()).await
        }
        Err(e) => {
            let txn = crate::db::begin_write(&state.db).await?;
            refuse(&txn, &p, &e.to_string()).await?;
            cx.finish_in(&txn).await?;
            txn.commit().await?;
            Ok(())
        }
    }
}

/// A failure that may pass: retried by the queue with backoff; after the last try the
/// recipient is queued again in five minutes, their attempt unspent.
async fn transient(cx: &Context, p: &Placement, why: String) -> Result<(), JobError> {
    if !cx.is_last_attempt() {
        return Err(JobError::new(why));
    }
    let txn = crate::db::begin_write(&cx.state.db).await?;
    give_back(&txn, p, Utc::now() + Duration::minutes(5), Some(why)).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The campaign cannot place calls as set up: paused with what to fix, the claim undone.
async fn pause_and_give_back(cx: &Context, p: &Placement, why: String) -> Result<(), JobError> {
    let txn = crate::db::begin_write(&cx.state.db).await?;
    pause_for(&txn, p.campaign.id, PauseReason::Setup, Some(why)).await?;
    give_back(&txn, p, Utc::now(), None).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

async fn finish_job(cx: &Context) -> Result<(), JobError> {
    let txn = crate::db::begin_write(&cx.state.db).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Records that the provider has the attempt's call: the conversation (named by the
/// attempt), the attempt placed; a Sandbox call's end is queued. Should the provider's
/// report of the end have come first, the outcome is recorded now.
async fn record_placed(
    cx: &Context,
    p: &Placement,
    agent: &agent::Model,
    call_id: String,
) -> Result<(), JobError> {
    let state = &cx.state;
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let stored = crate::calls::service::record_campaign_call(
        &txn,
        StartedCall {
            workspace_id: p.campaign.workspace_id,
            agent_id: Some(agent.id),
            provider: agent.provider,
            external_id: call_id.clone(),
            direction: CallDirection::Outbound,
            phone_number: Some(p.recipient.phone.clone()),
            caller_name: p.recipient.name.clone(),
            is_test: false,
        },
        p.attempt.id,
        json!({
            "campaign_id": p.campaign.id,
            "recipient_id": p.recipient.id,
            "attempt_key": p.attempt.id,
        }),
    )
    .await?;
    campaign_attempt::Entity::update_many()
        .col_expr(
            campaign_attempt::Column::State,
            Expr::value(AttemptState::Placed),
        )
        .col_expr(campaign_attempt::Column::ExternalId, Expr::value(call_id))
        .col_expr(
            campaign_attempt::Column::ConversationId,
            Expr::value(stored.id),
        )
        .col_expr(campaign_attempt::Column::PlacedAt, Expr::value(now))
        .filter(campaign_attempt::Column::Id.eq(p.attempt.id))
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .exec(&txn)
        .await?;
    campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::ConversationId,
            Expr::value(stored.id),
        )
        .filter(campaign_recipient::Column::Id.eq(p.recipient.id))
        .exec(&txn)
        .await?;
    if stored.status.is_final() {
        let record = CallRecord {
            external_id: stored.external_id.clone(),
            status: stored.status,
            end_reason: stored.end_reason.clone(),
            duration_seconds: stored.duration_seconds,
            ..CallRecord::default()
        };
        super::outcome::record(&txn, p.attempt.id, stored.id, stored.status, &record).await?;
    } else if agent.provider == AgentProvider::Sandbox {
        let at = now + Duration::from_std(state.config.campaigns.sandbox_call).unwrap_or_default();
        crate::jobs::enqueue_at(
            &txn,
            &SimulateCall {
                attempt_id: p.attempt.id,
            },
            at,
        )
        .await?;
    }
    let event = crate::live::CallEvent {
        workspace_id: p.campaign.workspace_id,
        conversation_id: stored.id,
        status: stored.status,
    };
    let sent = crate::live::notify_in(&txn, &event).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    if !sent {
        state.live.publish(event);
    }
    Ok(())
}

/// How a Sandbox campaign call goes, by the number's last digits and the attempt, so a
/// list can show every path: `…6` does not answer the first time, `…7` is busy twice,
/// `…8` reaches voicemail the first time, `…9` asks to be called back tomorrow at three
/// the first time, `…13` asks not to be called again, `…0000` is not a working number;
/// everyone else answers.
pub fn sandbox_call(
    phone: &str,
    attempt: i32,
) -> (CallStatus, &'static str, Option<&'static str>, bool) {
    let last = phone.chars().last().unwrap_or('0');
    match last {
        _ if phone.ends_with("0000") => (CallStatus::Failed, "invalid_destination", None, false),
        _ if phone.ends_with("13") => (CallStatus::Completed, "customer-ended-call", None, true),
        '6' if attempt == 1 => (CallStatus::NoAnswer, "customer-did-not-answer", None, false),
        '7' if attempt <= 2 => (CallStatus::Busy, "customer-busy", None, false),
        '8' if attempt == 1 => (CallStatus::Completed, "voicemail", None, false),
        '9' if attempt == 1 => (
            CallStatus::Completed,
            "customer-ended-call",
            Some("Call me tomorrow at three"),
            false,
        ),
        _ => (CallStatus::Completed, "customer-ended-call", None, false),
    }
}

/// Ends a placed Sandbox call through the calls' own ingestion.
async fn simulate(cx: &Context, attempt_id: Uuid) -> Result<(), JobError> {
    let state = &cx.state;
    let Some(p) = load(&state.db, attempt_id).await? else {
        return finish_job(cx).await;
    };
    let (Some(agent), Some(call_id)) = (p.agent.clone(), p.attempt.external_id.clone()) else {
        return finish_job(cx).await;
    };
    if p.attempt.state != AttemptState::Placed {
        return finish_job(cx).await;
    }
    let (status, reason, callback, do_not_call) =
        sandbox_call(&p.recipient.phone, p.attempt.number);
    let config = crate::agents::service::config_of(&agent);
    let defaults =
        crate::agents::service::variable_defaults(&state.db, p.campaign.workspace_id, &config)
            .await?;
    let values = call_variables(&defaults, &p.campaign, &p.recipient);
    let mut turns = if status == CallStatus::Completed && reason != "voicemail" {
        let documents = crate::agents::service::active_knowledge(&state.db, agent.id).await?;
        sandbox::conversation(
            &agent.name,
            Direction::Outbound,
            &config,
            &documents,
            &values,
        )
    } else {
        vec![]
    };
    if let Some(words) = callback {
        turns.insert(
            turns.len().saturating_sub(2),
            crate::calls::model::Turn {
                role: "user".into(),
                text: format!("I'm busy right now. {words}."),
                seconds: turns.iter().rev().nth(2).map_or(0.0, |t| t.seconds + 1.0),
            },
        );
    }
    if do_not_call {
        turns.push(crate::calls::model::Turn {
            role: "user".into(),
            text: "Please don't call me again.".into(),
            seconds: turns.last().map_or(0.0, |t| t.seconds + 3.0),
        });
    }
    let mut record = sandbox::finished_call(
        &call_id,
        agent.external_id.clone(),
        CallDirection::Outbound,
        Some(p.recipient.phone.clone()),
        &turns,
        format!(
            "Campaign call from {} to {}.",
            agent.name, p.recipient.phone
        ),
    );
    record.status = status;
    record.end_reason = Some(reason.into());
    record.callback_request = callback.map(str::to_owned);
    record.do_not_call = do_not_call;
    if turns.is_empty() {
        record.summary = None;
        record.sentiment = None;
        record.successful = None;
    }
    crate::calls::service::ingest(
        state,
        StartedCall {
            workspace_id: p.campaign.workspace_id,
            agent_id: Some(agent.id),
            provider: AgentProvider::Sandbox,
            external_id: call_id,
            direction: CallDirection::Outbound,
            phone_number: Some(p.recipient.phone.clone()),
            caller_name: p.recipient.name.clone(),
            is_test: false,
        },
        &record,
    )
    .await?;
    finish_job(cx).await
}

/// The minute's upkeep of every campaign.
pub async fn tick(state: &AppState) -> Result<(), AppError> {
    let db = &state.db;
    let now = Utc::now();
    // Scheduled ones due to start, and running ones (a wake-up is cheap and dispatch
    // decides; this also covers a wake-up lost to a crash).
    let due: Vec<Uuid> = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::Id)
        .filter(
            sea_orm::Condition::any()
                .add(campaign::Column::Status.eq(CampaignStatus::Running))
                .add(
                    sea_orm::Condition::all()
                        .add(campaign::Column::Status.eq(CampaignStatus::Scheduled))
                        .add(campaign::Column::StartsAt.lte(now)),
                ),
        )
        .into_tuple()
        .all(db)
        .await?;
    for id in due {
        wake(db, id, None).await?;
    }
    // Paused for credit, where credit has come back.
    let paused = campaign::Entity::find()
        .filter(campaign::Column::Status.eq(CampaignStatus::Paused))
        .filter(campaign::Column::PauseReason.eq(PauseReason::Credit))
        .all(db)
        .await?;
    for c in paused {
        let Some(ws) = workspace::Entity::find_by_id(c.workspace_id)
            .one(db)
            .await?
        else {
            continue;
        };
        if crate::billing::service::credits(db, &ws).await?.paywalled {
            continue;
        }
        let txn = crate::db::begin_write(db).await?;
        let resumed = campaign::Entity::update_many()
            .col_expr(
                campaign::Column::Status,
                Expr::value(CampaignStatus::Running),
            )
            .col_expr(
                campaign::Column::PauseReason,
                Expr::value(Option::<PauseReason>::None),
            )
            .col_expr(campaign::Column::UpdatedAt, Expr::value(now))
            .filter(campaign::Column::Id.eq(c.id))
            .filter(campaign::Column::Status.eq(CampaignStatus::Paused))
            .filter(campaign::Column::PauseReason.eq(PauseReason::Credit))
            .exec(&txn)
            .await?
            .rows_affected;
        if resumed == 1 {
            wake(&txn, c.id, None).await?;
        }
        txn.commit().await?;
    }
    close_stale(state, now).await
}

/// Calls placed long ago whose end no provider has reported (the open-call sweep has
/// asked them meanwhile) are closed as failed, and retried per the policy; placements
/// whose job gave up unconfirmed are given back.
async fn close_stale(state: &AppState, now: DateTime<Utc>) -> Result<(), AppError> {
    let db = &state.db;
    let stale = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placed))
        .filter(campaign_attempt::Column::PlacedAt.lt(now - Duration::minutes(STALE_AFTER_MINUTES)))
        .limit(100)
        .all(db)
        .await?;
    for attempt in stale {
        let Some(conv) = (match attempt.conversation_id {
            Some(id) => conversation::Entity::find_by_id(id).one(db).await?,
            None => None,
        }) else {
            continue;
        };
        if conv.status.is_final() {
            continue;
        }
        let record = CallRecord {
            external_id: conv.external_id.clone(),
            agent_external_id: None,
            status: CallStatus::Failed,
            ended_at: Some(now),
            end_reason: Some("no-news-from-provider".into()),
            ..CallRecord::default()
        };
        crate::calls::service::ingest(
            state,
            StartedCall {
                workspace_id: conv.workspace_id,
                agent_id: conv.agent_id,
                provider: conv.provider,
                external_id: conv.external_id.clone(),
                direction: conv.direction,
                phone_number: conv.phone_number.clone(),
                caller_name: conv.caller_name.clone(),
                is_test: conv.is_test,
            },
            &record,
        )
        .await?;
    }
    let lost = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .filter(
            campaign_attempt::Column::CreatedAt.lt(now - Duration::minutes(LOST_PLACEMENT_MINUTES)),
        )
        .limit(100)
        .all(db)
        .await?;
    for attempt in lost {
        let waiting = crate::db::entity::job::Entity::find()
            .filter(crate::db::entity::job::Column::Kind.eq(PlaceCall::KIND))
            .filter(crate::db::entity::job::Column::State.is_in([
                crate::jobs::model::State::Queued,
                crate::jobs::model::State::Running,
            ]))
            .filter(crate::db::entity::job::Column::Payload.contains(attempt.id.to_string()))
            .count(db)
            .await?;
        if waiting > 0 {
            continue;
        }
        let Some(p) = load(db, attempt.id).await? else {
            continue;
        };
        let txn = crate::db::begin_write(db).await?;
        give_back(
            &txn,
            &p,
            now,
            Some("The call could not be confirmed; it will be tried again.".into()),
        )
        .await?;
        txn.commit().await?;
    }
    Ok(())
}
