//! What a refusal looks like on the wire, locked: the status and the JSON body of each kind
//! of error a server function answers with. The browser's forms and anyone calling the API
//! read these bodies (`kind`, `detail`, a field's messages), so a change to them shows here.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::billing::api::AdjustCredits;
use axum::http::StatusCode;
use common::{PLATFORM_HOST, TestApp, TestResponse};

/// The status and the body, as one value to snapshot.
fn wire(response: &TestResponse) -> serde_json::Value {
    serde_json::json!({
        "status": response.status.as_u16(),
        "body": response.json(),
    })
}

/// Posts the settings page's variable form, as a browser does.
async fn save_variable(client: &mut common::Client<'_>, name: &str) -> TestResponse {
    let form = [
        ("slug", "demo"),
        ("name", name),
        ("description", ""),
        ("default_value", ""),
        ("category", "custom"),
    ];
    client.post("/api/variables/save", &form).await
}

#[tokio::test]
async fn each_kind_of_refusal_keeps_its_status_and_body() {
    let app = TestApp::seeded().await;
    let signed_out = app.client(PLATFORM_HOST);
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let unauthorized = signed_out.get("/api/agents/list?slug=demo").await;
    let not_found = owner.get("/api/agents/list?slug=no-such-workspace").await;
    let missing_argument = owner.get("/api/agents/list").await;
    let forbidden = save_variable(&mut viewer, "plan").await;
    let invalid = save_variable(&mut owner, "Bad Name").await;
    // The free credit taken back: the workspace is read-only.
    let demo = app.workspace("genius365", "demo").await;
    owner
        .call(AdjustCredits {
            workspace_id: demo.id,
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
