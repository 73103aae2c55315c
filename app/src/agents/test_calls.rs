//! Trying an agent: a test call from the browser (Sandbox simulated here, VAPI and Retell
//! through their web SDKs) and "call me" on a phone, each admitted by the workspace's
//! credit first (`billing::holds`) and stored through the calls' own ingestion.

use uuid::Uuid;

use super::model::{
    AgentProvider, CallMeOutcome, Direction, TestCallStart, TestCallState, WebCallLaunch,
};
use super::service::{active_knowledge, config_of, find, variable_defaults};
use crate::access::context::WorkspaceCtx;
use crate::calls::model::CallDirection;
use crate::db::entity::agent;
use crate::error::AppError;
use crate::integrations::voice::{agent_keys, voice_for};
use crate::phone::E164;
use crate::providers::{
    ExternalRef, PhoneCallRequest, Voice, VoiceProvider, WebCallSession, sandbox,
};
use crate::state::AppState;

/// Starts a browser test call, once the workspace's credit admits one more call
/// (`billing::holds`). Sandbox simulates the whole call here and stores it; VAPI and Retell
/// get what their web SDKs need.
pub async fn start_test_call(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<TestCallStart, AppError> {
    // An agent that is not this workspace's is a 404 before any credit is looked at.
    find(&state.db, ctx, id).await?;
    let hold = crate::billing::holds::admit_call(&state.db, &ctx.workspace).await?;
    let started = start_admitted_test_call(state, ctx, id).await;
    hold.release(&state.db).await?;
    started
}

async fn start_admitted_test_call(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<TestCallStart, AppError> {
    let row = find(&state.db, ctx, id).await?;
    let provider = row.provider;
    let Some(voice) = voice_for(state, ctx.id(), provider).await? else {
        return Err(AppError::invalid(
            "agent",
            format!(
                "No {} integration is assigned to this workspace, so the agent cannot take calls yet.",
                provider.label()
            ),
        ));
    };
    if provider != AgentProvider::Sandbox && row.external_id.is_none() {
        return Err(AppError::invalid(
            "agent",
            "The agent is not synced with its provider yet. Press Resync, then try again.",
        ));
    }
    let ids = ExternalRef {
        agent_id: row.external_id.clone(),
        llm_id: row.external_llm_id.clone(),
    };
    let session = voice
        .create_web_call(&ids)
        .await
        .map_err(|e| AppError::unavailable(e.to_string()))?;
    let caller_name = Some(ctx.user.user.display_name());
    match session {
        WebCallSession::Vapi {
            public_key,
            assistant_id,
            api_base_url,
        } => Ok(TestCallStart::Browser(WebCallLaunch::Vapi {
            public_key,
            assistant_id,
            api_base_url,
        })),
        WebCallSession::Retell {
            call_id,
            access_token,
            url,
        } => {
            // The call exists at Retell from now on, whether or not the browser joins.
            crate::calls::service::record_started(
                &state.db,
                crate::calls::service::StartedCall {
                    workspace_id: ctx.id(),
                    agent_id: Some(row.id),
                    provider,
                    external_id: call_id.clone(),
                    direction: CallDirection::Web,
                    phone_number: None,
                    caller_name,
                    is_test: true,
                },
            )
            .await?;
            Ok(TestCallStart::Browser(WebCallLaunch::Retell {
                call_id,
                access_token,
                url,
            }))
        }
        WebCallSession::Sandbox { call_id } => {
            let config = config_of(&row);
            let documents = active_knowledge(&state.db, row.id).await?;
            let values = variable_defaults(&state.db, ctx.id(), &config).await?;
            let turns =
                sandbox::conversation(&row.name, row.direction, &config, &documents, &values);
            let (conversation_id, duration_seconds) = store_sandbox_test_call(
                state,
                ctx,
                &row,
                SandboxTestCall {
                    call_id,
                    direction: CallDirection::Web,
                    number: None,
                    name: caller_name,
                    summary: format!("Test call with {}.", row.name),
                },
                &turns,
            )
            .await?;
            Ok(TestCallStart::Sandbox {
                conversation_id,
                turns,
                duration_seconds,
            })
        }
    }
}

/// A simulated test call of a Sandbox agent, to store.
struct SandboxTestCall {
    call_id: String,
    direction: CallDirection,
    number: Option<String>,
    name: Option<String>,
    summary: String,
}

/// Stores a simulated Sandbox test call as finished, through the same ingestion as provider
/// calls (so it is charged and announced); returns the conversation and its length.
async fn store_sandbox_test_call(
    state: &AppState,
    ctx: &WorkspaceCtx,
    row: &agent::Model,
    call: SandboxTestCall,
    turns: &[crate::calls::model::Turn],
) -> Result<(Uuid, i32), AppError> {
    let record = sandbox::finished_call(
        &call.call_id,
        row.external_id.clone(),
        call.direction,
        call.number.clone(),
        turns,
        call.summary,
    );
    let applied = crate::calls::service::ingest(
        state,
        crate::calls::service::StartedCall {
            workspace_id: ctx.id(),
            agent_id: Some(row.id),
            provider: AgentProvider::Sandbox,
            external_id: call.call_id,
            direction: call.direction,
            phone_number: call.number,
            caller_name: call.name,
            is_test: true,
        },
        &record,
    )
    .await?;
    Ok((applied.conversation_id, sandbox::duration_seconds(turns)))
}

/// Asks the provider where a browser test call of agent `id` stands and stores it: the
/// page reports the call when the provider has created it and again when it ends. The call
/// must belong to this agent at the provider, and a call id stored for another workspace is
/// not found.
pub async fn test_call_update(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
    call_id: &str,
) -> Result<TestCallState, AppError> {
    if call_id.is_empty()
        || call_id.len() > 128
        || !call_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::invalid(
            "call_id",
            "A call id is letters, digits, dashes and underscores, up to 128 of them.",
        ));
    }
    let row = find(&state.db, ctx, id).await?;
    let provider = row.provider;
    if provider == AgentProvider::Sandbox {
        return Err(AppError::invalid(
            "call_id",
            "Sandbox test calls are stored when they are simulated; there is nothing to ask.",
        ));
    }
    let Some(voice) = voice_for(state, ctx.id(), provider).await? else {
        return Err(AppError::Conflict(format!(
            "No {} integration is assigned to this workspace any more.",
            provider.label()
        )));
    };
    let record = voice.get_call(call_id).await.map_err(|e| match e.status {
        Some(404) => AppError::not_found("The call"),
        _ => AppError::unavailable(e.to_string()),
    })?;
    if record.external_id != call_id
        || row.external_id.is_none()
        || record.agent_external_id != row.external_id
    {
        return Err(AppError::not_found("The call"));
    }
    let applied = crate::calls::service::ingest(
        state,
        crate::calls::service::StartedCall {
            workspace_id: ctx.id(),
            agent_id: Some(row.id),
            provider,
            external_id: call_id.to_owned(),
            direction: CallDirection::Web,
            phone_number: None,
            caller_name: Some(ctx.user.user.display_name()),
            is_test: true,
        },
        &record,
    )
    .await?;
    Ok(TestCallState {
        conversation_id: applied.conversation_id,
        status: applied.status,
        duration_seconds: applied.duration_seconds,
    })
}

/// Has the agent call `number` ("call me"), once the workspace's credit admits one more
/// call. Sandbox simulates the call and stores it; VAPI and Retell place it from the
/// integration's shared outbound number, and the call is stored as initiated for its events
/// to complete. `values` fill the agent's `{{placeholders}}` over its defaults (a campaign's
/// test call chooses them).
pub async fn call_me(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
    number: &str,
    name: &str,
    values: &[(String, String)],
) -> Result<CallMeOutcome, AppError> {
    find(&state.db, ctx, id).await?;
    let hold = crate::billing::holds::admit_call(&state.db, &ctx.workspace).await?;
    let placed = place_admitted_call(state, ctx, id, number, name, values).await;
    hold.release(&state.db).await?;
    placed
}

async fn place_admitted_call(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
    number: &str,
    name: &str,
    chosen: &[(String, String)],
) -> Result<CallMeOutcome, AppError> {
    let Some(to) = E164::from_typed(number) else {
        return Err(AppError::invalid(
            "number",
            "Give the number in international format, like +14155550100.",
        ));
    };
    let to = String::from(to);
    let name = name.trim();
    if name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "Keep the name to 100 characters or fewer.",
        ));
    }
    let customer_name = Some(name.to_owned()).filter(|n| !n.is_empty());
    let row = find(&state.db, ctx, id).await?;
    let provider = row.provider;
    let keys = agent_keys(state, ctx.id(), provider).await?;
    let from = keys.as_ref().and_then(|k| k.outbound_number.clone());
    let Some(voice) = Voice::new(provider, &state.providers, keys) else {
        return Err(AppError::Conflict(format!(
            "No {} integration is assigned to this workspace, so the agent cannot place calls yet.",
            provider.label()
        )));
    };
    let config = config_of(&row);
    let mut values = variable_defaults(&state.db, ctx.id(), &config).await?;
    values.push(("phone_number".into(), to.clone()));
    if let Some(n) = &customer_name {
        values.insert(0, ("first_name".into(), n.clone()));
    }
    for (name, value) in chosen {
        values.retain(|(n, _)| n != name);
        values.insert(0, (name.clone(), value.clone()));
    }
    values.retain(|(_, v)| !v.is_empty());
    if provider == AgentProvider::Sandbox {
        let documents = active_knowledge(&state.db, row.id).await?;
        let turns =
            sandbox::conversation(&row.name, Direction::Outbound, &config, &documents, &values);
        let (conversation_id, duration_seconds) = store_sandbox_test_call(
            state,
            ctx,
            &row,
            SandboxTestCall {
                call_id: sandbox::new_call_id(),
                direction: CallDirection::Outbound,
                number: Some(to.clone()),
                name: customer_name,
                summary: format!("Test call from {} to {to}.", row.name),
            },
            &turns,
        )
        .await?;
        return Ok(CallMeOutcome::Simulated {
            conversation_id,
            to,
            turns,
            duration_seconds,
        });
    }
    if row.external_id.is_none() {
        return Err(AppError::Conflict(
            "The agent is not synced with its provider yet. Press Resync, then try again.".into(),
        ));
    }
    let Some(from) = from else {
        return Err(AppError::Conflict(format!(
            "The {} integration has no shared outbound number to call from. An organisation admin can add one on the Integrations page.",
            provider.label()
        )));
    };
    let ids = ExternalRef {
        agent_id: row.external_id.clone(),
        llm_id: row.external_llm_id.clone(),
    };
    let call_id = voice
        .create_phone_call(
            &ids,
            &PhoneCallRequest {
                to_number: to.clone(),
                customer_name: customer_name.clone(),
                from: from.clone(),
                workspace_id: ctx.id(),
                agent_id: row.id,
                variables: values,
                attempt_key: None,
            },
        )
        .await
        .map_err(|e| AppError::unavailable(e.to_string()))?;
    let txn = crate::db::begin_write(&state.db).await?;
    crate::calls::service::record_started(
        &txn,
        crate::calls::service::StartedCall {
            workspace_id: ctx.id(),
            agent_id: Some(row.id),
            provider,
            external_id: call_id.clone(),
            direction: CallDirection::Outbound,
            phone_number: Some(to.clone()),
            caller_name: customer_name,
            is_test: true,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(CallMeOutcome::Placed { call_id, from, to })
}
