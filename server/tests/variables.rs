//! Workspace variables: naming rules, standard names protected, duplicates refused, and
//! only owners and admins change them.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use axum::http::StatusCode;
use common::{PLATFORM_HOST, TestApp};
use serde_json::json;
/// The settings page's variable form, filled in.
fn variable(name: &str) -> [(&str, &str); 5] {
    [
        ("slug", "demo"),
        ("name", name),
        ("description", "When the appointment is"),
        ("default_value", "tomorrow"),
        ("category", "custom"),
    ]
}

#[tokio::test]
async fn variables_follow_the_naming_rules_and_only_admins_change_them() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let added = owner
        .post("/api/variables/save", &variable("appointment_date"))
        .await;
    let again = owner
        .post("/api/variables/save", &variable("appointment_date"))
        .await;
    let standard = owner
        .post("/api/variables/save", &variable("first_name"))
        .await;
    let malformed = owner
        .post("/api/variables/save", &variable("Bad Name"))
        .await;
    let by_viewer = viewer.post("/api/variables/save", &variable("plan")).await;
    let listed = viewer.get("/api/variables/list?slug=demo").await.json();

    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    for (response, words) in [
        (&again, "There is already a variable"),
        (&standard, "standard variable"),
        (&malformed, "lowercase letters"),
    ] {
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response.json()["detail"]["fields"]["name"][0]
                .as_str()
                .unwrap()
                .contains(words),
            "{}",
            response.body
        );
    }
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], "appointment_date");
    assert_eq!(listed[0]["default_value"], "tomorrow");

    let id = added.json().as_str().unwrap().to_owned();
    let refused = viewer
        .post("/api/variables/delete", &[("slug", "demo"), ("id", &id)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let deleted = owner
        .post("/api/variables/delete", &[("slug", "demo"), ("id", &id)])
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        owner.get("/api/variables/list?slug=demo").await.json(),
        json!([])
    );
}
