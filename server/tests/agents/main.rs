//! Agents through their server functions: Sandbox agents sync at once; VAPI and Retell
//! agents are sent to the strict simulators, whose recorded requests are compared with
//! snapshots (an agent with every tool type each provider runs); sync failures are shown
//! in words; deletes reach the provider first; keys never come back. Syncing in `sync`,
//! validation and permissions in `rules`, test calls in `test_calls`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod rules;
mod sync;
mod test_calls;

use app::agents::api::{DeleteAgent, GetAgent, ListAgents, UpdateAgent};
use app::agents::model::{
    AgentDetail, AgentDraft, AgentProvider, AgentSummary, Direction, SyncStatus,
};
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use app::tools::kind::ToolKind;
use app::tools::model::{Tool, ToolHeader, TransferMode};
use axum::http::StatusCode;
use common::client::Refused;
use common::voice_sim::{
    RETELL_FROM_NUMBER, RETELL_KEY, VAPI_KEY, VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY, VoiceSim,
    browser_creates_vapi_call,
};
use common::world::Workspace;
use common::{Client, TestApp};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

async fn app_with_sim() -> (TestApp, VoiceSim) {
    let (app, sim, _) = app_with_sim_at().await;
    (app, sim)
}

/// Also returns the simulators' base URL, for requests a browser would make.
async fn app_with_sim_at() -> (TestApp, VoiceSim, String) {
    let (sim, url) = VoiceSim::start().await;
    let base = url.clone();
    let app = TestApp::with_config(move |config| {
        config.providers.vapi = url.clone();
        config.providers.retell = url.clone();
        config.providers.retell_web_call = url.replacen("http://", "ws://", 1);
    })
    .await;
    (app, sim, base)
}

/// Workspace `demo` of the platform organisation, where the agents are made.
async fn demo(app: &TestApp) -> Workspace<'_> {
    app.platform().await.workspace("demo").await
}

/// Workspace `demo` and its admin signed in: an owner of the organisation, who may also
/// connect providers.
async fn owner_of_demo(app: &TestApp) -> Client<'_> {
    let org = demo(app).await.org;
    org.person(PartnerRole::Owner).await.client().await
}

/// Adds VAPI and Retell integrations (the first of each becomes the default and is
/// assigned to every workspace).
async fn connect_providers(owner: &mut Client<'_>) {
    connect_providers_calling_from(owner, VAPI_PHONE_NUMBER_ID, RETELL_FROM_NUMBER).await;
}

/// Like `connect_providers`, with the shared outbound numbers given (empty for none).
async fn connect_providers_calling_from(
    owner: &mut Client<'_>,
    vapi_from: &str,
    retell_from: &str,
) {
    for (provider, secret, public, from) in [
        ("vapi", VAPI_KEY, VAPI_PUBLIC_KEY, vapi_from),
        ("retell", RETELL_KEY, "", retell_from),
    ] {
        common::agents::connect(owner, provider, secret, public, from).await;
    }
}

fn draft(provider: AgentProvider) -> AgentDraft {
    let mut d = AgentDraft::new(provider);
    d.name = "Front desk".into();
    d.config.voice_id = match provider {
        AgentProvider::Retell => "11labs-Adrian".into(),
        _ => "21m00Tcm4TlvDq8ikWAM".into(),
    };
    d.config.system_prompt = "You answer calls for Acme Dental. Be brief.".into();
    d.config.first_message = "Thanks for calling Acme Dental!".into();
    d
}

fn tool(kind: ToolKind) -> Tool {
    let mut t = Tool::new(kind);
    t.description = format!("Use {} when it helps.", kind.label());
    match kind {
        ToolKind::TransferCall => {
            t.transfer_number = "+14155550199".into();
            t.transfer_mode = TransferMode::Warm;
            t.message = "Let me put you through.".into();
        }
        ToolKind::ApiRequest => {
            t.url = "https://crm.example.com/leads".into();
            t.headers = vec![ToolHeader {
                name: "X-Source".into(),
                value: "genius365".into(),
            }];
            t.parameters = r#"{"type":"object","properties":{"email":{"type":"string"}},"required":["email"]}"#.into();
        }
        ToolKind::Function => {
            t.name = "lookup_order".into();
            t.parameters = r#"{"type":"object","properties":{"order_id":{"type":"string","description":"The order number"}},"required":["order_id"]}"#.into();
            t.message = "Checking that order now.".into();
            t.run_async = false;
        }
        ToolKind::Handoff => t.assistant_id = "asst-billing".into(),
        ToolKind::Code => t.code = "return { total: args.a + args.b };".into(),
        ToolKind::Bash | ToolKind::Computer | ToolKind::TextEditor | ToolKind::Mcp => {
            t.url = "https://tools.example.com/run".into();
        }
        ToolKind::Query => t.file_ids = "file-1, file-2".into(),
        ToolKind::CalCheckAvailability | ToolKind::CalBookAppointment => {
            t.cal_api_key = "cal_live_0123456789".into();
            t.event_type_id = "12345".into();
            t.timezone = "America/New_York".into();
        }
        ToolKind::Sms => t.sms_text = "Your appointment is confirmed.".into(),
        _ => {}
    }
    t
}

/// Every tool kind the provider runs.
fn every_tool(provider: AgentProvider) -> Vec<Tool> {
    ToolKind::ALL
        .into_iter()
        .filter(|k| k.supports(provider))
        .map(tool)
        .collect()
}

/// Creates the agent in `demo`; the provider hears of it from a job, which is run.
async fn create(client: &mut Client<'_>, draft: &AgentDraft) -> Result<Uuid, Refused> {
    common::agents::create(client, "demo", draft).await
}

/// Saves the agent again; its sync job is run.
async fn update(client: &mut Client<'_>, id: Uuid, draft: &AgentDraft) -> Result<(), Refused> {
    let saved = client
        .call(UpdateAgent {
            slug: "demo".into(),
            id,
            draft: draft.clone(),
        })
        .await;
    client.app().run_jobs().await;
    saved
}

async fn delete(client: &mut Client<'_>, id: Uuid) -> Result<(), Refused> {
    client
        .call(DeleteAgent {
            slug: "demo".into(),
            id,
        })
        .await
}

async fn detail(client: &mut Client<'_>, id: Uuid) -> AgentDetail {
    common::agents::detail(client, "demo", id).await
}

async fn list(client: &mut Client<'_>) -> Vec<AgentSummary> {
    client
        .call(ListAgents {
            slug: "demo".into(),
        })
        .await
        .unwrap()
}

/// A request body the simulator received, with this run's ids replaced by labels.
async fn scrubbed(app: &TestApp, body: &Value, agent_id: Uuid) -> Value {
    let workspace = app.workspace("genius365", "demo").await.id.to_string();
    let secret = app.state.vault.derive(&format!("vapi-webhook:{workspace}"));
    let text = body
        .to_string()
        .replace(&workspace, "[workspace]")
        .replace(&agent_id.to_string(), "[agent]")
        .replace(&secret, "[webhook-secret]");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn a_vapi_agent_with_every_tool_is_sent_as_one_assistant() {
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Vapi);
    d.config.tools = every_tool(AgentProvider::Vapi);
    d.config.tools_server_url = "https://tools.example.com/functions".into();
    d.config.end_call_phrases = vec!["goodbye".into()];

    let id = create(&mut owner, &d).await.unwrap();
    let agent = detail(&mut owner, id).await;

    assert_eq!(agent.summary.sync_status, SyncStatus::Synced, "{agent:?}");
    let created = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/assistant")
        .expect("the assistant was created");
    assert_eq!(
        created.body["model"]["tools"].as_array().unwrap().len(),
        21,
        "every VAPI tool kind, endCall included"
    );
    insta::assert_json_snapshot!(
        "vapi_assistant_every_tool",
        scrubbed(&app, &created.body, id).await
    );
    assert!(
        !serde_json::to_string(&agent).unwrap().contains(VAPI_KEY),
        "no key in the page data"
    );
}

#[tokio::test]
async fn a_retell_agent_is_an_llm_then_an_agent() {
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Retell);
    d.config.tools = every_tool(AgentProvider::Retell);
    d.config.tools_server_url = "https://tools.example.com/functions".into();
    d.config.language = "es-MX".into();
    d.config.temperature = 1.4;

    let id = create(&mut owner, &d).await.unwrap();
    let agent = detail(&mut owner, id).await;

    assert_eq!(agent.summary.sync_status, SyncStatus::Synced, "{agent:?}");
    let requests = sim.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let llm = paths
        .iter()
        .position(|p| *p == "/create-retell-llm")
        .unwrap();
    let agent_step = paths.iter().position(|p| *p == "/create-agent").unwrap();
    assert!(llm < agent_step, "the LLM is made first");
    insta::assert_json_snapshot!(
        "retell_llm_every_tool",
        scrubbed(&app, &requests[llm].body, id).await
    );
    // The Cal.com key is sent to Retell, but sealed at rest and masked for the browser.
    assert_eq!(
        requests[llm].body["general_tools"][5]["cal_api_key"],
        "cal_live_0123456789"
    );
    let page_data = serde_json::to_string(&agent).unwrap();
    assert!(!page_data.contains("cal_live_0123456789"), "{page_data}");
    assert!(page_data.contains("••••6789"));
    let row = app::db::entity::agent::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.config.to_string().contains("cal_live_0123456789"));
    // Saving the form as shown keeps the stored key.
    assert_eq!(update(&mut owner, id, &agent.draft).await, Ok(()));
    let patched = sim
        .requests()
        .into_iter()
        .rfind(|r| r.path.starts_with("/update-retell-llm/"))
        .unwrap();
    assert_eq!(
        patched.body["general_tools"][5]["cal_api_key"],
        "cal_live_0123456789"
    );

    let mut agent_body = requests[agent_step].body.clone();
    let llm_id = agent_body["response_engine"]["llm_id"].take();
    assert!(sim.store().llms.contains_key(llm_id.as_str().unwrap()));
    insta::assert_json_snapshot!("retell_agent", scrubbed(&app, &agent_body, id).await);
}

#[tokio::test]
async fn a_payload_the_provider_refuses_is_shown_in_words_and_can_be_fixed() {
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Vapi);
    d.config.max_tokens = 20;

    let id = create(&mut owner, &d).await.expect("creation stands");
    let agent = detail(&mut owner, id).await.summary;
    assert_eq!(agent.sync_status, SyncStatus::Error);
    assert_eq!(
        agent.last_sync_error.as_deref(),
        Some("VAPI refused the request: model.maxTokens must not be less than 50")
    );

    d.config.max_tokens = 300;
    assert_eq!(update(&mut owner, id, &d).await, Ok(()));
    let agent = detail(&mut owner, id).await.summary;
    assert_eq!(agent.sync_status, SyncStatus::Synced);
    assert_eq!(agent.last_sync_error, None);
    assert_eq!(sim.store().assistants.len(), 1);
}
