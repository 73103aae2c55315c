//! Agents made through the server function, for tests about what agents do.

use app::agents::api::CreateAgent;
use app::agents::model::{AgentDraft, AgentProvider};
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
