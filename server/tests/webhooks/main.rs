//! Call events from the providers: signed sequences in every order and repeated, with one
//! conversation and one charge per call; bad proofs and unreadable bodies change nothing.
//! Money under load and from the sweep in `charges`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod charges;
#[path = "../common/mod.rs"]
mod common;

use app::agents::model::{AgentProvider, SyncStatus};
use app::billing::model::BilledTo;
use app::calls::model::{CallDirection, CallStatus};
use app::db::entity::{conversation, credit_transaction, credit_wallet, workspace};
use app::providers::webhook::sign;
use app::tenancy::model::PartnerRole;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::voice_sim::{
    RETELL_KEY, VAPI_KEY, VAPI_PUBLIC_KEY, VoiceSim, browser_creates_vapi_call,
};
use common::{PLATFORM_HOST, TestApp, TestResponse};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

struct Setup {
    app: TestApp,
    sim: VoiceSim,
    sim_url: String,
    workspace: workspace::Model,
    vapi_assistant: String,
    retell_agent: String,
}

/// Workspace `demo` of the platform organisation, with VAPI and Retell integrations and
/// one synced agent on each.
async fn setup() -> Setup {
    let (sim, url) = VoiceSim::start().await;
    let sim_url = url.clone();
    let app = TestApp::with_config(move |config| {
        config.providers.vapi = url.clone();
        config.providers.retell = url;
    })
    .await;
    let (workspace, vapi_assistant, retell_agent) = connect_and_create_agents(&app).await;
    Setup {
        app,
        sim,
        sim_url,
        workspace,
        vapi_assistant,
        retell_agent,
    }
}

/// Builds workspace `demo`, connects VAPI and Retell as an owner of the organisation and
/// makes an agent on each; answers the workspace and the agents' ids at the providers.
async fn connect_and_create_agents(app: &TestApp) -> (workspace::Model, String, String) {
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let mut owner = org.person(PartnerRole::Owner).await.client().await;
    common::agents::connect(&mut owner, "vapi", VAPI_KEY, VAPI_PUBLIC_KEY, "").await;
    common::agents::connect(&mut owner, "retell", RETELL_KEY, "", "").await;
    let mut ids = vec![];
    for provider in [AgentProvider::Vapi, AgentProvider::Retell] {
        let draft = common::agents::draft(provider, &format!("{} desk", provider.as_str()));
        let id = common::agents::create(&mut owner, &demo.slug(), &draft)
            .await
            .unwrap();
        let agent = common::agents::detail(&mut owner, &demo.slug(), id).await;
        assert_eq!(agent.summary.sync_status, SyncStatus::Synced, "{agent:?}");
        ids.push(agent.external_id.unwrap());
    }
    let retell_agent = ids.pop().unwrap();
    let vapi_assistant = ids.pop().unwrap();
    (demo.workspace, vapi_assistant, retell_agent)
}

async fn deliver(
    app: &TestApp,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> TestResponse {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", PLATFORM_HOST)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    app.request(request.body(Body::from(body.to_vec())).unwrap())
        .await
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn retell_event(event: &str, call_id: &str, agent: &str) -> Vec<u8> {
    let mut call = json!({
        "call_type": "phone_call", "call_id": call_id, "agent_id": agent, "agent_version": 1,
        "direction": "inbound", "from_number": "+15551234567", "to_number": "+14155550100",
        "call_status": "ongoing", "start_timestamp": 1_767_225_605_000_i64,
    });
    if event != "call_started" {
        call["call_status"] = json!("ended");
        call["end_timestamp"] = json!(1_767_225_730_000_i64);
        call["duration_ms"] = json!(125_000);
        call["disconnection_reason"] = json!("user_hangup");
        call["transcript_object"] = json!([
            {"role": "agent", "content": "Thanks for calling Acme Dental!", "words": []},
            {"role": "user", "content": "Can I book a cleaning?", "words": []},
        ]);
        call["recording_url"] = json!(format!("https://example.com/{call_id}.wav"));
    }
    if event == "call_analyzed" {
        call["call_analysis"] = json!({
            "call_summary": "Booked a cleaning.", "user_sentiment": "Positive", "call_successful": true
        });
    }
    serde_json::to_vec(&json!({ "event": event, "call": call })).unwrap()
}

/// What a workspace starts with (the free tier's credit).
const START: i64 = app::billing::model::FREE_TIER_GRANT_CENTS;

async fn balance(app: &TestApp, workspace_id: Uuid) -> i64 {
    credit_wallet::Entity::find()
        .filter(credit_wallet::Column::WorkspaceId.eq(workspace_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .map_or(START, |w| w.balance_cents)
}

async fn calls_with(app: &TestApp, call_id: &str) -> Vec<conversation::Model> {
    conversation::Entity::find()
        .filter(conversation::Column::ExternalId.eq(call_id))
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn usage_entries(app: &TestApp) -> Vec<credit_transaction::Model> {
    credit_transaction::Entity::find()
        .filter(credit_transaction::Column::Kind.eq("usage"))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// Every order of three events.
const ORDERS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
];

#[tokio::test]
async fn retell_events_in_any_order_and_repeated_store_and_charge_a_call_once() {
    let s = setup().await;
    let path = format!("/api/webhooks/w/{}/retell", s.workspace.id);
    for (n, order) in ORDERS.iter().enumerate() {
        let call_id = format!("call_order_{n}");
        let events: Vec<Vec<u8>> = ["call_started", "call_ended", "call_analyzed"]
            .iter()
            .map(|e| retell_event(e, &call_id, &s.retell_agent))
            .collect();
        // Each event three times, the copies interleaved.
        for round in 0..3 {
            for &i in order {
                let body = &events[i];
                let signature = sign(RETELL_KEY, body, now_ms() - round * 1000);
                let answer =
                    deliver(&s.app, &path, &[("x-retell-signature", signature)], body).await;
                assert_eq!(answer.status, StatusCode::OK, "{order:?}: {}", answer.body);
            }
        }
        let stored = calls_with(&s.app, &call_id).await;
        assert_eq!(stored.len(), 1, "{order:?}");
        let call = &stored[0];
        assert_eq!(call.status, CallStatus::Completed, "{order:?}");
        assert_eq!(call.duration_seconds, 125);
        assert_eq!(
            call.sentiment.as_deref(),
            Some("positive"),
            "{order:?}: analysis kept"
        );
        assert_eq!(call.summary.as_deref(), Some("Booked a cleaning."));
        assert_eq!(call.successful, Some(true));
        assert_eq!(call.transcript.as_array().unwrap().len(), 2);
        assert_eq!(call.phone_number.as_deref(), Some("+15551234567"));
        assert_eq!(call.direction, CallDirection::Inbound);
        assert_eq!(
            (call.billed_minutes, call.billed_cents),
            (3, 60),
            "{order:?}"
        );
        assert!(call.agent_id.is_some());
    }
    assert_eq!(usage_entries(&s.app).await.len(), 6);
    assert_eq!(balance(&s.app, s.workspace.id).await, START - 6 * 60);
}

#[tokio::test]
async fn vapi_reports_in_either_order_and_repeated_charge_once() {
    let s = setup().await;
    let path = format!("/api/webhooks/w/{}/vapi", s.workspace.id);
    let secret = app::integrations::voice::webhook_secret(&s.app.state, s.workspace.id);
    for (n, reversed) in [false, true].into_iter().enumerate() {
        let call = json!({"id": format!("9e0f0000-0000-4000-8000-00000000000{n}"), "type": "webCall",
            "status": "queued", "assistantId": s.vapi_assistant});
        let update =
            json!({"message": {"type": "status-update", "status": "in-progress", "call": call}});
        let report = json!({"message": {"type": "end-of-call-report", "endedReason": "customer-ended-call",
            "startedAt": "2026-01-01T00:00:05.000Z", "endedAt": "2026-01-01T00:00:50.000Z", "cost": 0.05,
            "artifact": {"messages": [{"role": "bot", "message": "Hi!", "secondsFromStart": 0.4}],
                "recordingUrl": "https://storage.vapi.ai/x.wav"},
            "analysis": {"summary": "Said hello.", "successEvaluation": "false"}, "call": call}});
        let mut events = vec![update, report];
        if reversed {
            events.reverse();
        }
        for _ in 0..3 {
            for event in &events {
                let answer = deliver(
                    &s.app,
                    &path,
                    &[("x-vapi-secret", secret.clone())],
                    &serde_json::to_vec(event).unwrap(),
                )
                .await;
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            }
        }
        let stored = calls_with(&s.app, call["id"].as_str().unwrap()).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(
            (
                stored[0].status,
                stored[0].duration_seconds,
                stored[0].billed_cents
            ),
            (CallStatus::Completed, 45, 20),
            "reversed: {reversed}"
        );
        assert_eq!(stored[0].successful, Some(false));
        assert_eq!(stored[0].direction, CallDirection::Web);
    }
    assert_eq!(usage_entries(&s.app).await.len(), 2);
    assert_eq!(balance(&s.app, s.workspace.id).await, START - 40);
}

/// A delivery attempt: path, headers, body, and the answer it must get.
type Attempt<'a> = (&'a str, Vec<(&'a str, String)>, Vec<u8>, StatusCode);

#[tokio::test]
async fn bad_proofs_and_unreadable_bodies_change_nothing() {
    let s = setup().await;
    let retell = format!("/api/webhooks/w/{}/retell", s.workspace.id);
    let vapi = format!("/api/webhooks/w/{}/vapi", s.workspace.id);
    let body = retell_event("call_ended", "call_bad", &s.retell_agent);
    let secret = app::integrations::voice::webhook_secret(&s.app.state, s.workspace.id);
    let stranger = format!("/api/webhooks/w/{}/retell", Uuid::now_v7());
    let twilio = format!("/api/webhooks/w/{}/twilio", s.workspace.id);
    let cases: Vec<Attempt<'_>> = vec![
        (&retell, vec![], body.clone(), StatusCode::UNAUTHORIZED),
        (
            &retell,
            vec![("x-retell-signature", sign("key_other", &body, now_ms()))],
            body.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            &retell,
            vec![(
                "x-retell-signature",
                sign(RETELL_KEY, &body, now_ms() - 600_000),
            )],
            body.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            &retell,
            vec![("x-retell-signature", sign(RETELL_KEY, b"{}", now_ms()))],
            body.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            &retell,
            vec![(
                "x-retell-signature",
                sign(RETELL_KEY, b"not json", now_ms()),
            )],
            b"not json".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            &retell,
            vec![(
                "x-retell-signature",
                sign(RETELL_KEY, b"{\"event\":\"call_ended\"}", now_ms()),
            )],
            b"{\"event\":\"call_ended\"}".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            &vapi,
            vec![("x-vapi-secret", "guess".into())],
            body.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            &vapi,
            vec![("x-vapi-secret", secret.clone())],
            b"[1,2".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/webhooks/w/not-a-uuid/retell",
            vec![],
            body.clone(),
            StatusCode::NOT_FOUND,
        ),
        (&stranger, vec![], body.clone(), StatusCode::NOT_FOUND),
        (&twilio, vec![], body.clone(), StatusCode::NOT_FOUND),
    ];
    for (path, headers, body, expected) in cases {
        let answer = deliver(&s.app, path, &headers, &body).await;
        assert_eq!(
            answer.status, expected,
            "{path} {headers:?}: {}",
            answer.body
        );
        assert!(answer.json()["error"].is_string(), "{}", answer.body);
    }
    let too_big = vec![b' '; 3 * 1024 * 1024];
    let answer = deliver(&s.app, &retell, &[], &too_big).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        conversation::Entity::find()
            .all(&s.app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(usage_entries(&s.app).await.is_empty());
}

#[tokio::test]
async fn the_global_address_finds_the_workspace_from_the_agent() {
    let s = setup().await;
    let body = retell_event("call_ended", "call_global", &s.retell_agent);
    let answer = deliver(
        &s.app,
        "/api/webhooks/retell",
        &[("x-retell-signature", sign(RETELL_KEY, &body, now_ms()))],
        &body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        calls_with(&s.app, "call_global").await[0].workspace_id,
        s.workspace.id
    );
    let stranger = retell_event("call_ended", "call_stranger", "agent_unknown");
    let answer = deliver(
        &s.app,
        "/api/webhooks/retell",
        &[("x-retell-signature", sign(RETELL_KEY, &stranger, now_ms()))],
        &stranger,
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(calls_with(&s.app, "call_stranger").await.is_empty());
}
