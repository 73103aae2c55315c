//! Headers every response carries: request ids and the security headers.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{PLATFORM_HOST, TestApp};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    app.platform().await;

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

mod same_origin {
    use super::common::{ACME_HOST, TestApp};
    use app::auth::api::Login;
    use app::tenancy::model::PartnerRole;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use server_fn::ServerFn;

    /// Acme, with the owner the requests sign in as.
    async fn acme(app: &TestApp) {
        let acme = app.org("acme").await;
        acme.person_as("owner@acme.test", PartnerRole::Owner).await;
    }

    /// The sign-in form posted by hand: the headers saying where it came from are the
    /// point.
    fn login_request(origin: Option<&str>, referer: Option<&str>) -> Request<Body> {
        let mut request = Request::post(Login::PATH)
            .header("host", ACME_HOST)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(referer) = referer {
            request = request.header("referer", referer);
        }
        request
            .body(Body::from(
                "email=owner%40acme.test&password=Demo-Password-2026%21",
            ))
            .expect("request")
    }

    #[tokio::test]
    async fn posts_from_another_origin_or_from_nowhere_are_refused_before_they_act() {
        let app = TestApp::new().await;
        acme(&app).await;

        let foreign = app
            .request(login_request(Some("http://evil.localhost:3000"), None))
            .await;
        let silent = app.request(login_request(None, None)).await;
        let foreign_referer = app
            .request(login_request(None, Some("http://evil.example/form")))
            .await;

        for response in [&foreign, &silent, &foreign_referer] {
            assert_eq!(response.status, StatusCode::FORBIDDEN);
            assert_eq!(response.json()["kind"], "forbidden");
            assert!(
                response.header("set-cookie").is_empty(),
                "no session was made"
            );
        }
        assert!(app.audit_actions().await.is_empty(), "nothing ran");
    }

    #[tokio::test]
    async fn posts_from_the_same_origin_pass_by_origin_or_referer() {
        let app = TestApp::new().await;
        acme(&app).await;

        let by_origin = app
            .request(login_request(Some("http://acme.localhost:3000"), None))
            .await;
        let by_referer = app
            .request(login_request(
                None,
                Some("http://acme.localhost:3000/login"),
            ))
            .await;

        assert_eq!(by_origin.status, StatusCode::OK);
        assert_eq!(by_referer.status, StatusCode::OK);
    }
}
