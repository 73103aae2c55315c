//! `GET /api/health`.

mod common;

use axum::http::StatusCode;
use common::{PLATFORM_HOST, TestApp};

#[tokio::test]
async fn health_reports_ok_with_the_database_and_version() {
    let app = TestApp::new().await;

    let response = app.get(PLATFORM_HOST, "/api/health").await;

    assert_eq!(response.status, StatusCode::OK);
    let body = response.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_answers_without_any_partner_configured() {
    // An empty database has no platform partner: pages are unavailable, health still answers.
    let app = TestApp::new().await;

    assert_eq!(
        app.get(PLATFORM_HOST, "/").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        app.get(PLATFORM_HOST, "/api/health").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn health_is_503_naming_the_database_when_it_is_unreachable() {
    let app = TestApp::new().await;
    app.state.db.clone().close().await.expect("pool closes");

    let response = app.get(PLATFORM_HOST, "/api/health").await;

    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let body = response.json();
    assert_eq!(body["status"], "unavailable");
    assert_ne!(body["database"], "ok");
}
