//! Call events from the providers: `POST /api/webhooks/w/{workspace_id}/{provider}` (the
//! address agents are synced with) and the global `POST /api/webhooks/{vapi|retell}`, which
//! finds the workspace from the agent the event names.
//!
//! Order of work, so a request that fails a step changes nothing: find the workspace →
//! verify the request came from the provider (401) → read the body (400) → store the news and,
//! the one time a call finishes, charge it, in one transaction. Duplicate and out-of-order
//! events are harmless: a call only moves forward and is charged once (`service::ingest`).

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::CallDirection;
use super::service::{StartedCall, ingest};
use crate::agents::model::AgentProvider;
use crate::db::entity::{agent, workspace};
use crate::integrations::voice::{voice_for, webhook_secret};
use crate::providers::webhook::{WebhookError, WebhookEvent};
use crate::providers::{CallRecord, VoiceProvider, retell, vapi};
use crate::state::AppState;

/// The HTTP answer to a webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply { status, body }
}

fn refused(status: u16, message: impl Into<String>) -> Reply {
    reply(status, json!({ "error": message.into() }))
}

/// An event posted to a workspace's own address.
pub async fn to_workspace(
    state: &AppState,
    workspace_id: &str,
    provider: &str,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Reply {
    let Some(provider) = AgentProvider::parse(provider) else {
        return refused(404, "No such provider.");
    };
    let Ok(workspace_id) = Uuid::parse_str(workspace_id) else {
        return refused(404, "No such workspace.");
    };
    receive(state, workspace_id, provider, headers, body).await
}

/// An event posted to the global address: the workspace is the one whose agent the event
/// names. Reading the body first only finds the workspace to verify with; nothing is stored
/// before the request is verified.
pub async fn to_platform(
    state: &AppState,
    provider: &str,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Reply {
    let (provider, parsed) = match provider {
        "vapi" => (AgentProvider::Vapi, vapi::parse_webhook(body)),
        "retell" => (AgentProvider::Retell, retell::parse_webhook(body)),
        _ => return refused(404, "No such provider."),
    };
    let agent_id = match parsed {
        Ok(WebhookEvent::Call(call)) => call.agent_external_id,
        Ok(WebhookEvent::Ignored(kind)) => return reply(200, json!({ "ignored": kind })),
        Err(e) => return refused(400, e.to_string()),
    };
    let Some(agent_id) = agent_id else {
        return refused(404, "The event names no agent.");
    };
    let found = agent::Entity::find()
        .filter(agent::Column::Provider.eq(provider))
        .filter(agent::Column::ExternalId.eq(agent_id))
        .filter(agent::Column::DeletedAt.is_null())
        .one(&state.db)
        .await;
    match found {
        Ok(Some(agent)) => receive(state, agent.workspace_id, provider, headers, body).await,
        Ok(None) => refused(404, "No agent here has this id."),
        Err(e) => refused(500, internal(e)),
    }
}

async fn receive(
    state: &AppState,
    workspace_id: Uuid,
    provider: AgentProvider,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Reply {
    let workspace = match workspace::Entity::find_by_id(workspace_id)
        .one(&state.db)
        .await
    {
        Ok(Some(w)) if w.deleted_at.is_none() => w,
        Ok(_) => return refused(404, "No such workspace."),
        Err(e) => return refused(500, internal(e)),
    };
    let voice = match voice_for(state, workspace.id, provider).await {
        Ok(Some(voice)) => voice,
        Ok(None) => {
            return refused(
                401,
                format!(
                    "This workspace has no {} integration to verify the event with.",
                    provider.label()
                ),
            );
        }
        Err(e) => return refused(500, internal(e)),
    };
    let secret = webhook_secret(state, workspace.id);
    if let Err(e) = voice.verify_webhook(headers, body, &secret, Utc::now()) {
        return refused(401, e.to_string());
    }
    let record = match voice.parse_webhook(body) {
        Ok(WebhookEvent::Call(record)) => record,
        Ok(WebhookEvent::Ignored(kind)) => return reply(200, json!({ "ignored": kind })),
        Err(WebhookError::Malformed(why)) => return refused(400, why),
        Err(WebhookError::Unauthorized(why)) => return refused(401, why),
    };
    match store(state, &workspace, provider, &record).await {
        Ok(reply) => reply,
        Err(e) => refused(e.status(), e.to_string()),
    }
}

async fn store(
    state: &AppState,
    workspace: &workspace::Model,
    provider: AgentProvider,
    record: &CallRecord,
) -> Result<Reply, crate::error::AppError> {
    let agent = match &record.agent_external_id {
        Some(external) => {
            agent::Entity::find()
                .filter(agent::Column::WorkspaceId.eq(workspace.id))
                .filter(agent::Column::Provider.eq(provider.as_str()))
                .filter(agent::Column::ExternalId.eq(external))
                .one(&state.db)
                .await?
        }
        None => None,
    };
    let direction = record
        .direction
        .or_else(|| agent.as_ref().map(|a| a.direction.into()))
        .unwrap_or(CallDirection::Inbound);
    let applied = ingest(
        state,
        StartedCall {
            workspace_id: workspace.id,
            agent_id: agent.map(|a| a.id),
            provider,
            external_id: record.external_id.clone(),
            direction,
            phone_number: record.customer_number.clone(),
            caller_name: None,
            is_test: false,
        },
        record,
    )
    .await?;
    Ok(reply(
        200,
        json!({
            "received": true,
            "conversation_id": applied.conversation_id,
            "status": applied.status,
        }),
    ))
}

fn internal(e: impl std::fmt::Display) -> String {
    tracing::error!(error = %e, "webhook could not be stored");
    "The event could not be stored; try again.".into()
}

/// Signs a Sandbox event for a workspace, as the simulated provider posts it.
pub fn sandbox_signature(state: &AppState, workspace_id: Uuid, body: &[u8]) -> String {
    crate::providers::webhook::sign(
        &webhook_secret(state, workspace_id),
        body,
        Utc::now().timestamp_millis(),
    )
}
