//! Which voice provider client a workspace's agents and calls use: Sandbox always; VAPI
//! and Retell with the keys of the integration assigned to the workspace. Agents, test
//! calls, webhooks and the open-call sweep all choose here.

use uuid::Uuid;

use crate::error::AppError;
use crate::integrations::model::AgentProvider;
use crate::providers::{Keys, Voice};
use crate::state::AppState;

/// The secret VAPI sends with this workspace's events (derived, never stored).
pub fn webhook_secret(state: &AppState, workspace_id: Uuid) -> String {
    state.vault.derive(&format!("vapi-webhook:{workspace_id}"))
}

/// The keys an agent of `provider` uses in this workspace: its assigned integration's
/// (none for Sandbox, nor without an assignment).
pub async fn agent_keys(
    state: &AppState,
    workspace_id: Uuid,
    provider: AgentProvider,
) -> Result<Option<Keys>, AppError> {
    let Some(integration) = provider.integration() else {
        return Ok(None);
    };
    Ok(
        super::keys::keys_for(&state.db, &state.vault, workspace_id, integration)
            .await?
            .map(|k| Keys {
                secret: k.secret,
                public: k.public,
                outbound_number: k.outbound_number,
            }),
    )
}

/// The provider client for an agent of this workspace, if it can be reached (Sandbox
/// always; VAPI and Retell when a key is assigned).
pub async fn voice_for(
    state: &AppState,
    workspace_id: Uuid,
    provider: AgentProvider,
) -> Result<Option<Voice>, AppError> {
    let keys = agent_keys(state, workspace_id, provider).await?;
    Ok(Voice::new(provider, &state.providers, keys))
}
