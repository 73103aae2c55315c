//! Agents made and read through the server functions, and the provider keys they sync
//! with, for tests about what agents do.

use app::agents::api::{CreateAgent, GetAgent};
use app::agents::model::{AgentDetail, AgentDraft, AgentProvider};
use app::integrations::api::CreateIntegration;
use uuid::Uuid;

use super::Client;
use super::client::Refused;

/// A valid draft for `provider` named `name`, with a voice that provider offers.
pub fn draft(provider: AgentProvider, name: &str) -> AgentDraft {
    let mut d = AgentDraft::new(provider);
    d.name = name.into();
    d.config.voice_id = match provider {
        AgentProvider::Retell => "11labs-Adrian".into(),
        _ => "21m00Tcm4TlvDq8ikWAM".into(),
    };
    d.config.system_prompt = "You answer calls for Acme Dental. Be brief.".into();
    d.config.first_message = "Thanks for calling Acme Dental!".into();
    d
}

/// Creates the agent in workspace `slug` and runs the queue, so its sync with the provider
/// is done; answers its id.
pub async fn create(
    client: &mut Client<'_>,
    slug: &str,
    draft: &AgentDraft,
) -> Result<Uuid, Refused> {
    let created = client
        .call(CreateAgent {
            slug: slug.into(),
            draft: draft.clone(),
        })
        .await;
    client.app().run_jobs().await;
    created
}

/// The agent's page data, in workspace `slug`.
pub async fn detail(client: &mut Client<'_>, slug: &str, id: Uuid) -> AgentDetail {
    client
        .call(GetAgent {
            slug: slug.into(),
            id,
        })
        .await
        .unwrap()
}

/// Connects `provider` (`vapi`, `retell`) to the signed-in admin's organisation with these
/// keys and shared outbound number (empty for none). The first of a provider is its
/// default, assigned to every workspace.
pub async fn connect(
    client: &mut Client<'_>,
    provider: &str,
    secret: &str,
    public: &str,
    outbound_number: &str,
) {
    let saved = client
        .call(CreateIntegration {
            provider: provider.into(),
            name: provider.into(),
            secret_key: secret.into(),
            public_key: public.into(),
            app_id: String::new(),
            is_default: None,
            outbound_number: Some(outbound_number.into()),
        })
        .await;
    assert!(saved.is_ok(), "{provider} connects: {saved:?}");
}
