//! Signing in and out, sessions (expiry, revocation, host binding), the super-admin sign-in;
//! sign-up, passwords, two-factor sign-in and rate limits in their modules.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod limits;
mod passwords;
mod signup;
mod two_factor;

use app::auth::totp;
use app::db::entity::{session, user_mfa};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{ACME_HOST, PLATFORM_HOST, TestApp};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use server::seed::DEMO_PASSWORD;

#[tokio::test]
async fn signing_in_sets_an_http_only_lax_cookie_and_lands_in_the_only_workspace() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);

    let response = client.login("owner@genius365.test", DEMO_PASSWORD).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.json(),
        serde_json::json!({"SignedIn": {"redirect": "/w/demo"}})
    );
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("g365_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http locally");
    assert!(app.audit_actions().await.contains(&"user.login".to_owned()));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);

    let wrong = client
        .login("owner@genius365.test", "Nope-Nope-2026!")
        .await;
    let unknown = client
        .login("nobody@genius365.test", "Nope-Nope-2026!")
        .await;

    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.body.contains("Email or password is incorrect."));
    assert!(client.cookie.is_none());
    let failures = app
        .audit_actions()
        .await
        .iter()
        .filter(|a| *a == "user.login_failed")
        .count();
    assert_eq!(failures, 2);
}

#[tokio::test]
async fn signing_out_revokes_the_session_server_side() {
    let app = TestApp::seeded().await;
    let mut client = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let stolen = client.cookie.clone();

    let out = client.post("/api/auth/logout", &[]).await;
    client.cookie = stolen;
    let after = client.get("/api/auth/viewer").await;

    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(
        after.json(),
        serde_json::Value::Null,
        "the old token is dead"
    );
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_expiry() {
    let app = TestApp::seeded().await;
    let idle = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let old = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let rows = session::Entity::find().all(&app.state.db).await.unwrap();
    for row in rows {
        let mut active = row.clone().into_active_model();
        if row.user_id == viewer_id(&app).await {
            active.expires_at = Set(Utc::now() - Duration::seconds(1));
        } else {
            active.last_seen_at = Set(Utc::now() - Duration::days(4));
        }
        active.update(&app.state.db).await.unwrap();
    }

    assert_eq!(
        idle.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        old.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
}

async fn viewer_id(app: &TestApp) -> uuid::Uuid {
    let email = app::auth::model::Email::parse("viewer@genius365.test").unwrap();
    app::auth::service::find_by_email(&app.state.db, &email)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn a_session_is_good_only_on_the_host_that_created_it() {
    let app = TestApp::seeded().await;
    let platform = app.signed_in(PLATFORM_HOST, "owner@acme.test").await;
    let mut acme = app.client(ACME_HOST);
    acme.cookie = platform.cookie.clone();

    assert_eq!(
        acme.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
}

fn grace() -> Vec<(&'static str, &'static str)> {
    vec![
        ("first_name", "Grace"),
        ("last_name", "Hopper"),
        ("email", "Grace@Example.com"),
        ("password", "Compiler-Pioneer-1906"),
        ("confirm_password", "Compiler-Pioneer-1906"),
    ]
}

#[tokio::test]
async fn the_super_admin_sign_in_refuses_everyone_else_without_a_session() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);

    let refused = client
        .post(
            "/api/auth/login",
            &[
                ("email", "owner@genius365.test"),
                ("password", DEMO_PASSWORD),
                ("console", "true"),
            ],
        )
        .await;
    let cookie_after_refusal = client.cookie.clone();
    let admitted = client
        .post(
            "/api/auth/login",
            &[
                ("email", "admin@genius365.test"),
                ("password", DEMO_PASSWORD),
                ("console", "true"),
            ],
        )
        .await;
    let outbox = client.get("/api/super-admin/outbox?page=0").await;

    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(cookie_after_refusal.is_none());
    assert_eq!(
        admitted.json(),
        serde_json::json!({"SignedIn": {"redirect": "/super-admin/outbox"}})
    );
    assert_eq!(outbox.status, StatusCode::OK);
    let white_label = app
        .client(ACME_HOST)
        .post(
            "/api/auth/login",
            &[
                ("email", "admin@genius365.test"),
                ("password", DEMO_PASSWORD),
                ("console", "true"),
            ],
        )
        .await;
    assert_eq!(
        white_label.status,
        StatusCode::NOT_FOUND,
        "no console on white-label hosts"
    );
}

#[tokio::test]
async fn the_sign_in_page_sends_someone_signed_in_onward() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let page = |path: &str| {
        let mut request = axum::http::Request::get(path)
            .header("host", ACME_HOST)
            .header("accept", "text/html");
        if let Some(cookie) = &owner.cookie {
            request = request.header("cookie", cookie);
        }
        request.body(axum::body::Body::empty()).unwrap()
    };

    let plain = app.request(page("/login")).await;
    let with_destination = app
        .request(page("/login?redirect=/w/acme-dental/members"))
        .await;
    let foreign_destination = app.request(page("/login?redirect=//evil.example")).await;

    assert_eq!(plain.status, StatusCode::FOUND);
    assert_eq!(plain.header("location"), "/select-workspace");
    assert_eq!(
        with_destination.header("location"),
        "/w/acme-dental/members"
    );
    assert_eq!(foreign_destination.header("location"), "/select-workspace");
}

/// Enrols `client`'s account in two-factor sign-in; returns the secret.
async fn enrol_two_factor(client: &mut common::Client<'_>) -> String {
    let secret = client.post("/api/account/mfa/begin", &[]).await.json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp()) - 1).unwrap();
    let confirmed = client
        .post("/api/account/mfa/confirm", &[("code", &code)])
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    secret
}

/// Counts the failed sign-ins the audit log holds for a reason.
async fn failures(app: &TestApp, reason: &str) -> usize {
    use app::db::entity::audit_log;
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("user.login_failed"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.metadata.as_ref().is_some_and(|m| m["reason"] == reason))
        .count()
}

/// How many of `answers` have `status`.
fn count(answers: &[common::TestResponse], status: StatusCode) -> usize {
    answers.iter().filter(|a| a.status == status).count()
}
