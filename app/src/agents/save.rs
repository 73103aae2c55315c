//! Saving agents: create, update, duplicate, activate and delete. Each write checks the
//! draft against the workspace, stores the agent and its knowledge links and queues the
//! `agents.sync` job in one transaction, so the provider hears of exactly what was saved.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{AgentConfig, AgentDraft, AgentProvider, Direction, SyncStatus};
use super::secrets;
use super::service::{can_sync, config_of, detail, find, workspace_variables};
use super::sync::{SyncAgent, sync};
use super::validate::validate_draft;
use crate::access::context::WorkspaceCtx;
use crate::audit::{self, Entry};
use crate::db::entity::{agent, agent_knowledge_document, knowledge_document};
use crate::error::{AddFieldError, AppError};
use crate::integrations::voice::voice_for;
use crate::providers::{ExternalRef, VoiceProvider, voices};
use crate::state::AppState;

/// Agents a workspace may have unless its limits say otherwise.
pub const DEFAULT_MAX_AGENTS: u64 = 10;

/// Validates a draft against the workspace: field rules, the voice catalogue, and that
/// every linked document is a live document of this workspace.
async fn check_draft<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    draft: &AgentDraft,
) -> Result<(), AppError> {
    let workspace_vars = workspace_variables(db, ctx.id()).await?;
    let names: Vec<&str> = workspace_vars.iter().map(|v| v.name.as_str()).collect();
    // VAPI and Sandbox voices come from our catalogue; Retell's from Retell, which checks.
    let voice_ok = match draft.provider {
        AgentProvider::Retell => !draft.config.voice_id.trim().is_empty(),
        _ => voices::elevenlabs_name(&draft.config.voice_id).is_some(),
    };
    let mut errors = validate_draft(draft, &names, voice_ok);
    if !draft.knowledge_document_ids.is_empty() {
        let found = knowledge_document::Entity::find()
            .filter(knowledge_document::Column::WorkspaceId.eq(ctx.id()))
            .filter(knowledge_document::Column::DeletedAt.is_null())
            .filter(knowledge_document::Column::Id.is_in(draft.knowledge_document_ids.clone()))
            .count(db)
            .await?;
        let mut unique = draft.knowledge_document_ids.clone();
        unique.sort();
        unique.dedup();
        if found != unique.len() as u64 {
            errors.add(
                "knowledge_document_ids",
                "A chosen document no longer exists. Reload and choose again.",
            );
        }
    }
    match AppError::from_fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

async fn relink<C: ConnectionTrait>(
    db: &C,
    agent_id: Uuid,
    documents: &[Uuid],
) -> Result<(), AppError> {
    agent_knowledge_document::Entity::delete_many()
        .filter(agent_knowledge_document::Column::AgentId.eq(agent_id))
        .exec(db)
        .await?;
    let mut unique = documents.to_vec();
    unique.sort();
    unique.dedup();
    let now = Utc::now();
    for document_id in unique {
        agent_knowledge_document::ActiveModel {
            agent_id: Set(agent_id),
            document_id: Set(document_id),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn trimmed_config(draft: &AgentDraft) -> AgentConfig {
    let mut config = draft.config.clone();
    config.system_prompt = config.system_prompt.trim().to_owned();
    config.first_message = match draft.direction {
        Direction::Inbound => config.first_message.trim().to_owned(),
        Direction::Outbound => String::new(),
    };
    config.tools_server_url = config.tools_server_url.trim().to_owned();
    for tool in &mut config.tools {
        tool.name = tool.name.trim().to_owned();
        tool.description = tool.description.trim().to_owned();
        tool.url = tool.url.trim().to_owned();
    }
    for variable in &mut config.variables {
        variable.name = variable.name.trim().to_owned();
    }
    config
}

/// Creates an agent, then syncs it to its provider. Creation stands even if the sync
/// fails: the agent shows the error and can be resynced.
pub async fn create(
    state: &AppState,
    ctx: &WorkspaceCtx,
    draft: &AgentDraft,
) -> Result<Uuid, AppError> {
    create_with(state, ctx, draft, None).await
}

/// Creates an agent; masked secrets in `draft` are taken from `secrets_from` (an agent's id
/// and stored config).
async fn create_with(
    state: &AppState,
    ctx: &WorkspaceCtx,
    draft: &AgentDraft,
    secrets_from: Option<(Uuid, &AgentConfig)>,
) -> Result<Uuid, AppError> {
    let has_key = can_sync(state, ctx.id(), draft.provider).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    check_draft(&txn, ctx, draft).await?;
    let max = ctx
        .workspace
        .resource_limits
        .get("max_agents")
        .and_then(|v| v.as_u64())
        .unwrap_or(DEFAULT_MAX_AGENTS);
    let current = agent::Entity::find()
        .filter(agent::Column::WorkspaceId.eq(ctx.id()))
        .filter(agent::Column::DeletedAt.is_null())
        .count(&txn)
        .await?;
    if current >= max {
        return Err(AppError::Forbidden(format!(
            "This workspace has reached its limit of {max} agents. Delete one or ask your organisation to raise the limit."
        )));
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    let mut config = trimmed_config(draft);
    secrets::seal(&state.vault, id, &mut config, secrets_from)?;
    agent::ActiveModel {
        id: Set(id),
        workspace_id: Set(ctx.id()),
        name: Set(draft.name.trim().to_owned()),
        description: Set(Some(draft.description.trim().to_owned()).filter(|d| !d.is_empty())),
        provider: Set(draft.provider),
        direction: Set(draft.direction),
        allow_outbound: Set(draft.direction == Direction::Outbound || draft.allow_outbound),
        config: Set(serde_json::to_value(&config).map_err(AppError::internal)?),
        external_id: Set(None),
        external_llm_id: Set(None),
        sync_status: Set(if has_key {
            SyncStatus::Pending
        } else {
            SyncStatus::NotSynced
        }),
        last_sync_error: Set(None),
        last_synced_at: Set(None),
        needs_resync: Set(false),
        is_active: Set(true),
        total_calls: Set(0),
        total_seconds: Set(0),
        total_cost_cents: Set(0),
        last_call_at: Set(None),
        created_by: Set(Some(ctx.user_id())),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    relink(&txn, id, &draft.knowledge_document_ids).await?;
    audit::record(
        &txn,
        Entry {
            new_values: Some(
                json!({"name": draft.name.trim(), "provider": draft.provider.as_str()}),
            ),
            ..ctx.audit("agent.created", "agent", id)
        },
        &ctx.user.meta,
    )
    .await?;
    // The provider hears of it from a job, after the commit; without a key there is
    // nothing to ask, and the agent says so at once.
    if has_key {
        crate::jobs::enqueue(&txn, &SyncAgent::of(ctx.id(), id)).await?;
    }
    txn.commit().await?;
    if !has_key {
        sync(state, ctx, id).await?;
    }
    Ok(id)
}

/// Saves changes to an agent, then syncs it. The provider cannot change: the agent lives
/// there; duplicating it under another provider is the way to move.
pub async fn update(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
    draft: &AgentDraft,
) -> Result<(), AppError> {
    let has_key = can_sync(state, ctx.id(), draft.provider).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let row = find(&txn, ctx, id).await?;
    if row.provider != draft.provider {
        return Err(AppError::invalid(
            "provider",
            "An agent stays with its provider. Duplicate it to try another provider.",
        ));
    }
    check_draft(&txn, ctx, draft).await?;
    let mut config = trimmed_config(draft);
    secrets::seal(
        &state.vault,
        row.id,
        &mut config,
        Some((row.id, &config_of(&row))),
    )?;
    let mut active: agent::ActiveModel = row.clone().into();
    active.name = Set(draft.name.trim().to_owned());
    active.description = Set(Some(draft.description.trim().to_owned()).filter(|d| !d.is_empty()));
    active.direction = Set(draft.direction);
    active.allow_outbound = Set(draft.direction == Direction::Outbound || draft.allow_outbound);
    active.config = Set(serde_json::to_value(&config).map_err(AppError::internal)?);
    active.updated_at = Set(Utc::now());
    if has_key {
        active.sync_status = Set(SyncStatus::Pending);
    }
    active.update(&txn).await?;
    relink(&txn, id, &draft.knowledge_document_ids).await?;
    audit::record(
        &txn,
        Entry {
            new_values: Some(json!({"name": draft.name.trim()})),
            ..ctx.audit("agent.updated", "agent", id)
        },
        &ctx.user.meta,
    )
    .await?;
    if has_key {
        crate::jobs::enqueue(&txn, &SyncAgent::of(ctx.id(), id)).await?;
    }
    txn.commit().await?;
    if !has_key {
        sync(state, ctx, id).await?;
    }
    Ok(())
}

/// Deletes an agent at its provider, then here. If the provider refuses, nothing is
/// deleted and the message says why; without a key there is nothing to delete there.
pub async fn delete(state: &AppState, ctx: &WorkspaceCtx, id: Uuid) -> Result<(), AppError> {
    let row = find(&state.db, ctx, id).await?;
    let provider = row.provider;
    if (row.external_id.is_some() || row.external_llm_id.is_some())
        && let Some(voice) = voice_for(state, ctx.id(), provider).await?
    {
        let ids = ExternalRef {
            agent_id: row.external_id.clone(),
            llm_id: row.external_llm_id.clone(),
        };
        voice.delete_agent(&ids).await.map_err(|e| {
            AppError::unavailable(format!("{e} The agent was not deleted; try again."))
        })?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let row = find(&txn, ctx, id).await?;
    let mut active: agent::ActiveModel = row.clone().into();
    active.deleted_at = Set(Some(Utc::now()));
    active.external_id = Set(None);
    active.external_llm_id = Set(None);
    active.update(&txn).await?;
    agent_knowledge_document::Entity::delete_many()
        .filter(agent_knowledge_document::Column::AgentId.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Entry {
            old_values: Some(json!({"name": row.name})),
            ..ctx.audit("agent.deleted", "agent", id)
        },
        &ctx.user.meta,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A copy of an agent (not yet at the provider), named "… (copy)"; then synced.
pub async fn duplicate(state: &AppState, ctx: &WorkspaceCtx, id: Uuid) -> Result<Uuid, AppError> {
    let source = config_of(&find(&state.db, ctx, id).await?);
    let detail = detail(state, ctx, id).await?;
    let mut draft = detail.draft;
    let base: String = draft.name.chars().take(33).collect();
    draft.name = format!("{} (copy)", base.trim_end());
    create_with(state, ctx, &draft, Some((id, &source))).await
}

pub async fn set_active(
    db: &impl ConnectionTrait,
    ctx: &WorkspaceCtx,
    id: Uuid,
    active: bool,
) -> Result<(), AppError> {
    let row = find(db, ctx, id).await?;
    let mut model: agent::ActiveModel = row.into();
    model.is_active = Set(active);
    model.updated_at = Set(Utc::now());
    model.update(db).await?;
    Ok(())
}
