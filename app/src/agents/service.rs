//! Reading agents: the list, one agent with its knowledge and sync state, and what the
//! wizard offers. Every function takes the caller's `WorkspaceCtx`, and every query is
//! filtered by its workspace, so an agent of another workspace is "not found" whatever its
//! id. Saving is `save`; the provider hears of it through the `agents.sync` job (`sync`).
//! Test calls are in `test_calls`, webhook checks and repairs in `webhook_check`.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::{
    AgentConfig, AgentDetail, AgentDraft, AgentFormOptions, AgentProvider, AgentSummary,
    LinkedDocument, ProviderOption, language_model,
};
use super::secrets;
use super::webhook_check::webhook_url;
use crate::access::context::WorkspaceCtx;
use crate::access::permission::WorkspacePermission;
use crate::db::entity::{agent, agent_knowledge_document, knowledge_document, workspace_variable};
use crate::error::AppError;
use crate::integrations::voice::{agent_keys, voice_for};
use crate::knowledge::model::DocumentStatus;
use crate::providers::{VoiceProvider, voices};
use crate::state::AppState;
use crate::variables::model::{Variable, VariableCategory};

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
pub async fn active_knowledge<C: ConnectionTrait>(
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
pub async fn variable_defaults<C: ConnectionTrait>(
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
pub(super) async fn can_sync(
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
