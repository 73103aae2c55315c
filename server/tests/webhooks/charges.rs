//! What calls cost under stress: billing-exempt workspaces charge their partner, many calls
//! finishing at once leave the exact balance, calls whose news never came are asked about
//! and charged once, and impossible durations or costs are refused.

use super::*;

#[tokio::test]
async fn billing_exempt_workspaces_charge_their_partner() {
    let s = setup().await;
    let mut exempt: workspace::ActiveModel = s.workspace.clone().into();
    exempt.is_billing_exempt = Set(true);
    exempt.update(&s.app.state.db).await.unwrap();
    let body = retell_event("call_ended", "call_exempt", &s.retell_agent);
    let answer = deliver(
        &s.app,
        &format!("/api/webhooks/w/{}/retell", s.workspace.id),
        &[("x-retell-signature", sign(RETELL_KEY, &body, now_ms()))],
        &body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let partner_wallet = credit_wallet::Entity::find()
        .filter(credit_wallet::Column::PartnerId.eq(s.workspace.partner_id))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        partner_wallet.balance_cents, -45,
        "3 minutes at the partner's 15¢"
    );
    assert_eq!(balance(&s.app, s.workspace.id).await, START);
    assert_eq!(
        calls_with(&s.app, "call_exempt").await[0].billed_to,
        Some(BilledTo::Partner)
    );
}

#[tokio::test]
async fn two_hundred_calls_ending_at_once_leave_the_exact_balance() {
    let s = setup().await;
    let path = format!("/api/webhooks/w/{}/sandbox", s.workspace.id);
    let app = std::sync::Arc::new(s.app);
    let mut tasks = vec![];
    for n in 0..200 {
        let (app, path) = (app.clone(), path.clone());
        let workspace_id = s.workspace.id;
        tasks.push(tokio::spawn(async move {
            let record = app::providers::CallRecord {
                external_id: format!("sbx_call_{n:03}"),
                status: CallStatus::Completed,
                duration_seconds: 61 + n % 60,
                ..Default::default()
            };
            let body = app::providers::sandbox::event_body(&record);
            let signature =
                app::calls::webhooks::sandbox_signature(&app.state, workspace_id, &body);
            // The same completion twice, as a provider retrying would.
            let mut statuses = vec![];
            for _ in 0..2 {
                statuses.push(
                    deliver(
                        &app,
                        &path,
                        &[("x-sandbox-signature", signature.clone())],
                        &body,
                    )
                    .await
                    .status,
                );
            }
            statuses
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), [StatusCode::OK, StatusCode::OK]);
    }
    // 61–119 s are two minutes each: 200 calls × 2 minutes × 20¢.
    assert_eq!(balance(&app, s.workspace.id).await, START - 8000);
    let entries = usage_entries(&app).await;
    assert_eq!(entries.len(), 200);
    let mut after: Vec<i64> = entries.iter().map(|e| e.balance_after_cents).collect();
    after.sort_unstable();
    let expected: Vec<i64> = (1..=200).rev().map(|k| START - 40 * k).collect();
    assert_eq!(
        after, expected,
        "each entry saw the balance its own charge left"
    );
}

#[tokio::test]
async fn calls_whose_news_never_came_are_asked_about_and_charged_once() {
    let s = setup().await;
    let db = &s.app.state.db;
    let agent = app::db::entity::agent::Entity::find()
        .filter(app::db::entity::agent::Column::ExternalId.eq(&s.vapi_assistant))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    // A web call the browser created at VAPI; its webhooks will never arrive.
    let call_id = browser_creates_vapi_call(&s.sim_url, &s.vapi_assistant).await;
    let started = |external_id: String| app::calls::service::StartedCall {
        workspace_id: s.workspace.id,
        agent_id: Some(agent.id),
        provider: AgentProvider::Vapi,
        external_id,
        direction: CallDirection::Web,
        phone_number: None,
        caller_name: None,
        is_test: true,
    };
    app::calls::service::record_started(db, started(call_id.clone()))
        .await
        .unwrap();
    // And one VAPI has never heard of.
    app::calls::service::record_started(db, started("lost-call".into()))
        .await
        .unwrap();
    let sweep = |minutes: i64| {
        let state = s.app.state.clone();
        async move {
            app::calls::poll::sweep(
                &state,
                None,
                chrono::Utc::now() + chrono::Duration::minutes(minutes),
            )
            .await
            .unwrap()
        }
    };

    assert_eq!(sweep(0).await.asked, 0, "calls just placed are left alone");
    let early = sweep(3).await;
    assert_eq!((early.asked, early.given_up, early.errors), (2, 0, 0));
    assert_eq!(calls_with(&s.app, &call_id).await[0].billed_cents, 0);

    assert!(
        s.sim
            .end_call(&call_id, &[("assistant", "Hello!"), ("user", "Bye.")], 65)
    );
    let after = sweep(6).await;
    assert_eq!(after.updated, 1);
    let call = &calls_with(&s.app, &call_id).await[0];
    assert_eq!(call.status, CallStatus::Completed);
    assert_eq!(call.duration_seconds, 65);
    assert_eq!(call.billed_cents, 40);
    assert_eq!(balance(&s.app, s.workspace.id).await, START - 40);

    // Finished calls are not asked about again; the unknown one is closed after a day.
    let later = sweep(25 * 60).await;
    assert_eq!((later.asked, later.given_up), (1, 1));
    let lost = &calls_with(&s.app, "lost-call").await[0];
    assert_eq!(lost.status, CallStatus::Failed);
    assert_eq!(lost.end_reason.as_deref(), Some("no-final-report"));
    assert_eq!(lost.billed_cents, 0);
    assert_eq!(sweep(26 * 60).await.asked, 0);
    assert_eq!(
        balance(&s.app, s.workspace.id).await,
        START - 40,
        "charged once"
    );
    assert_eq!(usage_entries(&s.app).await.len(), 1);
}

#[tokio::test]
async fn reports_of_impossible_durations_or_costs_are_refused_and_stored_nowhere() {
    let s = setup().await;
    let retell = format!("/api/webhooks/w/{}/retell", s.workspace.id);
    let vapi = format!("/api/webhooks/w/{}/vapi", s.workspace.id);
    let secret = app::integrations::voice::webhook_secret(&s.app.state, s.workspace.id);
    let mut cases = vec![];
    for (call_id, duration_ms) in [
        ("call_wraps", i64::from(i32::MAX) * 1000),
        ("call_huge", i64::MAX),
        ("call_negative", -60_000),
        ("call_day_and_a_second", (24 * 3600 + 1) * 1000),
    ] {
        let mut event: serde_json::Value =
            serde_json::from_slice(&retell_event("call_ended", call_id, &s.retell_agent)).unwrap();
        event["call"]["duration_ms"] = json!(duration_ms);
        cases.push((call_id, retell.clone(), "x-retell-signature", event));
    }
    let mut costly: serde_json::Value =
        serde_json::from_slice(&retell_event("call_ended", "call_costly", &s.retell_agent))
            .unwrap();
    costly["call"]["call_cost"] = json!({"combined_cost": -500.0});
    cases.push(("call_costly", retell.clone(), "x-retell-signature", costly));
    let vapi_year = json!({"message": {
        "type": "end-of-call-report",
        "call": {"id": "vapi_year", "assistantId": s.vapi_assistant, "type": "webCall",
                 "status": "ended", "startedAt": "2025-01-01T00:00:00Z",
                 "endedAt": "2026-01-01T00:00:00Z", "endedReason": "customer-ended-call"},
    }});
    cases.push(("vapi_year", vapi.clone(), "x-vapi-secret", vapi_year));

    for (call_id, path, header, event) in cases {
        let body = serde_json::to_vec(&event).unwrap();
        let proof = if header == "x-vapi-secret" {
            secret.clone()
        } else {
            sign(RETELL_KEY, &body, now_ms())
        };
        let answer = deliver(&s.app, &path, &[(header, proof)], &body).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{call_id}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("outside"),
            "{call_id}: {}",
            answer.body
        );
        assert!(
            calls_with(&s.app, call_id).await.is_empty(),
            "{call_id} was stored"
        );
    }
    assert_eq!(balance(&s.app, s.workspace.id).await, START);
    assert!(usage_entries(&s.app).await.is_empty());

    // A day exactly is a call; it is charged 1,440 minutes.
    let mut day: serde_json::Value =
        serde_json::from_slice(&retell_event("call_ended", "call_day", &s.retell_agent)).unwrap();
    day["call"]["duration_ms"] = json!(24 * 3600 * 1000);
    let body = serde_json::to_vec(&day).unwrap();
    let answer = deliver(
        &s.app,
        &retell,
        &[("x-retell-signature", sign(RETELL_KEY, &body, now_ms()))],
        &body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(balance(&s.app, s.workspace.id).await, START - 1440 * 20);
    assert!(
        usage_entries(&s.app)
            .await
            .iter()
            .all(|e| e.amount_cents < 0)
    );
}
