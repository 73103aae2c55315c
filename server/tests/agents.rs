//! Agents through their server functions: Sandbox agents sync at once; VAPI and Retell
//! agents are sent to the strict simulators, whose recorded requests are compared with
//! snapshots (an agent with every tool type each provider runs); sync failures are shown
//! in words; deletes reach the provider first; keys never come back.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::model::{AgentDraft, AgentProvider, Direction};
use app::tools::kind::ToolKind;
use app::tools::model::{Tool, ToolHeader, TransferMode};
use axum::http::StatusCode;
use common::voice_sim::{
    RETELL_FROM_NUMBER, RETELL_KEY, VAPI_KEY, VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY, VoiceSim,
    browser_creates_vapi_call,
};
use common::{Client, PLATFORM_HOST, TestApp};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

async fn app_with_sim() -> (TestApp, VoiceSim) {
    let (app, sim, _) = app_with_sim_at().await;
    (app, sim)
}

/// Also returns the simulators' base URL, for requests a browser would make.
async fn app_with_sim_at() -> (TestApp, VoiceSim, String) {
    let (sim, url) = VoiceSim::start().await;
    let base = url.clone();
    let app = TestApp::seeded_with(move |config| {
        config.providers.vapi = url.clone();
        config.providers.retell = url.clone();
        config.providers.retell_web_call = url.replacen("http://", "ws://", 1);
    })
    .await;
    (app, sim, base)
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
        let saved = owner
            .post(
                "/api/org/integrations/create",
                &[
                    ("provider", provider),
                    ("name", provider),
                    ("secret_key", secret),
                    ("public_key", public),
                    ("app_id", ""),
                    ("outbound_number", from),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
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

async fn create(client: &Client<'_>, draft: &AgentDraft) -> (StatusCode, Value) {
    let response = client
        .post_json(
            "/api/agents/create",
            &json!({"slug": "demo", "draft": draft}),
        )
        .await;
    // The provider hears of the agent from a job.
    client.app().run_jobs().await;
    let body = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response.status, body)
}

async fn detail(client: &Client<'_>, id: &str) -> Value {
    let response = client
        .get(&format!("/api/agents/get?slug=demo&id={id}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

/// A request body the simulator received, with this run's ids replaced by labels.
async fn scrubbed(app: &TestApp, body: &Value, agent_id: &str) -> Value {
    let workspace = app.workspace("genius365", "demo").await.id.to_string();
    let secret = app.state.vault.derive(&format!("vapi-webhook:{workspace}"));
    let text = body
        .to_string()
        .replace(&workspace, "[workspace]")
        .replace(agent_id, "[agent]")
        .replace(&secret, "[webhook-secret]");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn a_sandbox_agent_is_synced_at_once_and_listed() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;

    let (status, id) = create(&owner, &draft(AgentProvider::Sandbox)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_owned();
    let agent = detail(&owner, &id).await;
    let list = owner.get("/api/agents/list?slug=demo").await.json();

    assert_eq!(agent["summary"]["sync_status"], "synced");
    assert_eq!(agent["summary"]["voice_name"], "Rachel");
    assert!(
        agent["external_id"]
            .as_str()
            .unwrap()
            .starts_with("sbx_agent_")
    );
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Front desk");
    assert!(
        app.audit_actions()
            .await
            .contains(&"agent.created".to_owned())
    );
}

#[tokio::test]
async fn a_stored_provider_no_variant_has_is_an_error_not_sandbox() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let (status, id) = create(&owner, &draft(AgentProvider::Sandbox)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_owned();
    assert_eq!(
        owner
            .get(&format!("/api/agents/get?slug=demo&id={id}"))
            .await
            .status,
        StatusCode::OK
    );
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE agents SET provider = 'bland'")
        .await
        .unwrap();

    let read = owner
        .get(&format!("/api/agents/get?slug=demo&id={id}"))
        .await;
    let listed = owner.get("/api/agents/list?slug=demo").await;

    assert_eq!(
        read.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        read.body
    );
    assert_eq!(read.json()["kind"], "internal");
    assert!(!read.body.contains("bland"), "the cause stays in the log");
    assert_eq!(
        listed.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        listed.body
    );
}

#[tokio::test]
async fn a_saved_agent_answers_at_once_syncing_and_its_job_tells_the_provider_once() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let assistants = |sim: &common::voice_sim::VoiceSim| {
        sim.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == "/assistant")
            .count()
    };

    let created = owner
        .post_json(
            "/api/agents/create",
            &json!({"slug": "demo", "draft": draft(AgentProvider::Vapi)}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.json().as_str().unwrap().to_owned();
    let before = detail(&owner, &id).await;
    let mut edited = draft(AgentProvider::Vapi);
    edited.name = "Front desk, evenings".into();
    // Saved again before the job ran: one job, with the agent as saved last.
    let saved = owner
        .post_json(
            "/api/agents/update",
            &json!({"slug": "demo", "id": id, "draft": edited}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let waiting = app.jobs().await;

    assert_eq!(before["summary"]["sync_status"], "pending");
    assert_eq!(assistants(&sim), 0, "nothing was sent in the request");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].kind, "agents.sync");
    assert_eq!(app.run_jobs().await, 1);
    let after = detail(&owner, &id).await;
    assert_eq!(after["summary"]["sync_status"], "synced", "{after}");
    assert_eq!(assistants(&sim), 1);
    let sent = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/assistant")
        .unwrap();
    assert_eq!(sent.body["name"], "Front desk, evenings");
}

#[tokio::test]
async fn a_wrong_webhook_is_repaired_by_a_job_and_the_answer_comes_at_once() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let (status, id) = create(&owner, &draft(AgentProvider::Vapi)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_owned();
    let checks = async |owner: &Client<'_>| {
        owner
            .get("/api/agents/webhook-status?slug=demo")
            .await
            .json()
    };
    let right = checks(&owner).await;
    assert_eq!(right[0]["state"], "ok", "{right}");
    assert_eq!(right[0]["actual"], right[0]["expected"]);
    // Someone points the assistant elsewhere at VAPI.
    let external = detail(&owner, &id).await["external_id"]
        .as_str()
        .unwrap()
        .to_owned();
    sim.store().assistants.get_mut(&external).unwrap()["server"]["url"] =
        json!("https://elsewhere.example/hook");
    let wrong = checks(&owner).await;
    assert_eq!(wrong[0]["state"], "mismatch", "{wrong}");
    assert_eq!(wrong[0]["actual"], "https://elsewhere.example/hook");
    let patches = |sim: &VoiceSim| {
        sim.requests()
            .into_iter()
            .filter(|r| r.method == "PATCH" && r.path == format!("/assistant/{external}"))
            .count()
    };
    let before = patches(&sim);

    let fixed = owner
        .post(
            "/api/agents/fix-webhooks",
            &[("slug", "demo"), ("force", "false")],
        )
        .await;

    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
    let answer = fixed.json();
    assert_eq!(answer.as_array().unwrap().len(), 1, "{answer}");
    assert_eq!(answer[0]["status"], "pending");
    assert_eq!(patches(&sim), before, "nothing was sent in the request");
    assert_eq!(
        detail(&owner, &id).await["summary"]["sync_status"],
        "pending"
    );
    let queued: Vec<String> = app.jobs().await.into_iter().map(|j| j.kind).collect();
    assert_eq!(queued, ["agents.sync"]);
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(patches(&sim), before + 1);
    let repaired = checks(&owner).await;
    assert_eq!(repaired[0]["state"], "ok", "{repaired}");
    assert_eq!(repaired[0]["actual"], right[0]["expected"]);
    assert_eq!(
        detail(&owner, &id).await["summary"]["sync_status"],
        "synced"
    );

    // Nothing left to repair: nothing is queued.
    let again = owner
        .post(
            "/api/agents/fix-webhooks",
            &[("slug", "demo"), ("force", "false")],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json(), json!([]));
    assert!(app.jobs().await.is_empty());
}

#[tokio::test]
async fn a_vapi_agent_with_every_tool_is_sent_as_one_assistant() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Vapi);
    d.config.tools = every_tool(AgentProvider::Vapi);
    d.config.tools_server_url = "https://tools.example.com/functions".into();
    d.config.end_call_phrases = vec!["goodbye".into()];

    let (status, id) = create(&owner, &d).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_owned();
    let agent = detail(&owner, &id).await;

    assert_eq!(agent["summary"]["sync_status"], "synced", "{agent}");
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
        scrubbed(&app, &created.body, &id).await
    );
    assert!(
        !agent.to_string().contains(VAPI_KEY),
        "no key in the page data"
    );
}

#[tokio::test]
async fn a_retell_agent_is_an_llm_then_an_agent() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Retell);
    d.config.tools = every_tool(AgentProvider::Retell);
    d.config.tools_server_url = "https://tools.example.com/functions".into();
    d.config.language = "es-MX".into();
    d.config.temperature = 1.4;

    let (status, id) = create(&owner, &d).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_str().unwrap().to_owned();
    let agent = detail(&owner, &id).await;

    assert_eq!(agent["summary"]["sync_status"], "synced", "{agent}");
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
        scrubbed(&app, &requests[llm].body, &id).await
    );
    // The Cal.com key is sent to Retell, but sealed at rest and masked for the browser.
    assert_eq!(
        requests[llm].body["general_tools"][5]["cal_api_key"],
        "cal_live_0123456789"
    );
    let page_data = agent.to_string();
    assert!(!page_data.contains("cal_live_0123456789"), "{page_data}");
    assert!(page_data.contains("••••6789"));
    let row = app::db::entity::agent::Entity::find_by_id(uuid::Uuid::parse_str(&id).unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.config.to_string().contains("cal_live_0123456789"));
    // Saving the form as shown keeps the stored key.
    let resaved = owner
        .post_json(
            "/api/agents/update",
            &json!({"slug": "demo", "id": id, "draft": agent["draft"]}),
        )
        .await;
    owner.app().run_jobs().await;
    assert_eq!(resaved.status, StatusCode::OK, "{}", resaved.body);
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
    insta::assert_json_snapshot!("retell_agent", scrubbed(&app, &agent_body, &id).await);
}

#[tokio::test]
async fn a_payload_the_provider_refuses_is_shown_in_words_and_can_be_fixed() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Vapi);
    d.config.max_tokens = 20;

    let (status, id) = create(&owner, &d).await;
    assert_eq!(status, StatusCode::OK, "creation stands: {id}");
    let id = id.as_str().unwrap().to_owned();
    let agent = detail(&owner, &id).await;
    assert_eq!(agent["summary"]["sync_status"], "error");
    assert_eq!(
        agent["summary"]["last_sync_error"],
        "VAPI refused the request: model.maxTokens must not be less than 50"
    );

    d.config.max_tokens = 300;
    let saved = owner
        .post_json(
            "/api/agents/update",
            &json!({"slug": "demo", "id": id, "draft": d}),
        )
        .await;
    owner.app().run_jobs().await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let agent = detail(&owner, &id).await;
    assert_eq!(agent["summary"]["sync_status"], "synced");
    assert_eq!(agent["summary"]["last_sync_error"], Value::Null);
    assert_eq!(sim.store().assistants.len(), 1);
}

#[tokio::test]
async fn without_a_key_the_agent_is_saved_but_not_synced() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;

    let (status, id) = create(&owner, &draft(AgentProvider::Retell)).await;
    let agent = detail(&owner, id.as_str().unwrap()).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(agent["summary"]["sync_status"], "not_synced");
    assert!(
        agent["summary"]["last_sync_error"]
            .as_str()
            .unwrap()
            .contains("No Retell AI integration is assigned")
    );
}

#[tokio::test]
async fn updates_patch_the_assistant_and_deletes_reach_the_provider_first() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Vapi);
    let (_, id) = create(&owner, &d).await;
    let id = id.as_str().unwrap().to_owned();

    d.name = "Night desk".into();
    d.direction = Direction::Outbound;
    let saved = owner
        .post_json(
            "/api/agents/update",
            &json!({"slug": "demo", "id": id, "draft": d}),
        )
        .await;
    owner.app().run_jobs().await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let patched = sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(patched.body["name"], "Night desk");
    assert_eq!(patched.body["firstMessageMode"], "assistant-waits-for-user");
    assert!(
        patched.body.get("firstMessage").is_none(),
        "outbound agents wait"
    );

    sim.fail_with(&[503, 503, 503]);
    let refused = owner
        .post("/api/agents/delete", &[("slug", "demo"), ("id", &id)])
        .await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.body.contains("The agent was not deleted"));
    assert_eq!(
        owner
            .get("/api/agents/list?slug=demo")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let deleted = owner
        .post("/api/agents/delete", &[("slug", "demo"), ("id", &id)])
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(sim.store().assistants.is_empty(), "gone at VAPI too");
    assert_eq!(
        owner.get("/api/agents/list?slug=demo").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn bad_drafts_get_an_error_per_field_and_nothing_is_saved() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut d = draft(AgentProvider::Retell);
    d.name = "An agent name that is much longer than forty characters".into();
    d.config.first_message.clear();
    d.config.temperature = 3.0;
    d.config.tools = vec![Tool::new(ToolKind::Bash)];

    let (status, body) = create(&owner, &d).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = &body["detail"]["fields"];
    for field in [
        "name",
        "config.first_message",
        "config.temperature",
        "tools.0.kind",
    ] {
        assert!(fields.get(field).is_some(), "{field} in {fields}");
    }
    assert_eq!(
        owner.get("/api/agents/list?slug=demo").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn viewers_read_agents_but_cannot_change_them() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let (_, id) = create(&owner, &draft(AgentProvider::Sandbox)).await;
    let id = id.as_str().unwrap().to_owned();
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let (created, _) = create(&viewer, &draft(AgentProvider::Sandbox)).await;
    let deleted = viewer
        .post("/api/agents/delete", &[("slug", "demo"), ("id", &id)])
        .await;
    let read = detail(&viewer, &id).await;

    assert_eq!(created, StatusCode::FORBIDDEN);
    assert_eq!(deleted.status, StatusCode::FORBIDDEN);
    assert_eq!(read["can_edit"], false);
}

async fn call_me(client: &mut Client<'_>, id: &str, number: &str) -> common::TestResponse {
    client
        .post(
            "/api/agents/call-me",
            &[
                ("slug", "demo"),
                ("id", id),
                ("number", number),
                ("name", "Dana"),
            ],
        )
        .await
}

#[tokio::test]
async fn call_me_is_simulated_on_sandbox_and_placed_from_the_shared_number_elsewhere() {
    let (app, sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let ids = {
        let mut ids = vec![];
        for provider in [
            AgentProvider::Sandbox,
            AgentProvider::Vapi,
            AgentProvider::Retell,
        ] {
            let (status, id) = create(&owner, &draft(provider)).await;
            assert_eq!(status, StatusCode::OK, "{id}");
            ids.push(id.as_str().unwrap().to_owned());
        }
        ids
    };

    let bad = call_me(&mut owner, &ids[0], "555-0100").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json()["detail"]["fields"]["number"][0]
            .as_str()
            .unwrap()
            .contains("international format")
    );

    let simulated = call_me(&mut owner, &ids[0], "+1 (415) 555-0123").await;
    assert_eq!(simulated.status, StatusCode::OK, "{}", simulated.body);
    let simulated = &simulated.json()["Simulated"];
    assert_eq!(simulated["to"], "+14155550123");
    assert_eq!(
        simulated["turns"][0]["role"], "user",
        "the agent waits for the person"
    );
    assert!(
        simulated["turns"][1]["text"]
            .as_str()
            .unwrap()
            .starts_with("Hi Dana")
    );
    let stored = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(stored.iter().any(|c| c.direction == "outbound"
        && c.phone_number.as_deref() == Some("+14155550123")
        && c.status == "completed"));

    let vapi = call_me(&mut owner, &ids[1], "+14155550123").await;
    assert_eq!(vapi.status, StatusCode::OK, "{}", vapi.body);
    assert_eq!(vapi.json()["Placed"]["from"], VAPI_PHONE_NUMBER_ID);
    let sent = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/call")
        .unwrap();
    assert_eq!(sent.body["phoneNumberId"], VAPI_PHONE_NUMBER_ID);
    assert_eq!(
        sent.body["customer"],
        json!({"number": "+14155550123", "name": "Dana"})
    );

    let retell = call_me(&mut owner, &ids[2], "+14155550123").await;
    assert_eq!(retell.status, StatusCode::OK, "{}", retell.body);
    let sent = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/v2/create-phone-call")
        .unwrap();
    assert_eq!(sent.body["from_number"], RETELL_FROM_NUMBER);
    assert_eq!(sent.body["to_number"], "+14155550123");
    let placed = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.status == "initiated")
        .count();
    assert_eq!(placed, 2, "placed calls wait for their events");
}

#[tokio::test]
async fn without_a_shared_number_call_me_says_who_can_add_one() {
    let (app, _sim) = app_with_sim().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers_calling_from(&mut owner, "", "").await;
    let (_, id) = create(&owner, &draft(AgentProvider::Vapi)).await;

    let refused = call_me(&mut owner, id.as_str().unwrap(), "+14155550123").await;

    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("no shared outbound number"),
        "{}",
        refused.body
    );
}

async fn start_test_call(client: &mut Client<'_>, id: &str) -> Value {
    let started = client
        .post("/api/agents/test-call", &[("slug", "demo"), ("id", id)])
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    started.json()
}

async fn report_test_call(
    client: &mut Client<'_>,
    id: &str,
    call_id: &str,
) -> common::TestResponse {
    client
        .post(
            "/api/agents/test-call-update",
            &[("slug", "demo"), ("id", id), ("call_id", call_id)],
        )
        .await
}

async fn stored_call(app: &TestApp, call_id: &str) -> app::db::entity::conversation::Model {
    use sea_orm::{ColumnTrait, QueryFilter};
    app::db::entity::conversation::Entity::find()
        .filter(app::db::entity::conversation::Column::ExternalId.eq(call_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn total_calls(app: &TestApp, id: &str) -> i32 {
    app::db::entity::agent::Entity::find_by_id(uuid::Uuid::parse_str(id).unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .total_calls
}

#[tokio::test]
async fn a_vapi_browser_call_is_created_by_the_page_and_stored_from_the_provider() {
    let (app, sim, sim_url) = app_with_sim_at().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let (_, id) = create(&owner, &draft(AgentProvider::Vapi)).await;
    let id = id.as_str().unwrap().to_owned();
    let assistant = detail(&owner, &id).await["external_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let launch = start_test_call(&mut owner, &id).await;
    assert_eq!(
        launch,
        json!({"Browser": {"provider": "vapi", "publicKey": VAPI_PUBLIC_KEY,
            "assistantId": assistant, "apiBaseUrl": sim_url}}),
        "the page gets the public key only"
    );

    // The web SDK creates the call with the public key, as the page does.
    let call_id = browser_creates_vapi_call(&sim_url, &assistant).await;

    let reported = report_test_call(&mut owner, &id, &call_id).await;
    assert_eq!(reported.status, StatusCode::OK, "{}", reported.body);
    assert_eq!(reported.json()["status"], "initiated");
    let call = stored_call(&app, &call_id).await;
    assert_eq!(
        (
            call.direction.as_str(),
            call.is_test,
            call.provider.as_str()
        ),
        ("web", true, "vapi")
    );

    assert!(sim.end_call(
        &call_id,
        &[
            ("agent", "Thanks for calling Acme Dental!"),
            ("user", "Do you open on Saturdays?")
        ],
        65
    ));
    // The page reports the end; a webhook or a second tab may report it too.
    for _ in 0..3 {
        let ended = report_test_call(&mut owner, &id, &call_id).await;
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
        assert_eq!(ended.json()["status"], "completed");
        assert_eq!(ended.json()["duration_seconds"], 65);
    }
    let call = stored_call(&app, &call_id).await;
    assert_eq!(call.status, "completed");
    assert_eq!(call.duration_seconds, 65);
    assert_eq!(call.transcript[1]["text"], "Do you open on Saturdays?");
    assert_eq!(call.transcript[0]["role"], "agent");
    assert!(call.recording_url.unwrap().ends_with("-mono.wav"));
    assert_eq!(call.end_reason.as_deref(), Some("customer-ended-call"));
    assert_eq!(total_calls(&app, &id).await, 1, "counted once");
    let calls = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(calls.len(), 1);
}

#[tokio::test]
async fn a_retell_browser_call_is_stored_when_created_and_completed_when_it_ends() {
    let (app, sim, sim_url) = app_with_sim_at().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let (_, id) = create(&owner, &draft(AgentProvider::Retell)).await;
    let id = id.as_str().unwrap().to_owned();

    let launch = start_test_call(&mut owner, &id).await;
    let launch = &launch["Browser"];
    assert_eq!(launch["provider"], "retell");
    assert_eq!(launch["url"], sim_url.replacen("http://", "ws://", 1));
    let call_id = launch["callId"].as_str().unwrap().to_owned();
    assert!(launch["accessToken"].as_str().unwrap().starts_with("eyJ"));
    assert_eq!(stored_call(&app, &call_id).await.status, "initiated");

    assert!(sim.end_call(&call_id, &[("agent", "Hello!"), ("user", "Bye.")], 30));
    let ended = report_test_call(&mut owner, &id, &call_id).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let call = stored_call(&app, &call_id).await;
    assert_eq!(
        (call.status.as_str(), call.duration_seconds),
        ("completed", 30)
    );
    assert_eq!(call.cost_cents, 3);
    assert_eq!(call.summary.as_deref(), Some("The caller tried the agent."));
    assert_eq!(total_calls(&app, &id).await, 1);
}

#[tokio::test]
async fn reports_of_calls_that_are_not_the_agents_change_nothing() {
    let (app, _sim, sim_url) = app_with_sim_at().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    connect_providers(&mut owner).await;
    let (_, first) = create(&owner, &draft(AgentProvider::Vapi)).await;
    let (_, second) = create(&owner, &draft(AgentProvider::Vapi)).await;
    let (first, second) = (first.as_str().unwrap(), second.as_str().unwrap());
    let assistant = detail(&owner, second).await["external_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_agents_call = &browser_creates_vapi_call(&sim_url, &assistant).await;

    let wrong_agent = report_test_call(&mut owner, first, other_agents_call).await;
    assert_eq!(
        wrong_agent.status,
        StatusCode::NOT_FOUND,
        "{}",
        wrong_agent.body
    );
    let unknown = report_test_call(&mut owner, first, "4b1d0000-0000-4000-8000-000000000000").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
    let sneaky = report_test_call(&mut owner, first, "../assistant").await;
    assert_eq!(sneaky.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sneaky.json()["detail"]["fields"]["call_id"][0].is_string());
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let refused = report_test_call(&mut viewer, second, other_agents_call).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let stored = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(stored.is_empty(), "{stored:?}");
}
