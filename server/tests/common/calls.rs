//! Calls stored as a provider would report them, for the calls and analytics tests.

use app::agents::model::AgentProvider;
use app::calls::model::{CallDirection, CallStatus, Turn};
use app::calls::service::{StartedCall, ingest};
use app::providers::CallRecord;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::TestApp;

/// A finished (or running) call, `days_ago` old.
pub struct Call<'a> {
    pub id: &'a str,
    pub status: CallStatus,
    pub direction: CallDirection,
    pub number: &'a str,
    pub name: &'a str,
    pub lines: &'a [&'a str],
    pub summary: &'a str,
    pub end_reason: &'a str,
    pub seconds: i32,
    pub days_ago: i64,
}

/// Stores `call` in the workspace through the ingestion path, then dates it.
pub async fn store(app: &TestApp, workspace_id: Uuid, call: &Call<'_>) -> Uuid {
    store_for(app, workspace_id, None, call).await
}

/// [`store`], as a call of `agent_id`.
pub async fn store_for(
    app: &TestApp,
    workspace_id: Uuid,
    agent_id: Option<Uuid>,
    call: &Call<'_>,
) -> Uuid {
    let record = CallRecord {
        external_id: call.id.into(),
        status: call.status,
        duration_seconds: call.seconds,
        transcript: call
            .lines
            .iter()
            .enumerate()
            .map(|(i, text)| Turn {
                role: if i % 2 == 0 { "agent" } else { "user" }.into(),
                text: (*text).into(),
                seconds: i as f32 * 4.0,
            })
            .collect(),
        summary: (!call.summary.is_empty()).then(|| call.summary.into()),
        end_reason: Some(call.end_reason.into()),
        ..Default::default()
    };
    let applied = ingest(
        &app.state,
        StartedCall {
            workspace_id,
            agent_id,
            provider: AgentProvider::Sandbox,
            external_id: format!("{workspace_id}-{}", call.id),
            direction: call.direction,
            phone_number: (!call.number.is_empty()).then(|| call.number.into()),
            caller_name: (!call.name.is_empty()).then(|| call.name.into()),
            is_test: false,
        },
        &CallRecord {
            external_id: format!("{workspace_id}-{}", call.id),
            ..record
        },
    )
    .await
    .unwrap();
    // Spread the calls over days, as they happened.
    app::db::entity::conversation::Entity::update_many()
        .col_expr(
            app::db::entity::conversation::Column::CreatedAt,
            Expr::value(Utc::now() - Duration::days(call.days_ago)),
        )
        .filter(app::db::entity::conversation::Column::Id.eq(applied.conversation_id))
        .exec(&app.state.db)
        .await
        .unwrap();
    applied.conversation_id
}

impl<'a> Call<'a> {
    pub fn clone_as(&self, id: &'a str, status: CallStatus) -> Call<'a> {
        Call {
            id,
            status,
            direction: self.direction,
            number: self.number,
            name: self.name,
            lines: self.lines,
            summary: self.summary,
            end_reason: self.end_reason,
            seconds: self.seconds,
            days_ago: self.days_ago,
        }
    }
}
