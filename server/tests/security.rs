//! Headers every response carries: request ids and the security headers.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{PLATFORM_HOST, TestApp};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::seeded().await;

    for path in ["/", "/api/health", "/favicon.svg", "/missing"] {
        let response = app.get(PLATFORM_HOST, path).await;
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(response.header("x-frame-options"), "DENY", "{path}");
        assert_eq!(
            response.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            response
                .header("content-security-policy")
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn non_page_responses_get_a_policy_that_allows_nothing_active() {
    let app = TestApp::new().await;

    let response = app.get(PLATFORM_HOST, "/api/health").await;

    assert!(
        response
            .header("content-security-policy")
            .starts_with("default-src 'none'")
    );
}

#[tokio::test]
async fn each_request_gets_an_id_and_a_given_id_is_kept() {
    let app = TestApp::new().await;

    let generated = app.get(PLATFORM_HOST, "/api/health").await;
    let given = app
        .request(
            Request::get("/api/health")
                .header("host", PLATFORM_HOST)
                .header("x-request-id", "trace-me-42")
                .body(Body::empty())
                .expect("request"),
        )
        .await;

    assert_eq!(
        uuid::Uuid::parse_str(generated.header("x-request-id")).map(|_| ()),
        Ok(())
    );
    assert_eq!(given.header("x-request-id"), "trace-me-42");
}
