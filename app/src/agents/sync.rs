//! Telling an agent's provider about it as saved: the `agents.sync` job queued with every
//! save, the Resync button's direct call, and the outcome recorded on the row (Synced, or
//! Error in the provider's own words).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use super::model::{SyncOutcome, SyncStatus};
use super::secrets;
use super::service::{active_knowledge, config_of, find_in, variable_defaults};
use super::webhook_check::webhook_url;
use crate::access::context::WorkspaceCtx;
use crate::db::entity::agent;
use crate::error::AppError;
use crate::integrations::voice::{voice_for, webhook_secret};
use crate::providers::{AgentSpec, ExternalRef, VoiceProvider, prompt_with_knowledge};
use crate::state::AppState;

/// Tells the provider about the agent as saved after a create or an edit: queued in the
/// transaction that saved it, so the page answers at once with the agent "syncing", and the
/// outcome (the provider's own words on a refusal) is recorded on the agent when the job
/// ends. Asked for again while it waits, it runs once, with the agent as saved last.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncAgent {
    pub workspace_id: Uuid,
    pub agent_id: Uuid,
}

impl SyncAgent {
    pub fn of(workspace_id: Uuid, agent_id: Uuid) -> Self {
        Self {
            workspace_id,
            agent_id,
        }
    }
}

impl crate::jobs::Job for SyncAgent {
    const KIND: &'static str = "agents.sync";
    const MAX_ATTEMPTS: i32 = 5;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.agent_id))
    }

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        match sync_in(&cx.state, self.workspace_id, self.agent_id).await {
            // Deleted since: nothing to tell the provider.
            Ok(_) | Err(AppError::NotFound(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Tells the provider about the agent as saved, and records the outcome on the row.
pub async fn sync(state: &AppState, ctx: &WorkspaceCtx, id: Uuid) -> Result<SyncOutcome, AppError> {
    sync_in(state, ctx.id(), id).await
}

async fn sync_in(state: &AppState, workspace_id: Uuid, id: Uuid) -> Result<SyncOutcome, AppError> {
    let row = find_in(&state.db, workspace_id, id).await?;
    let provider = row.provider;
    let outcome = |status: SyncStatus, message: Option<String>| SyncOutcome {
        agent_id: row.id,
        name: row.name.clone(),
        status,
        message,
    };
    let Some(voice) = voice_for(state, workspace_id, provider).await? else {
        let message = format!(
            "No {} integration is assigned to this workspace. Ask your organisation admin to add one.",
            provider.label()
        );
        record_sync(
            &state.db,
            &row,
            SyncStatus::NotSynced,
            None,
            Some(message.clone()),
        )
        .await?;
        return Ok(outcome(SyncStatus::NotSynced, Some(message)));
    };
    let config = secrets::opened(&state.vault, row.id, config_of(&row))?;
    let documents = active_knowledge(&state.db, row.id).await?;
    let variable_defaults: Vec<(String, String)> =
        variable_defaults(&state.db, workspace_id, &config)
            .await?
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
    let spec = AgentSpec {
        agent_id: row.id,
        workspace_id,
        name: &row.name,
        direction: row.direction,
        config: &config,
        prompt: prompt_with_knowledge(&config.system_prompt, &documents),
        webhook_url: webhook_url(state, workspace_id, provider),
        webhook_secret: webhook_secret(state, workspace_id),
        variable_defaults,
    };
    let mut ids = ExternalRef {
        agent_id: row.external_id.clone(),
        llm_id: row.external_llm_id.clone(),
    };
    let result = voice.sync_agent(&spec, &mut ids).await;
    let (status, error) = match result {
        Ok(()) => (SyncStatus::Synced, None),
        Err(e) => {
            tracing::warn!(agent = %row.id, provider = provider.as_str(), error = %e, "agent sync failed");
            (SyncStatus::Error, Some(e.to_string()))
        }
    };
    record_sync(&state.db, &row, status, Some(ids), error.clone()).await?;
    Ok(outcome(status, error))
}

async fn record_sync<C: ConnectionTrait>(
    db: &C,
    row: &agent::Model,
    status: SyncStatus,
    ids: Option<ExternalRef>,
    error: Option<String>,
) -> Result<(), AppError> {
    let mut active: agent::ActiveModel = row.clone().into();
    active.sync_status = Set(status);
    active.last_sync_error = Set(error);
    if let Some(ids) = ids {
        active.external_id = Set(ids.agent_id);
        active.external_llm_id = Set(ids.llm_id);
    }
    if status == SyncStatus::Synced {
        active.last_synced_at = Set(Some(Utc::now()));
        active.needs_resync = Set(false);
    }
    active.update(db).await?;
    Ok(())
}
