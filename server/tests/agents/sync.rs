//! Saving and syncing: Sandbox at once, VAPI and Retell by a job that tells the provider
//! once; webhooks repaired; no key, no sync; updates patch and deletes reach the provider
//! first; an unknown stored provider is an error.

use super::*;

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
