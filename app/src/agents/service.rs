//! Storing agents and keeping their providers in step. Every function takes the caller's
//! `WorkspaceCtx`, and every query is filtered by its workspace, so an agent of another
//! workspace is "not found" whatever its id.
//!
//! Saving writes the agent (and its knowledge links) and queues the `agents.sync` job in
//! one transaction; the job tells the provider, so a slow provider holds neither the
//! request nor the database, and writes the outcome (Synced, or Error with the provider's
//! words) back on the row (`sync`). Test calls are in `test_calls`, webhook checks and
//! repairs in `webhooks`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{
    AgentConfig, AgentDetail, AgentDraft, AgentFormOptions, AgentProvider, AgentSummary, Direction,
    LinkedDocument, ProviderOption, SyncStatus, language_model,
};
use super::secrets;
use super::sync::{SyncAgent, sync};
use super::validate::validate_draft;
use super::webhook_check::webhook_url;
use crate::access::context::WorkspaceCtx;
use crate::access::permission::WorkspacePermission;
use crate::audit::{self, Entry};
use crate::db::entity::{agent, agent_knowledge_document, knowledge_document, workspace_variable};
use crate::error::{AddFieldError, AppError};
use crate::integrations::voice::{agent_keys, voice_for};
use crate::knowledge::model::DocumentStatus;
use crate::providers::{ExternalRef, VoiceProvider, voices};
use crate::state::AppState;
use crate::variables::model::{Variable, VariableCategory};

/// Agents a workspace may have unless its limits say otherwise.
pub const DEFAULT_MAX_AGENTS: u64 = 10;

/// The workspace's live agents, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
) -> Result<Vec<AgentSummary>, AppError> {
    let rows = agent::Entity::find()
        .filter(agent::Column::WorkspaceId.eq(ctx.id()))
        .filter(agent::Column::DeletedAt.is_null())
        .order_by_desc(agent::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows.iter().map(summary).collect())
}

/// One live agent of the workspace.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<agent::Model, AppError> {
    find_in(db, ctx.id(), id).await
}

/// The live agent `id` of the workspace `workspace_id`.
pub(super) async fn find_in<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    id: Uuid,
) -> Result<agent::Model, AppError> {
    agent::Entity::find_by_id(id)
        .filter(agent::Column::WorkspaceId.eq(workspace_id))
        .filter(agent::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Agent"))
}

pub fn config_of(row: &agent::Model) -> AgentConfig {
    serde_json::from_value(row.config.clone()).unwrap_or_default()
}

pub fn summary(row: &agent::Model) -> AgentSummary {
    let config = config_of(row);
    AgentSummary {
        id: row.id,
        name: row.name.clone(),
        description: row.description.clone(),
        provider: row.provider,
        direction: row.direction,
        allow_outbound: row.allow_outbound,
        is_active: row.is_active,
        sync_status: row.sync_status,
        last_sync_error: row.last_sync_error.clone(),
        needs_resync: row.needs_resync,
        voice_name: voices::elevenlabs_name(&config.voice_id)
            .map(str::to_owned)
            .unwrap_or_else(|| config.voice_id.trim_start_matches("11labs-").to_owned()),
        model_label: language_model(&config.model)
            .map(|m| m.label.to_owned())
            .unwrap_or(config.model),
        tool_count: config.tools.iter().filter(|t| t.enabled).count(),
        total_calls: row.total_calls,
        total_seconds: row.total_seconds,
        total_cost_cents: row.total_cost_cents,
        last_call_at: row.last_call_at,
    }
}

/// The documents linked to an agent, in title order.
async fn linked_documents<C: ConnectionTrait>(
    db: &C,
    agent_id: Uuid,
) -> Result<Vec<knowledge_document::Model>, AppError> {
    let ids: Vec<Uuid> = agent_knowledge_document::Entity::find()
        .filter(agent_knowledge_document::Column::AgentId.eq(agent_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.document_id)
        .collect();
    Ok(knowledge_document::Entity::find()
        .filter(knowledge_document::Column::Id.is_in(ids))
        .filter(knowledge_document::Column::DeletedAt.is_null())
        .order_by_asc(knowledge_document::Column::Title)
        .all(db)
        .await?)
}

/// The title and text of the agent's linked documents that are active.
pub(super) async fn active_knowledge<C: ConnectionTrait>(
    db: &C,
    agent_id: Uuid,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(linked_documents(db, agent_id)
        .await?
        .into_iter()
        .filter(|d| d.status == DocumentStatus::Active)
        .map(|d| (d.title, d.content))
        .collect())
}

/// Each workspace and agent variable with its default value (empty when it has none),
/// by name.
pub(super) async fn variable_defaults<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    config: &AgentConfig,
) -> Result<Vec<(String, String)>, AppError> {
    let mut values: Vec<(String, String)> = workspace_variables(db, workspace_id)
        .await?
        .into_iter()
        .chain(config.variables.iter().cloned())
        .map(|v| (v.name, v.default_value))
        .collect();
    values.sort();
    Ok(values)
}

fn linked(doc: &knowledge_document::Model) -> LinkedDocument {
    LinkedDocument {
        id: doc.id,
        title: doc.title.clone(),
        document_type: doc.document_type,
        is_active: doc.status == DocumentStatus::Active,
    }
}

pub async fn detail(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<AgentDetail, AppError> {
    let row = find(&state.db, ctx, id).await?;
    let documents = linked_documents(&state.db, row.id).await?;
    let provider = row.provider;
    let has_key = can_sync(state, ctx.id(), provider).await?;
    Ok(AgentDetail {
        summary: summary(&row),
        draft: AgentDraft {
            name: row.name.clone(),
            description: row.description.clone().unwrap_or_default(),
            provider,
            direction: row.direction,
            allow_outbound: row.allow_outbound,
            config: secrets::masked(&state.vault, row.id, config_of(&row)),
            knowledge_document_ids: documents.iter().map(|d| d.id).collect(),
        },
        documents: documents.iter().map(linked).collect(),
        external_id: row.external_id.clone(),
        last_synced_at: row.last_synced_at,
        webhook_url: webhook_url(state, ctx.id(), provider),
        has_key,
        can_edit: ctx.role.can(WorkspacePermission::AgentsWrite),
        can_delete: ctx.role.can(WorkspacePermission::AgentsDelete),
    })
}

/// Whether the workspace can tell `provider` about an agent (the Sandbox always can). Read
/// before a write transaction begins: inside one, a second connection from the pool could
/// wait on the writer holding it.
async fn can_sync(
    state: &AppState,
    workspace_id: Uuid,
    provider: AgentProvider,
) -> Result<bool, AppError> {
    Ok(provider == AgentProvider::Sandbox
        || agent_keys(state, workspace_id, provider).await?.is_some())
}

/// Voices, documents and variables the agent form offers.
pub async fn form_options(
    state: &AppState,
    ctx: &WorkspaceCtx,
) -> Result<AgentFormOptions, AppError> {
    let mut providers = vec![];
    for provider in AgentProvider::ALL {
        let voice = voice_for(state, ctx.id(), provider).await?;
        let (voices, voices_error) = match &voice {
            Some(v) => match v.list_voices().await {
                Ok(list) => (list, None),
                Err(e) => (vec![], Some(e.to_string())),
            },
            None => (vec![], None),
        };
        providers.push(ProviderOption {
            provider,
            has_key: voice.is_some(),
            voices,
            voices_error,
        });
    }
    let documents = knowledge_document::Entity::find()
        .filter(knowledge_document::Column::WorkspaceId.eq(ctx.id()))
        .filter(knowledge_document::Column::DeletedAt.is_null())
        .order_by_asc(knowledge_document::Column::Title)
        .all(&state.db)
        .await?
        .iter()
        .map(linked)
        .collect();
    Ok(AgentFormOptions {
        providers,
        documents,
        workspace_variables: workspace_variables(&state.db, ctx.id()).await?,
        webhook_base: format!(
            "{}/api/webhooks/w/{}",
            state.config.app_url.trim_end_matches('/'),
            ctx.id()
        ),
    })
}

/// The workspace's own variables, by name.
/// The voice a new agent of `provider` starts with in this workspace: its catalogue is
/// asked for (a request to the provider) only here, when a person picks the provider.
pub async fn default_voice(
    state: &AppState,
    workspace_id: Uuid,
    provider: AgentProvider,
) -> Result<String, AppError> {
    let voices = match voice_for(state, workspace_id, provider).await? {
        Some(voice) => voice.list_voices().await.unwrap_or_default(),
        None => vec![],
    };
    Ok(crate::agents::model::default_voice_among(&voices, provider))
}

pub async fn workspace_variables<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
) -> Result<Vec<Variable>, AppError> {
    Ok(workspace_variable::Entity::find()
        .filter(workspace_variable::Column::WorkspaceId.eq(workspace_id))
        .order_by_asc(workspace_variable::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|v| Variable {
            name: v.name,
            description: v.description,
            default_value: v.default_value,
            is_required: v.is_required,
            category: VariableCategory::parse(&v.category).unwrap_or(VariableCategory::Custom),
        })
        .collect())
}

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
