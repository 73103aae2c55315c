//! Storing calls. A call is stored once per provider call id (a unique index backs this),
//! and the agent's counters move in the same transaction.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::model::Turn;
use crate::db::entity::{agent, conversation};
use crate::error::AppError;

/// A finished call to store: who and where, and what was said.
pub struct FinishedCall<'a> {
    pub call: StartedCall<'a>,
    pub turns: &'a [Turn],
    pub duration_seconds: i32,
    pub summary: Option<String>,
}

/// A call a provider has accepted to place; its events complete it later.
pub struct StartedCall<'a> {
    pub workspace_id: Uuid,
    pub agent_id: Uuid,
    pub provider: &'a str,
    pub external_id: String,
    /// inbound | outbound | web
    pub direction: &'a str,
    pub phone_number: Option<String>,
    pub caller_name: Option<String>,
    pub is_test: bool,
}

/// A conversation row for `call` with nothing known yet beyond who and where.
fn new_row(call: StartedCall<'_>, status: &str, now: DateTime<Utc>) -> conversation::ActiveModel {
    conversation::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(call.workspace_id),
        agent_id: Set(Some(call.agent_id)),
        provider: Set(call.provider.into()),
        external_id: Set(call.external_id),
        direction: Set(call.direction.into()),
        status: Set(status.into()),
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
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Stores a call that has only just been placed (status `initiated`).
pub async fn record_started<C: ConnectionTrait>(
    db: &C,
    call: StartedCall<'_>,
) -> Result<Uuid, AppError> {
    let row = new_row(call, "initiated", Utc::now()).insert(db).await?;
    Ok(row.id)
}

/// Stores a completed call and counts it on its agent; returns the conversation id.
pub async fn record_finished<C: ConnectionTrait>(
    db: &C,
    call: FinishedCall<'_>,
) -> Result<Uuid, AppError> {
    let now = Utc::now();
    let agent_id = call.call.agent_id;
    let simulated = call.call.provider == "sandbox";
    let mut row = new_row(call.call, "completed", now);
    row.started_at = Set(Some(
        now - Duration::seconds(i64::from(call.duration_seconds)),
    ));
    row.ended_at = Set(Some(now));
    row.duration_seconds = Set(call.duration_seconds);
    row.transcript = Set(serde_json::to_value(call.turns).map_err(AppError::internal)?);
    row.summary = Set(call.summary);
    row.sentiment = Set(Some("positive".into()));
    row.end_reason = Set(Some("customer-ended-call".into()));
    row.metadata = Set(json!({ "simulated": simulated }));
    let id = row.insert(db).await?.id;
    agent::Entity::update_many()
        .col_expr(
            agent::Column::TotalCalls,
            Expr::col(agent::Column::TotalCalls).add(1),
        )
        .col_expr(
            agent::Column::TotalSeconds,
            Expr::col(agent::Column::TotalSeconds).add(i64::from(call.duration_seconds)),
        )
        .col_expr(agent::Column::LastCallAt, Expr::value(now))
        .filter(agent::Column::Id.eq(agent_id))
        .exec(db)
        .await?;
    Ok(id)
}
