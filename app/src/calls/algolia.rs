//! Calls in Algolia, for workspaces whose organisation assigned them an Algolia
//! integration: each finished call is saved to the integration's index (keyed by its id,
//! so saving again replaces it), the calls page searches there first, and an admin can
//! resync or clear the workspace's records. Algolia is an addition, never a dependency:
//! when it fails, the built-in search answers and indexing is retried by a resync.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::db::entity::{agent, conversation};
use crate::error::AppError;
use crate::integrations::model::Provider;
use crate::providers::algolia::CallIndex;
use crate::state::AppState;

/// Calls saved per request when resyncing.
const BATCH: u64 = 500;

/// The workspace's Algolia keys and application id, if it has an integration. Reads the
/// database only.
async fn keys(
    state: &AppState,
    workspace_id: Uuid,
) -> Result<Option<(crate::integrations::keys::AssignedKeys, String)>, AppError> {
    let keys = crate::integrations::keys::keys_for(
        &state.db,
        &state.vault,
        workspace_id,
        Provider::Algolia,
    )
    .await?;
    Ok(keys.and_then(|k| k.app_id.clone().map(|app_id| (k, app_id))))
}

/// Whether the workspace has an Algolia integration (without asking Algolia anything, nor
/// opening its keys).
pub async fn is_configured(state: &AppState, workspace_id: Uuid) -> Result<bool, AppError> {
    use crate::integrations::keys::{assigned, setting};
    let integration = assigned(&state.db, workspace_id, Provider::Algolia).await?;
    Ok(integration.is_some_and(|row| setting(&row, "app_id").is_some()))
}

/// The workspace's index at Algolia, if it has an Algolia integration; its settings are
/// pushed the first time this process uses it.
pub async fn index_for(
    state: &AppState,
    workspace_id: Uuid,
) -> Result<Option<CallIndex>, AppError> {
    let Some((keys, app_id)) = keys(state, workspace_id).await? else {
        return Ok(None);
    };
    let name = keys.index.unwrap_or_else(|| "call_logs".into());
    let index = CallIndex::new(
        &state.config.providers.algolia,
        &app_id,
        &keys.secret,
        &name,
    )
    .map_err(|e| AppError::unavailable(e.to_string()))?;
    // Per API host, application and index.
    static CONFIGURED: OnceLock<Mutex<HashSet<(String, String, String)>>> = OnceLock::new();
    let configured = CONFIGURED.get_or_init(Default::default);
    let key = (state.config.providers.algolia.clone(), app_id, name);
    let known = configured
        .lock()
        .map(|set| set.contains(&key))
        .unwrap_or(false);
    if !known {
        index
            .configure()
            .await
            .map_err(|e| AppError::unavailable(e.to_string()))?;
        if let Ok(mut set) = configured.lock() {
            set.insert(key);
        }
    }
    Ok(Some(index))
}

/// The record Algolia keeps of a call.
pub fn record(call: &conversation::Model, agent_name: Option<&str>) -> Value {
    let transcript: Vec<String> = call
        .transcript
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("text").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    json!({
        "objectID": call.id,
        "workspace_id": call.workspace_id,
        "agent_id": call.agent_id,
        "agent_name": agent_name.unwrap_or("Unknown"),
        "provider": call.provider,
        "direction": call.direction,
        "status": call.status,
        "phone_number": call.phone_number,
        "caller_name": call.caller_name,
        "summary": call.summary,
        "transcript": transcript.join("\n"),
        "sentiment": call.sentiment,
        "duration_seconds": call.duration_seconds,
        "created_at_timestamp": call.created_at.timestamp_millis(),
    })
}

async fn agent_name(
    state: &AppState,
    call: &conversation::Model,
) -> Result<Option<String>, AppError> {
    Ok(match call.agent_id {
        Some(id) => agent::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|a| a.name),
        None => None,
    })
}

/// Saves one finished call to its workspace's index, if it has one. Queued with the
/// report that finished the call: the call is stored and charged whatever Algolia says,
/// and an attempt that fails is retried later (a resync also catches it up).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IndexCall {
    pub conversation_id: Uuid,
}

impl crate::jobs::Job for IndexCall {
    const KIND: &'static str = "algolia.index_call";
    const MAX_ATTEMPTS: i32 = 6;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.conversation_id))
    }

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        let state = &cx.state;
        let Some(call) = conversation::Entity::find_by_id(self.conversation_id)
            .one(&state.db)
            .await?
        else {
            return Ok(());
        };
        let Some(index) = index_for(state, call.workspace_id).await? else {
            return Ok(());
        };
        let name = agent_name(state, &call).await?;
        index
            .save(vec![record(&call, name.as_deref())])
            .await
            .map_err(|e| crate::jobs::JobError::new(format!("Algolia: {e}")))
    }
}

/// Replaces the workspace's records with every call it has; returns how many were saved.
pub async fn resync(state: &AppState, workspace_id: Uuid) -> Result<u64, AppError> {
    let index = index_for(state, workspace_id)
        .await?
        .ok_or_else(not_configured)?;
    let unavailable =
        |e: crate::providers::error::ProviderError| AppError::unavailable(e.to_string());
    index
        .clear_workspace(workspace_id)
        .await
        .map_err(unavailable)?;
    let names = crate::calls::list::agent_names(&state.db, workspace_id).await?;
    let mut after: Option<(chrono::DateTime<chrono::Utc>, Uuid)> = None;
    let mut saved = 0;
    loop {
        use conversation::Column as C;
        let mut select = conversation::Entity::find().filter(C::WorkspaceId.eq(workspace_id));
        if let Some((at, id)) = after {
            select = select.filter(
                sea_orm::Condition::any().add(C::CreatedAt.lt(at)).add(
                    sea_orm::Condition::all()
                        .add(C::CreatedAt.eq(at))
                        .add(C::Id.lt(id)),
                ),
            );
        }
        let batch = select
            .order_by_desc(C::CreatedAt)
            .order_by_desc(C::Id)
            .limit(BATCH)
            .all(&state.db)
            .await?;
        let done = (batch.len() as u64) < BATCH;
        after = batch.last().map(|c| (c.created_at, c.id));
        saved += batch.len() as u64;
        let records = batch
            .iter()
            .map(|c| {
                record(
                    c,
                    c.agent_id
                        .and_then(|id| names.get(&id))
                        .map(|(n, _)| n.as_str()),
                )
            })
            .collect();
        index.save(records).await.map_err(unavailable)?;
        if done {
            return Ok(saved);
        }
    }
}

/// Removes the workspace's records from its index.
pub async fn clear(state: &AppState, workspace_id: Uuid) -> Result<(), AppError> {
    let index = index_for(state, workspace_id)
        .await?
        .ok_or_else(not_configured)?;
    index
        .clear_workspace(workspace_id)
        .await
        .map_err(|e| AppError::unavailable(e.to_string()))
}

/// Resyncs the workspace (or every workspace of the partner) that has an Algolia
/// integration, after one was added or assigned: search there is complete without anyone
/// pressing Resync. A workspace whose index cannot be reached fails the job, which is
/// retried later; the calls page's Resync repeats it at once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reindex {
    pub partner_id: Uuid,
    pub workspace_id: Option<Uuid>,
}

impl crate::jobs::Job for Reindex {
    const KIND: &'static str = "algolia.reindex";
    const MAX_ATTEMPTS: i32 = 6;

    fn unique_key(&self) -> Option<String> {
        Some(match self.workspace_id {
            Some(id) => format!("{}:{id}", Self::KIND),
            None => format!("{}:partner:{}", Self::KIND, self.partner_id),
        })
    }

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        let state = &cx.state;
        let workspaces = match self.workspace_id {
            Some(id) => vec![id],
            None => crate::access::service::partner_workspaces(&state.db, self.partner_id)
                .await?
                .into_iter()
                .map(|w| w.id)
                .collect(),
        };
        let mut failed = Vec::new();
        for id in workspaces {
            let outcome = match index_for(state, id).await {
                Ok(Some(_)) => resync(state, id).await.map(|_| ()),
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            if let Err(e) = outcome {
                tracing::warn!(workspace = %id, error = %e, "Algolia resync failed");
                failed.push(format!("workspace {id}: {e}"));
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(crate::jobs::JobError::new(failed.join("; ")))
        }
    }
}

fn not_configured() -> AppError {
    AppError::Conflict(
        "This workspace has no Algolia integration; an organisation admin assigns one on Integrations."
            .into(),
    )
}
