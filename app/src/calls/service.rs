//! Storing calls. A call is stored once per provider call id (a unique index backs this),
//! and the agent's counters move in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::model::{CallDirection, CallStatus};
use crate::db::entity::{agent, conversation};
use crate::error::AppError;
use crate::integrations::model::AgentProvider;
use crate::live::{self, CallEvent, News};
use crate::providers::CallRecord;
use crate::state::AppState;

/// A call a provider has accepted to place; its events complete it later.
pub struct StartedCall {
    pub workspace_id: Uuid,
    /// None for a call of an agent this workspace does not manage here.
    pub agent_id: Option<Uuid>,
    pub provider: AgentProvider,
    pub external_id: String,
    pub direction: CallDirection,
    pub phone_number: Option<String>,
    pub caller_name: Option<String>,
    pub is_test: bool,
}

/// A conversation row for `call` with nothing known yet beyond who and where.
fn new_row(call: StartedCall, status: CallStatus, now: DateTime<Utc>) -> conversation::ActiveModel {
    conversation::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(call.workspace_id),
        agent_id: Set(call.agent_id),
        provider: Set(call.provider),
        external_id: Set(call.external_id),
        direction: Set(call.direction),
        status: Set(status),
        phone_number: Set(call.phone_number),
        caller_name: Set(call.caller_name),
        started_at: Set(None),
        ended_at: Set(None),
        duration_seconds: Set(0),
        recording_url: Set(None),
        transcript: Set(json!([])),
        summary: Set(None),
        sentiment: Set(None),
        cost_cents: Set(0),
        end_reason: Set(None),
        metadata: Set(json!({})),
        is_test: Set(call.is_test),
        billed_minutes: Set(0),
        billed_cents: Set(0),
        billed_to: Set(None),
        successful: Set(None),
        campaign_attempt_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Stores a call that has only just been placed (status `initiated`).
pub async fn record_started<C: ConnectionTrait>(
    db: &C,
    call: StartedCall,
) -> Result<Uuid, AppError> {
    let row = new_row(call, CallStatus::Initiated, Utc::now())
        .insert(db)
        .await?;
    Ok(row.id)
}

/// Stores a call a campaign attempt has placed, named by the attempt's key; when the
/// provider's first news of it arrived before this (it can), the stored call is linked to
/// the attempt instead. The call as stored.
pub async fn record_campaign_call<C: ConnectionTrait>(
    db: &C,
    call: StartedCall,
    attempt_id: Uuid,
    metadata: serde_json::Value,
) -> Result<conversation::Model, AppError> {
    let provider = call.provider;
    let external_id = call.external_id.clone();
    let workspace_id = call.workspace_id;
    let mut row = new_row(call, CallStatus::Initiated, Utc::now());
    row.campaign_attempt_id = Set(Some(attempt_id));
    row.metadata = Set(metadata);
    conversation::Entity::insert(row)
        .on_conflict_do_nothing_on([
            conversation::Column::Provider,
            conversation::Column::ExternalId,
        ])
        .exec_without_returning(db)
        .await?;
    conversation::Entity::update_many()
        .col_expr(
            conversation::Column::CampaignAttemptId,
            Expr::value(attempt_id),
        )
        .filter(conversation::Column::Provider.eq(provider))
        .filter(conversation::Column::ExternalId.eq(&external_id))
        .filter(conversation::Column::WorkspaceId.eq(workspace_id))
        .filter(conversation::Column::CampaignAttemptId.is_null())
        .exec(db)
        .await?;
    conversation::Entity::find()
        .filter(conversation::Column::Provider.eq(provider))
        .filter(conversation::Column::ExternalId.eq(&external_id))
        .filter(conversation::Column::WorkspaceId.eq(workspace_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The call"))
}

/// Stores what a provider reports about a call and, the one time the report finishes the
/// call, charges it: in one transaction, so a charge never exists without its finished call
/// nor a finished call without its charge.
///
/// Pages showing the workspace's calls hear of every change (`live`).
pub async fn ingest(
    state: &AppState,
    call: StartedCall,
    record: &CallRecord,
) -> Result<Applied, AppError> {
    record
        .check()
        .map_err(|why| AppError::BadRequest(format!("The report was refused: {why}.")))?;
    let workspace_id = call.workspace_id;
    // Asked before the write transaction, which must not wait on a second connection. A
    // final report in a workspace with Algolia queues the call's indexing with it;
    // unreadable Algolia keys never stop a call being stored (the calls page reports them).
    let index_in_algolia = record.status.is_final()
        && matches!(
            super::algolia::is_configured(state, workspace_id).await,
            Ok(true)
        );
    let txn = crate::db::begin_write(&state.db).await?;
    let applied = apply_record(&txn, call, record).await?;
    if applied.finished_now {
        crate::billing::service::charge_call(&txn, applied.conversation_id).await?;
        if let Some(attempt_id) = applied.campaign_attempt_id
            && let Some(campaign_id) = crate::campaigns::outcome::record(
                &txn,
                attempt_id,
                applied.conversation_id,
                applied.status,
                record,
            )
            .await?
        {
            crate::campaigns::news::announce(&txn, &state.live, workspace_id, campaign_id).await?;
        }
    }
    let event = applied.changed.then_some(News::Call(CallEvent {
        workspace_id,
        conversation_id: applied.conversation_id,
        status: applied.status,
    }));
    let sent = match &event {
        Some(event) => live::notify_in(&txn, event).await?,
        None => true,
    };
    if applied.status.is_final() && index_in_algolia {
        let index = super::algolia::IndexCall {
            conversation_id: applied.conversation_id,
        };
        crate::jobs::enqueue(&txn, &index).await?;
    }
    txn.commit().await?;
    if let Some(event) = event
        && !sent
    {
        state.live.publish(event);
    }
    Ok(applied)
}

/// Adds a finished call to its agent's counters.
async fn count_on_agent<C: ConnectionTrait>(
    db: &C,
    agent_id: Uuid,
    duration_seconds: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    agent::Entity::update_many()
        .col_expr(
            agent::Column::TotalCalls,
            Expr::col(agent::Column::TotalCalls).add(1),
        )
        .col_expr(
            agent::Column::TotalSeconds,
            Expr::col(agent::Column::TotalSeconds).add(i64::from(duration_seconds)),
        )
        .col_expr(agent::Column::LastCallAt, Expr::value(now))
        .filter(agent::Column::Id.eq(agent_id))
        .exec(db)
        .await?;
    Ok(())
}

/// What `apply_record` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub conversation_id: Uuid,
    /// The stored status afterwards.
    pub status: CallStatus,
    pub duration_seconds: i32,
    /// This report is the one that finished the call (it happens once per call).
    pub finished_now: bool,
    /// This report stored the call or moved its status (open pages are told).
    pub changed: bool,
    /// The campaign attempt that placed the call, if a campaign did.
    pub campaign_attempt_id: Option<Uuid>,
}

/// Brings the stored call up to what the provider reports about it, creating the row from
/// `call` when it is missing. A call only moves forward (`CallStatus::stage`), so repeated or
/// late reports change nothing; the move to a final status is made by a conditional update,
/// so however many reports race, exactly one finishes the call and counts it on its agent.
/// A call id stored for another workspace is refused as not found.
pub async fn apply_record<C: ConnectionTrait>(
    db: &C,
    call: StartedCall,
    record: &CallRecord,
) -> Result<Applied, AppError> {
    let workspace_id = call.workspace_id;
    let provider = call.provider;
    let external_id = call.external_id.clone();
    let now = Utc::now();
    let created = matches!(
        conversation::Entity::insert(new_row(call, CallStatus::Initiated, now))
            .on_conflict_do_nothing_on([
                conversation::Column::Provider,
                conversation::Column::ExternalId,
            ])
            .exec(db)
            .await?,
        sea_orm::TryInsertResult::Inserted(_)
    );
    let stored = conversation::Entity::find()
        .filter(conversation::Column::Provider.eq(provider))
        .filter(conversation::Column::ExternalId.eq(&external_id))
        .one(db)
        .await?
        .filter(|c| c.workspace_id == workspace_id)
        .ok_or_else(|| AppError::not_found("The call"))?;
    let unchanged = Applied {
        conversation_id: stored.id,
        status: stored.status,
        duration_seconds: stored.duration_seconds,
        finished_now: false,
        changed: created,
        campaign_attempt_id: stored.campaign_attempt_id,
    };
    let new_stage = record.status.stage();
    if stored.status.is_final() && record.status.is_final() {
        // Later news of a finished call (Retell's analysis after the end, a report after a
        // status update) fills in what was missing; it never finishes the call again.
        enrich(db, &stored, record, now).await?;
        return Ok(unchanged);
    }
    if new_stage <= stored.status.stage() {
        return Ok(unchanged);
    }
    // Only rows still at an earlier stage move, so a concurrent report that got there
    // first wins and this one changes nothing.
    let earlier: Vec<CallStatus> = CallStatus::ALL
        .into_iter()
        .filter(|s| s.stage() < new_stage)
        .collect();
    let mut update = conversation::Entity::update_many()
        .col_expr(conversation::Column::Status, Expr::value(record.status))
        .col_expr(conversation::Column::UpdatedAt, Expr::value(now));
    if let Some(started) = record.started_at {
        update = update.col_expr(conversation::Column::StartedAt, Expr::value(started));
    }
    let finishing = record.status.is_final();
    if finishing {
        let transcript = serde_json::to_value(&record.transcript).map_err(AppError::internal)?;
        update = update
            .col_expr(
                conversation::Column::EndedAt,
                Expr::value(record.ended_at.unwrap_or(now)),
            )
            .col_expr(
                conversation::Column::DurationSeconds,
                Expr::value(record.duration_seconds),
            )
            .col_expr(conversation::Column::Transcript, Expr::value(transcript))
            .col_expr(
                conversation::Column::RecordingUrl,
                Expr::value(record.recording_url.clone()),
            )
            .col_expr(
                conversation::Column::Summary,
                Expr::value(record.summary.clone()),
            )
            .col_expr(
                conversation::Column::CostCents,
                Expr::value(record.cost_cents),
            )
            .col_expr(
                conversation::Column::EndReason,
                Expr::value(record.end_reason.clone()),
            )
            .col_expr(
                conversation::Column::Sentiment,
                Expr::value(record.sentiment.clone()),
            )
            .col_expr(
                conversation::Column::Successful,
                Expr::value(record.successful),
            );
    }
    let moved = update
        .filter(conversation::Column::Id.eq(stored.id))
        .filter(conversation::Column::Status.is_in(earlier))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if !moved {
        let now_stored = conversation::Entity::find_by_id(stored.id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("The call"))?;
        return Ok(Applied {
            status: now_stored.status,
            duration_seconds: now_stored.duration_seconds,
            ..unchanged
        });
    }
    let finished_now = finishing;
    if finished_now && let Some(agent_id) = stored.agent_id {
        count_on_agent(db, agent_id, record.duration_seconds, now).await?;
    }
    Ok(Applied {
        conversation_id: stored.id,
        status: record.status,
        duration_seconds: if finishing {
            record.duration_seconds
        } else {
            stored.duration_seconds
        },
        finished_now,
        changed: true,
        campaign_attempt_id: stored.campaign_attempt_id,
    })
}

/// Fills in what a later report of a finished call knows and the stored call lacks or
/// knew less of; never its status, duration or charge.
async fn enrich<C: ConnectionTrait>(
    db: &C,
    stored: &conversation::Model,
    record: &CallRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut row: conversation::ActiveModel = stored.clone().into();
    let mut changed = false;
    let stored_turns = stored.transcript.as_array().map_or(0, Vec::len);
    if record.transcript.len() > stored_turns {
        row.transcript = Set(serde_json::to_value(&record.transcript).map_err(AppError::internal)?);
        changed = true;
    }
    for (new, old, column) in [
        (&record.summary, &stored.summary, &mut row.summary),
        (&record.sentiment, &stored.sentiment, &mut row.sentiment),
        (
            &record.recording_url,
            &stored.recording_url,
            &mut row.recording_url,
        ),
        (&record.end_reason, &stored.end_reason, &mut row.end_reason),
    ] {
        if new.is_some() && new != old {
            *column = Set(new.clone());
            changed = true;
        }
    }
    if record.successful.is_some() && record.successful != stored.successful {
        row.successful = Set(record.successful);
        changed = true;
    }
    if record.cost_cents > stored.cost_cents {
        row.cost_cents = Set(record.cost_cents);
        changed = true;
    }
    if changed {
        row.updated_at = Set(now);
        row.update(db).await?;
    }
    Ok(())
}
