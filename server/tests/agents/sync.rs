//! Saving and syncing: Sandbox at once, VAPI and Retell by a job that tells the provider
//! once; webhooks repaired; no key, no sync; updates patch and deletes reach the provider
//! first; an unknown stored provider is an error.

use super::*;

#[tokio::test]
async fn a_sandbox_agent_is_synced_at_once_and_listed() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;

    let id = create(&mut owner, &draft(AgentProvider::Sandbox))
        .await
        .unwrap();
    let agent = detail(&mut owner, id).await;
    let list = list(&mut owner).await;

    assert_eq!(agent.summary.sync_status, SyncStatus::Synced);
    assert_eq!(agent.summary.voice_name, "Rachel");
    assert!(agent.external_id.unwrap().starts_with("sbx_agent_"));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Front desk");
    assert!(
        app.audit_actions()
            .await
            .contains(&"agent.created".to_owned())
    );
}

#[tokio::test]
async fn a_stored_provider_no_variant_has_is_an_error_not_sandbox() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let id = create(&mut owner, &draft(AgentProvider::Sandbox))
        .await
        .unwrap();
    detail(&mut owner, id).await;
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE agents SET provider = 'bland'")
        .await
        .unwrap();

    let read = owner
        .call(GetAgent {
            slug: "demo".into(),
            id,
        })
        .await
        .unwrap_err();
    let listed = owner
        .call(ListAgents {
            slug: "demo".into(),
        })
        .await
        .unwrap_err();

    assert_eq!(read.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        read.error,
        app::error::AppError::Internal,
        "the cause stays in the log"
    );
    assert_eq!(listed.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_saved_agent_answers_at_once_syncing_and_its_job_tells_the_provider_once() {
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let assistants = |sim: &common::voice_sim::VoiceSim| {
        sim.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == "/assistant")
            .count()
    };

    let id = owner
        .call(app::agents::api::CreateAgent {
            slug: "demo".into(),
            draft: draft(AgentProvider::Vapi),
        })
        .await
        .unwrap();
    let before = detail(&mut owner, id).await;
    let mut edited = draft(AgentProvider::Vapi);
    edited.name = "Front desk, evenings".into();
    // Saved again before the job ran: one job, with the agent as saved last.
    let saved = owner
        .call(UpdateAgent {
            slug: "demo".into(),
            id,
            draft: edited,
        })
        .await;
    assert_eq!(saved, Ok(()));
    let waiting = app.jobs().await;

    assert_eq!(before.summary.sync_status, SyncStatus::Pending);
    assert_eq!(assistants(&sim), 0, "nothing was sent in the request");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].kind, "agents.sync");
    assert_eq!(app.run_jobs().await, 1);
    let after = detail(&mut owner, id).await;
    assert_eq!(after.summary.sync_status, SyncStatus::Synced, "{after:?}");
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
    use app::agents::api::{FixWebhooks, WebhookStatus};
    use app::agents::model::WebhookState;
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let id = create(&mut owner, &draft(AgentProvider::Vapi))
        .await
        .unwrap();
    let checks = async |owner: &mut Client<'_>| {
        owner
            .call(WebhookStatus {
                slug: "demo".into(),
            })
            .await
            .unwrap()
    };
    let fix = || FixWebhooks {
        slug: "demo".into(),
        force: false,
    };
    let right = checks(&mut owner).await;
    assert_eq!(right[0].state, WebhookState::Ok, "{right:?}");
    assert_eq!(right[0].actual.as_ref(), Some(&right[0].expected));
    // Someone points the assistant elsewhere at VAPI.
    let external = detail(&mut owner, id).await.external_id.unwrap();
    sim.store().assistants.get_mut(&external).unwrap()["server"]["url"] =
        json!("https://elsewhere.example/hook");
    let wrong = checks(&mut owner).await;
    assert_eq!(wrong[0].state, WebhookState::Mismatch, "{wrong:?}");
    assert_eq!(
        wrong[0].actual.as_deref(),
        Some("https://elsewhere.example/hook")
    );
    let patches = |sim: &VoiceSim| {
        sim.requests()
            .into_iter()
            .filter(|r| r.method == "PATCH" && r.path == format!("/assistant/{external}"))
            .count()
    };
    let before = patches(&sim);

    let answer = owner.call(fix()).await.unwrap();

    assert_eq!(answer.len(), 1, "{answer:?}");
    assert_eq!(answer[0].status, SyncStatus::Pending);
    assert_eq!(patches(&sim), before, "nothing was sent in the request");
    assert_eq!(
        detail(&mut owner, id).await.summary.sync_status,
        SyncStatus::Pending
    );
    let queued: Vec<String> = app.jobs().await.into_iter().map(|j| j.kind).collect();
    assert_eq!(queued, ["agents.sync"]);
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(patches(&sim), before + 1);
    let repaired = checks(&mut owner).await;
    assert_eq!(repaired[0].state, WebhookState::Ok, "{repaired:?}");
    assert_eq!(repaired[0].actual.as_ref(), Some(&right[0].expected));
    assert_eq!(
        detail(&mut owner, id).await.summary.sync_status,
        SyncStatus::Synced
    );

    // Nothing left to repair: nothing is queued.
    let again = owner.call(fix()).await.unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert!(app.jobs().await.is_empty());
}

#[tokio::test]
async fn without_a_key_the_agent_is_saved_but_not_synced() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;

    let id = create(&mut owner, &draft(AgentProvider::Retell))
        .await
        .unwrap();
    let agent = detail(&mut owner, id).await.summary;

    assert_eq!(agent.sync_status, SyncStatus::NotSynced);
    assert!(
        agent
            .last_sync_error
            .unwrap()
            .contains("No Retell AI integration is assigned")
    );
}

#[tokio::test]
async fn updates_patch_the_assistant_and_deletes_reach_the_provider_first() {
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let mut d = draft(AgentProvider::Vapi);
    let id = create(&mut owner, &d).await.unwrap();

    d.name = "Night desk".into();
    d.direction = Direction::Outbound;
    assert_eq!(update(&mut owner, id, &d).await, Ok(()));
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
    let refused = delete(&mut owner, id).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        refused
            .error
            .to_string()
            .contains("The agent was not deleted")
    );
    assert_eq!(list(&mut owner).await.len(), 1);

    assert_eq!(delete(&mut owner, id).await, Ok(()));
    assert!(sim.store().assistants.is_empty(), "gone at VAPI too");
    assert!(list(&mut owner).await.is_empty());
}
