//! What a refusal looks like on the wire, locked: the status and the JSON body of each kind
//! of error a server function answers with. The browser's forms and anyone calling the API
//! read these bodies (`kind`, `detail`, a field's messages), so a change to them shows here.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::api::ListAgents;
use app::billing::api::AdjustCredits;
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use app::variables::api::SaveVariable;
use axum::http::StatusCode;
use common::{TestApp, TestResponse};
use server_fn::ServerFn;

/// The status and the body, as one value to snapshot.
fn wire(response: &TestResponse) -> serde_json::Value {
    serde_json::json!({
        "status": response.status.as_u16(),
        "body": response.json(),
    })
}

/// Sends the settings page's variable form and reads the answer whole.
async fn save_variable(client: &mut common::Client<'_>, name: &str) -> TestResponse {
    client
        .send(SaveVariable {
            slug: "demo".into(),
            id: None,
            name: name.into(),
            description: String::new(),
            default_value: String::new(),
            category: "custom".into(),
            is_required: None,
        })
        .await
}

fn agents_of(slug: &str) -> ListAgents {
    ListAgents { slug: slug.into() }
}

#[tokio::test]
async fn each_kind_of_refusal_keeps_its_status_and_body() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let demo = platform.workspace("demo").await;
    let mut signed_out = platform.visitor();
    let mut owner = platform.person(PartnerRole::Owner).await.client().await;
    let mut viewer = demo.member(WorkspaceRole::Viewer).await.client().await;
    let unauthorized = signed_out.send(agents_of("demo")).await;
    let not_found = owner.send(agents_of("no-such-workspace")).await;
    // Its argument left out, which the typed call cannot do.
    let missing_argument = owner.get(ListAgents::PATH).await;
    let forbidden = save_variable(&mut viewer, "plan").await;
    let invalid = save_variable(&mut owner, "Bad Name").await;
    // The free credit taken back: the workspace is read-only.
    owner
        .call(AdjustCredits {
            workspace_id: demo.id(),
            amount: "-10".into(),
            reason: "Pilot agreement".into(),
        })
        .await
        .unwrap();
    let payment_required = save_variable(&mut owner, "plan").await;

    for (response, status) in [
        (&unauthorized, StatusCode::UNAUTHORIZED),
        (&not_found, StatusCode::NOT_FOUND),
        (&missing_argument, StatusCode::BAD_REQUEST),
        (&forbidden, StatusCode::FORBIDDEN),
        (&invalid, StatusCode::UNPROCESSABLE_ENTITY),
        (&payment_required, StatusCode::PAYMENT_REQUIRED),
    ] {
        assert_eq!(response.status, status, "{}", response.body);
    }
    insta::assert_json_snapshot!("unauthorized", wire(&unauthorized));
    insta::assert_json_snapshot!("not_found", wire(&not_found));
    insta::assert_json_snapshot!("missing_argument", wire(&missing_argument));
    insta::assert_json_snapshot!("forbidden", wire(&forbidden));
    insta::assert_json_snapshot!("invalid", wire(&invalid));
    insta::assert_json_snapshot!("payment_required", wire(&payment_required));
}
