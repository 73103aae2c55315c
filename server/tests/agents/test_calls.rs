//! Test calls: "call me" (simulated on Sandbox, placed from the shared number elsewhere) and
//! browser calls, stored from what the provider reports, and only for the agent's own calls.

use super::*;
use app::calls::model::{CallDirection, CallStatus};

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
    assert!(stored.iter().any(|c| c.direction == CallDirection::Outbound
        && c.phone_number.as_deref() == Some("+14155550123")
        && c.status == CallStatus::Completed));

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
        .filter(|c| c.status == CallStatus::Initiated)
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
    assert_eq!(call.status, CallStatus::Completed);
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
    assert_eq!(
        stored_call(&app, &call_id).await.status,
        CallStatus::Initiated
    );

    assert!(sim.end_call(&call_id, &[("agent", "Hello!"), ("user", "Bye.")], 30));
    let ended = report_test_call(&mut owner, &id, &call_id).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let call = stored_call(&app, &call_id).await;
    assert_eq!(
        (call.status, call.duration_seconds),
        (CallStatus::Completed, 30)
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
