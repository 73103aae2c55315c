//! Where each agent's provider sends its call events: the address it should be, what the
//! provider has, and "Fix webhooks", which queues a resync of every agent that is wrong.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::{AgentProvider, SyncOutcome, SyncStatus, WebhookCheck, WebhookState};
use super::sync::SyncAgent;
use crate::access::context::WorkspaceCtx;
use crate::db::entity::agent;
use crate::error::AppError;
use crate::integrations::voice::voice_for;
use crate::providers::{ExternalRef, Voice, VoiceProvider};
use crate::state::AppState;

/// Where the provider sends this workspace's call events.
pub fn webhook_url(state: &AppState, workspace_id: Uuid, provider: AgentProvider) -> String {
    format!(
        "{}/api/webhooks/w/{workspace_id}/{}",
        state.config.app_url.trim_end_matches('/'),
        provider.as_str()
    )
}

/// Each agent's webhook address at its provider against the one it should have.
pub async fn webhook_status(
    state: &AppState,
    ctx: &WorkspaceCtx,
) -> Result<Vec<WebhookCheck>, AppError> {
    let rows = agent::Entity::find()
        .filter(agent::Column::WorkspaceId.eq(ctx.id()))
        .filter(agent::Column::DeletedAt.is_null())
        .order_by_asc(agent::Column::Name)
        .all(&state.db)
        .await?;
    let mut voices: HashMap<&'static str, Option<Voice>> = HashMap::new();
    let mut checks = vec![];
    for row in rows {
        let provider = row.provider;
        let expected = webhook_url(state, ctx.id(), provider);
        let (actual, webhook_state) = if provider == AgentProvider::Sandbox {
            (None, WebhookState::Builtin)
        } else if row.external_id.is_none() {
            (None, WebhookState::NotSynced)
        } else {
            if !voices.contains_key(provider.as_str()) {
                let voice = voice_for(state, ctx.id(), provider).await?;
                voices.insert(provider.as_str(), voice);
            }
            let ids = ExternalRef {
                agent_id: row.external_id.clone(),
                llm_id: row.external_llm_id.clone(),
            };
            match voices.get(provider.as_str()).and_then(Option::as_ref) {
                None => (None, WebhookState::Unknown),
                Some(voice) => match voice.agent_webhook_url(&ids).await {
                    Ok(Some(url)) if url == expected => (Some(url), WebhookState::Ok),
                    Ok(url) => (url, WebhookState::Mismatch),
                    Err(_) => (None, WebhookState::Unknown),
                },
            }
        };
        checks.push(WebhookCheck {
            agent_id: row.id,
            name: row.name,
            provider,
            expected,
            actual,
            state: webhook_state,
        });
    }
    Ok(checks)
}

/// Queues a resync of every agent whose webhook is wrong or unknown (or of every provider
/// agent with `force`), in one transaction: the answer lists them at once as syncing, and
/// each shows its provider's answer when its `agents.sync` job has run.
pub async fn fix_webhooks(
    state: &AppState,
    ctx: &WorkspaceCtx,
    force: bool,
) -> Result<Vec<SyncOutcome>, AppError> {
    let wanted: Vec<WebhookCheck> = webhook_status(state, ctx)
        .await?
        .into_iter()
        .filter(|check| match check.state {
            WebhookState::Mismatch | WebhookState::Unknown => true,
            WebhookState::Ok => force,
            WebhookState::NotSynced | WebhookState::Builtin => false,
        })
        .collect();
    if wanted.is_empty() {
        return Ok(vec![]);
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut queued = vec![];
    for check in wanted {
        let marked = agent::Entity::update_many()
            .col_expr(
                agent::Column::SyncStatus,
                Expr::value(SyncStatus::Pending.as_str()),
            )
            .filter(agent::Column::Id.eq(check.agent_id))
            .filter(agent::Column::WorkspaceId.eq(ctx.id()))
            .filter(agent::Column::DeletedAt.is_null())
            .exec(&txn)
            .await?;
        // Deleted while the providers were being asked: nothing to repair.
        if marked.rows_affected == 0 {
            continue;
        }
        crate::jobs::enqueue(&txn, &SyncAgent::of(ctx.id(), check.agent_id)).await?;
        queued.push(SyncOutcome {
            agent_id: check.agent_id,
            name: check.name,
            status: SyncStatus::Pending,
            message: None,
        });
    }
    txn.commit().await?;
    Ok(queued)
}
