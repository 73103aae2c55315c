//! Signing in and out, sessions (expiry, revocation, host binding), the super-admin sign-in;
//! sign-up, passwords, two-factor sign-in and rate limits in their modules.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod limits;
mod passwords;
mod signup;
mod two_factor;

use app::access::model::Viewer;
use app::auth::api::account::{BeginMfa, ConfirmMfa};
use app::auth::api::{GetViewer, Login, LoginCode, Logout};
use app::auth::model::LoginOutcome;
use app::auth::totp;
use app::db::entity::{session, user_mfa};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{Client, TestApp, TestResponse};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::de::DeserializeOwned;
use server::seed::DEMO_PASSWORD;
use server_fn::ServerFn;

/// The sign-in form, filled in.
fn login(email: &str, password: &str) -> Login {
    Login {
        email: email.into(),
        password: password.into(),
        redirect: None,
        console: None,
    }
}

/// The platform console's sign-in form, with the demo password.
fn console_login(email: &str) -> Login {
    Login {
        console: Some(true),
        ..login(email, DEMO_PASSWORD)
    }
}

/// The sign-in form's second step, filled in.
fn login_code(code: &str) -> LoginCode {
    LoginCode {
        code: code.into(),
        redirect: None,
    }
}

/// Where a completed sign-in goes.
fn signed_in_to(path: &str) -> LoginOutcome {
    LoginOutcome::SignedIn {
        redirect: path.into(),
    }
}

/// Who `client` is signed in as on its host, if anyone.
async fn viewer(client: &mut Client<'_>) -> Option<Viewer> {
    client.call(GetViewer {}).await.unwrap()
}

/// What a server function answered to a request made by hand, read as its own type.
fn answer<T: DeserializeOwned>(response: &TestResponse) -> T {
    serde_json::from_str(&response.body).unwrap_or_else(|e| {
        panic!(
            "not the function's answer ({e}): {} {}",
            response.status, response.body
        )
    })
}

/// The cookie attributes are the point here, so the sign-in is posted by hand.
#[tokio::test]
async fn signing_in_sets_an_http_only_lax_cookie_and_lands_in_the_only_workspace() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    platform.workspace("demo").await;
    let owner = platform.person(PartnerRole::Owner).await;
    let mut client = platform.visitor();

    let response = client.login(&owner.email, DEMO_PASSWORD).await;

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(answer::<LoginOutcome>(&response), signed_in_to("/w/demo"));
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("g365_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http locally");
    assert!(app.audit_actions().await.contains(&"user.login".to_owned()));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let mut client = platform.visitor();

    let wrong = client.call(login(&owner.email, "Nope-Nope-2026!")).await;
    let unknown = client
        .call(login("nobody@platform.test", "Nope-Nope-2026!"))
        .await;

    let wrong = wrong.unwrap_err();
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.unwrap_err(), wrong, "the same status and words");
    assert_eq!(wrong.error.to_string(), "Email or password is incorrect.");
    assert!(client.cookie.is_none());
    let failures = app
        .audit_actions()
        .await
        .iter()
        .filter(|a| *a == "user.login_failed")
        .count();
    assert_eq!(failures, 2);
}

/// The cleared cookie's attributes are checked, so the sign-out is posted by hand.
#[tokio::test]
async fn signing_out_revokes_the_session_server_side() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut client = platform.person(PartnerRole::Owner).await.client().await;
    let stolen = client.cookie.clone();

    let out = client.post(Logout::PATH, &[]).await;
    client.cookie = stolen;
    let after = viewer(&mut client).await;

    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(after, None, "the old token is dead");
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_expiry() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let idle_person = platform.person(PartnerRole::Owner).await;
    let old_person = platform.person(PartnerRole::Member).await;
    let mut idle = idle_person.client().await;
    let mut old = old_person.client().await;
    let rows = session::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        let mut active = row.clone().into_active_model();
        if row.user_id == old_person.user.id {
            active.expires_at = Set(Utc::now() - Duration::seconds(1));
        } else {
            active.last_seen_at = Set(Utc::now() - Duration::days(4));
        }
        active.update(&app.state.db).await.unwrap();
    }

    assert_eq!(viewer(&mut idle).await, None);
    assert_eq!(viewer(&mut old).await, None);
}

#[tokio::test]
async fn a_session_is_good_only_on_the_host_that_created_it() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let acme = app.org("acme").await;
    let owner = acme.person(PartnerRole::Owner).await;
    let mut on_platform = app.signed_in(&platform.host, &owner.email).await;
    let mut on_acme = acme.visitor();
    on_acme.cookie = on_platform.cookie.clone();

    assert_eq!(viewer(&mut on_acme).await, None);
    assert_eq!(
        viewer(&mut on_platform).await.map(|v| v.email),
        Some(owner.email),
        "the same cookie works where it was made"
    );
}

#[tokio::test]
async fn the_super_admin_sign_in_refuses_everyone_else_without_a_session() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let admin = platform.outsider("admin@platform.test").await;
    app::auth::service::grant_super_admin(&app.state.db, admin.user.id)
        .await
        .unwrap();
    let mut client = platform.visitor();

    let refused = client.call(console_login(&owner.email)).await;
    let cookie_after_refusal = client.cookie.clone();
    let admitted = client.call(console_login(&admin.email)).await;
    let outbox = client.call(app::super_admin::api::Outbox { page: 0 }).await;

    assert_eq!(refused.unwrap_err().status, StatusCode::FORBIDDEN);
    assert!(cookie_after_refusal.is_none());
    assert_eq!(admitted, Ok(signed_in_to("/super-admin/outbox")));
    assert!(outbox.is_ok(), "{outbox:?}");
    let white_label = app
        .org("acme")
        .await
        .visitor()
        .call(console_login(&admin.email))
        .await;
    assert_eq!(
        white_label.unwrap_err().status,
        StatusCode::NOT_FOUND,
        "no console on white-label hosts"
    );
}

/// The sign-in page itself (HTML and its redirect), so requested by hand.
#[tokio::test]
async fn the_sign_in_page_sends_someone_signed_in_onward() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    acme.workspace("dental").await;
    let owner = acme.person(PartnerRole::Owner).await.client().await;
    let page = |path: &str| {
        let mut request = axum::http::Request::get(path)
            .header("host", &acme.host)
            .header("accept", "text/html");
        if let Some(cookie) = &owner.cookie {
            request = request.header("cookie", cookie);
        }
        request.body(axum::body::Body::empty()).unwrap()
    };

    let plain = app.request(page("/login")).await;
    let with_destination = app.request(page("/login?redirect=/w/dental/members")).await;
    let foreign_destination = app.request(page("/login?redirect=//evil.example")).await;

    assert_eq!(plain.status, StatusCode::FOUND);
    assert_eq!(plain.header("location"), "/select-workspace");
    assert_eq!(with_destination.header("location"), "/w/dental/members");
    assert_eq!(foreign_destination.header("location"), "/select-workspace");
}

/// Enrols `client`'s account in two-factor sign-in; returns the secret.
async fn enrol_two_factor(client: &mut Client<'_>) -> String {
    let secret = client.call(BeginMfa {}).await.unwrap().secret;
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp()) - 1).unwrap();
    client.call(ConfirmMfa { code }).await.unwrap();
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

/// How many of `statuses` are `status`.
fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}
