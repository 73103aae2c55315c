//! Test calls: "call me" (simulated on Sandbox, placed from the shared number elsewhere) and
//! browser calls, stored from what the provider reports, and only for the agent's own calls.

use super::*;
use app::agents::api::{CallMe, StartTestCall, UpdateTestCall};
use app::agents::model::{CallMeOutcome, TestCallStart, TestCallState, WebCallLaunch};
use app::calls::model::{CallDirection, CallStatus};

async fn call_me(
    client: &mut Client<'_>,
    id: Uuid,
    number: &str,
) -> Result<CallMeOutcome, Refused> {
    client
        .call(CallMe {
            slug: "demo".into(),
            id,
            number: number.into(),
            name: "Dana".into(),
        })
        .await
}

#[tokio::test]
async fn call_me_is_simulated_on_sandbox_and_placed_from_the_shared_number_elsewhere() {
    let (app, sim) = app_with_sim().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let mut ids = vec![];
    for provider in [
        AgentProvider::Sandbox,
        AgentProvider::Vapi,
        AgentProvider::Retell,
    ] {
        ids.push(create(&mut owner, &draft(provider)).await.unwrap());
    }

    let bad = call_me(&mut owner, ids[0], "555-0100").await.unwrap_err();
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.error.field("number").unwrap()[0].contains("international format"));

    let simulated = call_me(&mut owner, ids[0], "+1 (415) 555-0123").await;
    let Ok(CallMeOutcome::Simulated { to, turns, .. }) = simulated else {
        panic!("simulated: {simulated:?}");
    };
    assert_eq!(to, "+14155550123");
    assert_eq!(turns[0].role, "user", "the agent waits for the person");
    assert!(turns[1].text.starts_with("Hi Dana"));
    let stored = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(stored.iter().any(|c| c.direction == CallDirection::Outbound
        && c.phone_number.as_deref() == Some("+14155550123")
        && c.status == CallStatus::Completed));

    let vapi = call_me(&mut owner, ids[1], "+14155550123").await;
    let Ok(CallMeOutcome::Placed { from, .. }) = vapi else {
        panic!("placed: {vapi:?}");
    };
    assert_eq!(from, VAPI_PHONE_NUMBER_ID);
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

    let retell = call_me(&mut owner, ids[2], "+14155550123").await;
    assert!(
        matches!(retell, Ok(CallMeOutcome::Placed { .. })),
        "{retell:?}"
    );
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
    let mut owner = owner_of_demo(&app).await;
    connect_providers_calling_from(&mut owner, "", "").await;
    let id = create(&mut owner, &draft(AgentProvider::Vapi))
        .await
        .unwrap();

    let refused = call_me(&mut owner, id, "+14155550123").await.unwrap_err();

    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .error
            .to_string()
            .contains("no shared outbound number"),
        "{refused:?}"
    );
}

async fn start_test_call(client: &mut Client<'_>, id: Uuid) -> TestCallStart {
    client
        .call(StartTestCall {
            slug: "demo".into(),
            id,
        })
        .await
        .unwrap()
}

async fn report_test_call(
    client: &mut Client<'_>,
    id: Uuid,
    call_id: &str,
) -> Result<TestCallState, Refused> {
    client
        .call(UpdateTestCall {
            slug: "demo".into(),
            id,
            call_id: call_id.into(),
        })
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

async fn total_calls(app: &TestApp, id: Uuid) -> i32 {
    app::db::entity::agent::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .total_calls
}

#[tokio::test]
async fn a_vapi_browser_call_is_created_by_the_page_and_stored_from_the_provider() {
    let (app, sim, sim_url) = app_with_sim_at().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let id = create(&mut owner, &draft(AgentProvider::Vapi))
        .await
        .unwrap();
    let assistant = detail(&mut owner, id).await.external_id.unwrap();

    let launch = start_test_call(&mut owner, id).await;
    assert_eq!(
        launch,
        TestCallStart::Browser(WebCallLaunch::Vapi {
            public_key: VAPI_PUBLIC_KEY.into(),
            assistant_id: assistant.clone(),
            api_base_url: sim_url.clone(),
        }),
        "the page gets the public key only"
    );
    assert_eq!(
        serde_json::to_value(&launch).unwrap(),
        json!({"Browser": {"provider": "vapi", "publicKey": VAPI_PUBLIC_KEY,
            "assistantId": assistant, "apiBaseUrl": sim_url}}),
        "in the shape the page's call module reads"
    );

    // The web SDK creates the call with the public key, as the page does.
    let call_id = browser_creates_vapi_call(&sim_url, &assistant).await;

    let reported = report_test_call(&mut owner, id, &call_id).await.unwrap();
    assert_eq!(reported.status, CallStatus::Initiated);
    let call = stored_call(&app, &call_id).await;
    assert_eq!(
        (call.direction, call.is_test, call.provider),
        (CallDirection::Web, true, AgentProvider::Vapi)
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
        let ended = report_test_call(&mut owner, id, &call_id).await.unwrap();
        assert_eq!(ended.status, CallStatus::Completed);
        assert_eq!(ended.duration_seconds, 65);
    }
    let call = stored_call(&app, &call_id).await;
    assert_eq!(call.status, CallStatus::Completed);
    assert_eq!(call.duration_seconds, 65);
    assert_eq!(call.transcript[1]["text"], "Do you open on Saturdays?");
    assert_eq!(call.transcript[0]["role"], "agent");
    assert!(call.recording_url.unwrap().ends_with("-mono.wav"));
    assert_eq!(call.end_reason.as_deref(), Some("customer-ended-call"));
    assert_eq!(total_calls(&app, id).await, 1, "counted once");
    let calls = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(calls.len(), 1);
}

#[tokio::test]
async fn a_retell_browser_call_is_stored_when_created_and_completed_when_it_ends() {
    let (app, sim, sim_url) = app_with_sim_at().await;
    let mut owner = owner_of_demo(&app).await;
    connect_providers(&mut owner).await;
    let id = create(&mut owner, &draft(AgentProvider::Retell))
        .await
        .unwrap();

    let launch = start_test_call(&mut owner, id).await;
    let TestCallStart::Browser(WebCallLaunch::Retell {
        call_id,
        access_token,
        url,
    }) = launch
    else {
        panic!("a Retell browser call: {launch:?}");
    };
    assert_eq!(url, sim_url.replacen("http://", "ws://", 1));
    assert!(access_token.starts_with("eyJ"));
    assert_eq!(
        stored_call(&app, &call_id).await.status,
        CallStatus::Initiated
    );

    assert!(sim.end_call(&call_id, &[("agent", "Hello!"), ("user", "Bye.")], 30));
    report_test_call(&mut owner, id, &call_id).await.unwrap();
    let call = stored_call(&app, &call_id).await;
    assert_eq!(
        (call.status, call.duration_seconds),
        (CallStatus::Completed, 30)
    );
    assert_eq!(call.cost_cents, 3);
    assert_eq!(call.summary.as_deref(), Some("The caller tried the agent."));
    assert_eq!(total_calls(&app, id).await, 1);
}

#[tokio::test]
async fn reports_of_calls_that_are_not_the_agents_change_nothing() {
    let (app, _sim, sim_url) = app_with_sim_at().await;
    let ws = demo(&app).await;
    let mut owner = ws.org.person(PartnerRole::Owner).await.client().await;
    connect_providers(&mut owner).await;
    let first = create(&mut owner, &draft(AgentProvider::Vapi))
        .await
        .unwrap();
    let second = create(&mut owner, &draft(AgentProvider::Vapi))
        .await
        .unwrap();
    let assistant = detail(&mut owner, second).await.external_id.unwrap();
    let other_agents_call = &browser_creates_vapi_call(&sim_url, &assistant).await;

    let wrong_agent = report_test_call(&mut owner, first, other_agents_call)
        .await
        .unwrap_err();
    assert_eq!(wrong_agent.status, StatusCode::NOT_FOUND);
    let unknown = report_test_call(&mut owner, first, "4b1d0000-0000-4000-8000-000000000000")
        .await
        .unwrap_err();
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let sneaky = report_test_call(&mut owner, first, "../assistant")
        .await
        .unwrap_err();
    assert_eq!(sneaky.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sneaky.error.field("call_id").is_some(), "{sneaky:?}");
    let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;
    let refused = report_test_call(&mut viewer, second, other_agents_call)
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let stored = app::db::entity::conversation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(stored.is_empty(), "{stored:?}");
}
