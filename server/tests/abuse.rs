//! Limits where money or mail can be spent: "call me" and browser test calls per person
//! and workspace, invitation emails per person and organisation, and the organisation's
//! workspace limit for client invitations as for every other way of making a workspace.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::api::CallMe;
use app::agents::model::AgentProvider;
use app::auth::rate_limit::{CALL_ME_PER_USER, INVITES_PER_USER};
use app::error::AppError;
use app::invitations::api::{CancelInvitation, InviteClient, InviteToWorkspace};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use common::TestApp;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

#[tokio::test]
async fn call_me_past_the_hourly_limit_is_refused_with_when_to_retry() {
    let app = TestApp::new().await;
    let ws = app.org("acme").await.workspace("demo").await;
    let mut owner = ws.org.person(PartnerRole::Owner).await.client().await;
    let draft = common::agents::draft(AgentProvider::Sandbox, "Front desk");
    let id = common::agents::create(&mut owner, "demo", &draft)
        .await
        .unwrap();
    let call_me = || CallMe {
        slug: "demo".into(),
        id,
        number: "+14155550100".into(),
        name: "Dana".into(),
    };

    let mut placed = 0;
    for _ in 0..CALL_ME_PER_USER.max {
        placed += u64::from(owner.call(call_me()).await.is_ok());
    }
    // The one past the limit is read whole, for its Retry-After header.
    let refused = owner.send(call_me()).await;

    assert_eq!(placed, CALL_ME_PER_USER.max);
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.header("retry-after").parse::<u64>().unwrap() > 0);
    let error: AppError = serde_json::from_str(&refused.body).unwrap();
    assert!(error.to_string().contains("Try again in"), "{error:?}");
}

#[tokio::test]
async fn invitation_emails_past_the_hourly_limit_are_refused() {
    let app = TestApp::new().await;
    let ws = app.org("acme").await.workspace("demo").await;
    let mut owner = ws.org.person(PartnerRole::Owner).await.client().await;
    let mut statuses = vec![];
    for i in 0..=INVITES_PER_USER.max {
        let answer = owner
            .call(InviteToWorkspace {
                slug: "demo".into(),
                email: format!("guest{i}@example.com"),
                role: "member".into(),
                message: String::new(),
            })
            .await;
        // Cancelled at once, so the workspace's seats never run out: only the sending
        // is limited here.
        match answer {
            Ok(issued) => {
                statuses.push(StatusCode::OK);
                let cancelled = owner
                    .call(CancelInvitation {
                        id: issued.id,
                        slug: Some("demo".into()),
                    })
                    .await;
                assert_eq!(cancelled, Ok(()));
            }
            Err(refused) => statuses.push(refused.status),
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
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    acme.workspace("dental").await;
    let live = 1;
    let mut limited = acme.partner.clone().into_active_model();
    limited.resource_limits = Set(serde_json::json!({ "max_workspaces": live }));
    limited.update(&app.state.db).await.unwrap();
    app.state.partners.invalidate();
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;

    let invited = owner
        .call(InviteClient {
            email: "clinic@example.com".into(),
            workspace_name: "Bright Smiles".into(),
            message: String::new(),
        })
        .await
        .unwrap_err();

    assert_eq!(invited.status, StatusCode::FORBIDDEN);
    assert!(
        invited.error.to_string().contains("limit of 1 workspaces"),
        "{invited:?}"
    );
    assert!(app.emails_to("clinic@example.com").await.is_empty());
}
