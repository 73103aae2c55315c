//! Credits and the paywall through the server functions: a workspace starts with the free
//! tier's credit, calls spend it, organisation admins grant, take back and reprice it (with
//! reasons, audited), and a workspace at zero is read-only until it has credit again.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::model::AgentProvider;
use app::billing::model::FREE_TIER_GRANT_CENTS;
use app::calls::model::CallStatus;
use app::db::entity::{conversation, workspace};
use axum::http::StatusCode;
use common::{ACME_HOST, Client, PLATFORM_HOST, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

async fn create_agent(client: &Client<'_>) -> StatusCode {
    common::agents::create(client, &sandbox_agent())
        .await
        .status
}

fn sandbox_agent() -> app::agents::model::AgentDraft {
    common::agents::draft(AgentProvider::Sandbox, "Front desk")
}

async fn credits(client: &Client<'_>) -> Value {
    let response = client.get("/api/billing/credits?slug=demo").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn ledger(client: &Client<'_>) -> Vec<Value> {
    let response = client.get("/api/billing/ledger?slug=demo&page=1").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["entries"].as_array().unwrap().clone()
}

async fn adjust(
    client: &mut Client<'_>,
    ws: &workspace::Model,
    amount: &str,
) -> common::TestResponse {
    client
        .post(
            "/api/org/billing/adjust",
            &[
                ("workspace_id", &ws.id.to_string()),
                ("amount", amount),
                ("reason", "Pilot agreement"),
            ],
        )
        .await
}

/// Runs a Sandbox test call on the first agent and returns the stored call.
async fn sandbox_call(app: &TestApp, client: &mut Client<'_>) -> conversation::Model {
    let agents = client.get("/api/agents/list?slug=demo").await.json();
    let id = agents[0]["id"].as_str().unwrap().to_owned();
    let started = client
        .post("/api/agents/test-call", &[("slug", "demo"), ("id", &id)])
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let id = started.json()["Sandbox"]["conversation_id"]
        .as_str()
        .unwrap()
        .parse::<uuid::Uuid>()
        .unwrap();
    conversation::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_workspace_starts_with_free_credit_and_each_call_spends_its_minutes() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let before = credits(&owner).await;
    assert_eq!(before["balance_cents"], FREE_TIER_GRANT_CENTS);
    assert_eq!(before["rate_cents"], 20);
    assert_eq!(before["paywalled"], false);

    assert_eq!(create_agent(&owner).await, StatusCode::OK);
    let call = sandbox_call(&app, &mut owner).await;
    assert_eq!(call.status, CallStatus::Completed);
    let minutes = i64::from(call.duration_seconds + 59) / 60;
    assert!(minutes > 0);
    assert_eq!(i64::from(call.billed_minutes), minutes);
    assert_eq!(call.billed_cents, minutes * 20);

    let after = credits(&owner).await;
    assert_eq!(after["balance_cents"], FREE_TIER_GRANT_CENTS - minutes * 20);
    let entries = ledger(&owner).await;
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["usage", "adjustment"], "newest first");
    assert_eq!(entries[0]["amount_cents"], -minutes * 20);
    assert_eq!(entries[0]["conversation_id"], call.id.to_string());
    assert_eq!(entries[1]["balance_after_cents"], FREE_TIER_GRANT_CENTS);

    // Viewers see the balance and the page; the page shows the figures.
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    assert_eq!(credits(&viewer).await, after);
    let page = viewer.get("/w/demo/billing").await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = app::billing::model::dollars(FREE_TIER_GRANT_CENTS - minutes * 20);
    assert!(page.body.contains(&shown), "the page shows {shown}");
    assert!(page.body.contains("Free tier credit"));
}

#[tokio::test]
async fn a_workspace_at_zero_is_read_only_until_an_admin_grants_credit() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let ws = app.workspace("genius365", "demo").await;
    assert_eq!(create_agent(&owner).await, StatusCode::OK);

    // The organisation takes the free credit back: the workspace is at zero.
    let taken = adjust(&mut owner, &ws, "-10").await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(taken.json()["paywalled"], true);

    // Every change is refused with 402 and the way to billing; nothing is stored.
    let refused = owner
        .post_json(
            "/api/agents/create",
            &json!({"slug": "demo", "draft": sandbox_agent()}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYMENT_REQUIRED);
    let body = refused.json();
    assert_eq!(body["detail"]["billing_url"], "/w/demo/billing");
    assert!(
        body["detail"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{body}"
    );
    let agents = owner.get("/api/agents/list?slug=demo").await;
    assert_eq!(agents.status, StatusCode::OK, "reading still works");
    assert_eq!(agents.json().as_array().unwrap().len(), 1);
    let id = agents.json()[0]["id"].as_str().unwrap().to_owned();
    for (path, form) in [
        (
            "/api/agents/test-call",
            vec![("slug", "demo"), ("id", id.as_str())],
        ),
        (
            "/api/agents/delete",
            vec![("slug", "demo"), ("id", id.as_str())],
        ),
        (
            "/api/workspace/invite",
            vec![
                ("slug", "demo"),
                ("email", "new@example.com"),
                ("role", "viewer"),
                ("message", ""),
            ],
        ),
    ] {
        let answer = owner.post(path, &form).await;
        assert_eq!(
            answer.status,
            StatusCode::PAYMENT_REQUIRED,
            "{path}: {}",
            answer.body
        );
    }
    assert_eq!(
        conversation::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len(),
        0,
        "no call was placed"
    );
    // The banner says so on every page; billing stays open.
    let page = owner.get("/w/demo/agents").await;
    assert!(page.body.contains("paywall-banner"));
    assert_eq!(owner.get("/w/demo/billing").await.status, StatusCode::OK);

    // Taking back more than is there is refused; granting lifts the paywall.
    let overdrawn = adjust(&mut owner, &ws, "-0.01").await;
    assert_eq!(overdrawn.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overdrawn.body.contains("at most $0.00 can be taken back"),
        "{}",
        overdrawn.body
    );
    let granted = adjust(&mut owner, &ws, "$4").await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert_eq!(granted.json()["balance_cents"], 400);
    assert_eq!(create_agent(&owner).await, StatusCode::OK);
    let page = owner.get("/w/demo/agents").await;
    assert!(!page.body.contains("paywall-banner"));
    assert!(
        page.body.contains("low-balance-banner"),
        "$4 is below the $5 threshold"
    );

    // Who did what, and why, is in the ledger and the audit log.
    let entries = ledger(&owner).await;
    assert_eq!(entries[0]["actor"], "Demo Owner");
    assert!(
        entries[0]["description"]
            .as_str()
            .unwrap()
            .contains("Pilot agreement")
    );
    let audited = app.audit_actions().await;
    assert_eq!(
        audited.iter().filter(|a| *a == "credits.adjusted").count(),
        2
    );

    // A billing-exempt workspace is never paywalled: its minutes go to the organisation.
    assert_eq!(adjust(&mut owner, &ws, "-4").await.status, StatusCode::OK);
    let mut exempt: workspace::ActiveModel = ws.clone().into();
    exempt.is_billing_exempt = Set(true);
    exempt.update(&app.state.db).await.unwrap();
    assert_eq!(create_agent(&owner).await, StatusCode::OK);
}

#[tokio::test]
async fn adjustments_and_rates_are_checked_and_audited() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let ws = app.workspace("genius365", "demo").await;
    for (amount, reason, field, says) in [
        ("abc", "Pilot", "amount", "not an amount"),
        ("0", "Pilot", "amount", "cannot be zero"),
        ("1.234", "Pilot", "amount", "two decimals"),
        ("100000.01", "Pilot", "amount", "At most"),
        ("-11", "Pilot", "amount", "at most $10.00 can be taken back"),
        ("5", " x ", "reason", "3 to 500 characters"),
    ] {
        let answer = owner
            .post(
                "/api/org/billing/adjust",
                &[
                    ("workspace_id", &ws.id.to_string()),
                    ("amount", amount),
                    ("reason", reason),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        let body = answer.json();
        let message = body["detail"]["fields"][field][0]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(says), "{amount}: {body}");
    }
    assert_eq!(
        credits(&owner).await["balance_cents"],
        FREE_TIER_GRANT_CENTS
    );
    assert!(ledger(&owner).await.is_empty(), "nothing was booked");

    for bad in ["0", "1001", "2.5", "cheap"] {
        let answer = owner
            .post(
                "/api/org/billing/rate",
                &[("workspace_id", &ws.id.to_string()), ("rate_cents", bad)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(answer.body.contains("from 1 to 1000"), "{}", answer.body);
    }
    let set = owner
        .post(
            "/api/org/billing/rate",
            &[("workspace_id", &ws.id.to_string()), ("rate_cents", "50")],
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(credits(&owner).await["rate_cents"], 50);
    assert!(
        app.audit_actions()
            .await
            .contains(&"workspace.rate_changed".to_owned())
    );

    // The next call is charged at the new rate.
    assert_eq!(create_agent(&owner).await, StatusCode::OK);
    let call = sandbox_call(&app, &mut owner).await;
    let minutes = i64::from(call.duration_seconds + 59) / 60;
    assert_eq!(call.billed_cents, minutes * 50);

    // Workspace members who are not organisation admins cannot grant themselves credit,
    // and another organisation's admin cannot reach this workspace.
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    assert_eq!(
        adjust(&mut viewer, &ws, "100").await.status,
        StatusCode::FORBIDDEN
    );
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    assert_eq!(
        adjust(&mut acme, &ws, "100").await.status,
        StatusCode::NOT_FOUND
    );
    let listed = acme.get("/api/org/billing/workspaces").await;
    assert!(!listed.body.contains("\"demo\""), "{}", listed.body);
    assert_eq!(
        credits(&owner).await["balance_cents"],
        FREE_TIER_GRANT_CENTS - minutes * 50
    );
}

#[tokio::test]
async fn fifty_test_calls_started_at_once_on_one_minute_of_credit_admit_one() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let ws = app.workspace("genius365", "demo").await;
    assert_eq!(create_agent(&owner).await, StatusCode::OK);
    // One minute left at 20¢ a minute.
    let left = adjust(&mut owner, &ws, "-9.80").await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    assert_eq!(credits(&owner).await["balance_cents"], 20);
    let agents = owner.get("/api/agents/list?slug=demo").await.json();
    let agent_id = agents[0]["id"].as_str().unwrap().to_owned();
    let cookie = owner.cookie.clone();

    let starts = (0..50).map(|_| {
        let mut caller = app.client(PLATFORM_HOST);
        caller.cookie = cookie.clone();
        let agent_id = agent_id.clone();
        async move {
            caller
                .post(
                    "/api/agents/test-call",
                    &[("slug", "demo"), ("id", &agent_id)],
                )
                .await
        }
    });
    let answers = futures::future::join_all(starts).await;

    let admitted: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .collect();
    let refused = answers
        .iter()
        .filter(|a| a.status == StatusCode::PAYMENT_REQUIRED)
        .count();
    assert_eq!(
        admitted.len(),
        1,
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert_eq!(refused, 49);
    let call_seconds = admitted[0].json()["Sandbox"]["duration_seconds"]
        .as_i64()
        .unwrap();
    let one_call = (call_seconds + 59) / 60 * 20;
    let balance = credits(&owner).await["balance_cents"].as_i64().unwrap();
    assert_eq!(balance, 20 - one_call, "exactly one call was charged");
}

#[tokio::test]
async fn two_removals_at_once_cannot_take_back_more_than_the_balance() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let ws = app.workspace("genius365", "demo").await;
    let cookie = owner.cookie.clone();

    let removals = (0..2).map(|_| {
        let mut admin = app.client(PLATFORM_HOST);
        admin.cookie = cookie.clone();
        let ws = ws.clone();
        async move { adjust(&mut admin, &ws, "-6.00").await }
    });
    let answers = futures::future::join_all(removals).await;

    let statuses: Vec<_> = answers.iter().map(|a| a.status).collect();
    assert!(
        statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}"
    );
    let refused = answers
        .iter()
        .find(|a| a.status == StatusCode::UNPROCESSABLE_ENTITY)
        .unwrap();
    assert!(
        refused.body.contains("at most $4.00 can be taken back"),
        "{}",
        refused.body
    );
    assert_eq!(credits(&owner).await["balance_cents"], 400);
}
