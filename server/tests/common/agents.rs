//! Agents made through the server function, for tests about what agents do.

use app::agents::model::{AgentDraft, AgentProvider};
use serde_json::json;

use super::{Client, TestResponse};

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

/// Creates the agent in workspace `demo` and runs the queue, so its sync with the provider
/// is done; the answer holds its id.
pub async fn create(client: &Client<'_>, draft: &AgentDraft) -> TestResponse {
    let created = client
        .post_json(
            "/api/agents/create",
            &json!({"slug": "demo", "draft": draft}),
        )
        .await;
    client.app.run_jobs().await;
    created
}
