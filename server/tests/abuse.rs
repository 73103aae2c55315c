//! Limits where money or mail can be spent: "call me" and browser test calls per person
//! and workspace, invitation emails per person and organisation, and the organisation's
//! workspace limit for client invitations as for every other way of making a workspace.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::model::AgentProvider;
use app::auth::rate_limit::{CALL_ME_PER_USER, INVITES_PER_USER};
use axum::http::StatusCode;
use common::{ACME_HOST, PLATFORM_HOST, TestApp};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

#[tokio::test]
async fn call_me_past_the_hourly_limit_is_refused_with_when_to_retry() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let draft = common::agents::draft(AgentProvider::Sandbox, "Front desk");
    let id = common::agents::create(&mut owner, "demo", &draft)
        .await
        .unwrap()
        .to_string();

    let mut answers = vec![];
    for _ in 0..=CALL_ME_PER_USER.max {
        let answer = owner
            .post(
                "/api/agents/call-me",
                &[
                    ("slug", "demo"),
                    ("id", &id),
                    ("number", "+14155550100"),
                    ("name", "Dana"),
                ],
            )
            .await;
        answers.push(answer);
    }

    let placed = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .count();
    assert_eq!(placed as u64, CALL_ME_PER_USER.max);
    let refused = answers.last().unwrap();
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.header("retry-after").parse::<u64>().unwrap() > 0);
    assert!(refused.body.contains("Try again in"), "{}", refused.body);
}

#[tokio::test]
async fn invitation_emails_past_the_hourly_limit_are_refused() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut statuses = vec![];
    for i in 0..=INVITES_PER_USER.max {
        let answer = owner
            .post(
                "/api/workspace/invite",
                &[
                    ("slug", "demo"),
                    ("email", &format!("guest{i}@example.com")),
                    ("role", "member"),
                    ("message", ""),
                ],
            )
            .await;
        statuses.push(answer.status);
        // Cancelled at once, so the workspace's seats never run out: only the sending
        // is limited here.
        if answer.status == StatusCode::OK {
            let id = answer.json()["id"].as_str().unwrap().to_owned();
            let cancelled = owner
                .post("/api/invitation/cancel", &[("slug", "demo"), ("id", &id)])
                .await;
            assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
        }
    }

    assert!(
        statuses[..INVITES_PER_USER.max as usize]
            .iter()
            .all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.emails_to(&format!("guest{}@example.com", INVITES_PER_USER.max))
            .await
            .len(),
        0,
        "the refused invitation sent nothing"
    );
}

#[tokio::test]
async fn client_invitations_respect_the_organisations_workspace_limit() {
    let app = TestApp::seeded().await;
    let acme = app.partner("acme").await;
    let live = 1; // Acme's demo workspace
    let mut limited = acme.into_active_model();
    limited.resource_limits = Set(serde_json::json!({ "max_workspaces": live }));
    limited.update(&app.state.db).await.unwrap();
    app.state.partners.invalidate();
    let mut owner = app.signed_in(ACME_HOST, "owner@acme.test").await;

    let invited = owner
        .post(
            "/api/org/invite-client",
            &[
                ("email", "clinic@example.com"),
                ("workspace_name", "Bright Smiles"),
                ("message", ""),
            ],
        )
        .await;

    assert_eq!(invited.status, StatusCode::FORBIDDEN, "{}", invited.body);
    assert!(
        invited.body.contains("limit of 1 workspaces"),
        "{}",
        invited.body
    );
    assert!(app.emails_to("clinic@example.com").await.is_empty());
}
