//! Signing in and out, sign-up, sessions (expiry, revocation), password reset and change,
//! two-factor sign-in, rate limits, and the super-admin sign-in.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

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
async fn the_sixth_failed_sign_in_of_an_account_is_refused_with_when_to_retry() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);
    for _ in 0..5 {
        let r = client
            .login("owner@genius365.test", "Wrong-Password-1!")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }

    let blocked = client.login("owner@genius365.test", DEMO_PASSWORD).await;

    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        blocked.body.contains("Too many attempts. Try again in"),
        "{}",
        blocked.body
    );
    let retry: u64 = blocked.header("retry-after").parse().expect("Retry-After");
    assert!((850..=900).contains(&retry), "about 15 minutes: {retry}");
    let other = client.login("viewer@genius365.test", DEMO_PASSWORD).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "other accounts are unaffected"
    );
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
async fn sign_up_creates_an_unconfirmed_account_that_the_emailed_link_opens() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);

    let response = client.post("/api/auth/signup", &grace()).await;

    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        response.json(),
        serde_json::json!({"CheckEmail": {"email": "grace@example.com"}})
    );
    assert_eq!(
        client.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null,
        "nobody is signed in before the link is opened"
    );
    let emails = app.emails_to("grace@example.com").await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].subject, "Confirm your email for Genius365");
    assert_eq!(
        emails[0].status, "stored",
        "no Resend key: kept in the outbox"
    );
    // Until then the right password opens nothing, and says why.
    let early = client
        .login("grace@example.com", "Compiler-Pioneer-1906")
        .await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{}", early.body);
    assert!(early.body.contains("Confirm your email address first"));

    let token = app.token_emailed_to("grace@example.com").await;
    let wrong = client
        .post(
            "/api/auth/confirm-email",
            &[("token", &token), ("password", "Not-Her-Password-1")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("\"password\""), "{}", wrong.body);
    let confirmed = client
        .post(
            "/api/auth/confirm-email",
            &[("token", &token), ("password", "Compiler-Pioneer-1906")],
        )
        .await;
    let again = app
        .client(PLATFORM_HOST)
        .post(
            "/api/auth/confirm-email",
            &[("token", &token), ("password", "Compiler-Pioneer-1906")],
        )
        .await;

    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(
        confirmed.json(),
        serde_json::json!({"SignedIn": {"redirect": "/w/grace-s-workspace"}})
    );
    let page = client.get("/w/grace-s-workspace").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Grace&#x27;s Workspace") || page.body.contains("Grace's Workspace")
    );
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a link works once"
    );
    let mut later = app.client(PLATFORM_HOST);
    let signed_in = later
        .login("grace@example.com", "Compiler-Pioneer-1906")
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
}

#[tokio::test]
async fn sign_up_answers_the_same_for_an_address_that_has_an_account() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);
    let mut form = grace();
    form[2].1 = "owner@genius365.test";

    let taken = client.post("/api/auth/signup", &form).await;
    let fresh = client.post("/api/auth/signup", &grace()).await;
    // Signing up again before confirming sends a fresh link and retires the first.
    let first_link = app.token_emailed_to("grace@example.com").await;
    let repeated = client.post("/api/auth/signup", &grace()).await;
    let second_link = app.token_emailed_to("grace@example.com").await;

    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(
        taken.json(),
        serde_json::json!({"CheckEmail": {"email": "owner@genius365.test"}})
    );
    assert_eq!(fresh.status, taken.status);
    assert_eq!(repeated.json(), fresh.json());
    let warned = app.emails_to("owner@genius365.test").await;
    assert_eq!(
        warned[0].subject,
        "Someone tried to sign up to Genius365 with your address"
    );
    assert!(
        !warned[0].text.contains("token="),
        "it carries no sign-in link"
    );
    // The owner's account is untouched: same password, still signs in.
    let mut owner = app.client(PLATFORM_HOST);
    assert_eq!(
        owner
            .login("owner@genius365.test", DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    assert_ne!(first_link, second_link);
    let password = ("password", "Compiler-Pioneer-1906");
    let stale = client
        .post(
            "/api/auth/confirm-email",
            &[("token", &first_link), password],
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    let opened = client
        .post(
            "/api/auth/confirm-email",
            &[("token", &second_link), password],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
}

#[tokio::test]
async fn an_address_signed_up_first_by_someone_else_stays_its_owners() {
    let app = TestApp::seeded().await;
    // A squatter signs up with Grace's address first and never sees her mailbox.
    let mut squatter = app.client(PLATFORM_HOST);
    let mut form = grace();
    form[3].1 = "Squatter-Password-1";
    form[4].1 = "Squatter-Password-1";
    squatter.post("/api/auth/signup", &form).await;
    let squatters_link = app.token_emailed_to("grace@example.com").await;
    // Grace signs up with her own password; her link is the newest.
    let mut grace_client = app.client(PLATFORM_HOST);
    grace_client.post("/api/auth/signup", &grace()).await;
    let link = app.token_emailed_to("grace@example.com").await;

    // The squatter's password opens nothing, with her link or theirs.
    for token in [&link, &squatters_link] {
        let tried = squatter
            .post(
                "/api/auth/confirm-email",
                &[("token", token), ("password", "Squatter-Password-1")],
            )
            .await;
        assert_eq!(
            tried.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            tried.body
        );
    }
    let confirmed = grace_client
        .post(
            "/api/auth/confirm-email",
            &[("token", &link), ("password", "Compiler-Pioneer-1906")],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let squatted = squatter
        .login("grace@example.com", "Squatter-Password-1")
        .await;
    assert_eq!(squatted.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_up_names_every_broken_password_rule_and_creates_nothing() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);

    let response = client
        .post(
            "/api/auth/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", ""),
                ("email", "ada@example.com"),
                ("password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = &response.json()["detail"]["fields"]["password"];
    assert_eq!(problems.as_array().map(Vec::len), Some(4), "{problems}");
    assert!(app.emails_to("ada@example.com").await.is_empty());
    let again = client.login("ada@example.com", "short").await;
    assert_eq!(
        again.status,
        StatusCode::UNAUTHORIZED,
        "no account was made"
    );
}

#[tokio::test]
async fn white_label_hosts_sign_up_by_invitation_only() {
    let app = TestApp::seeded().await;
    let mut client = app.client(ACME_HOST);

    let response = client
        .post(
            "/api/auth/signup",
            &[
                ("first_name", "Eve"),
                ("last_name", ""),
                ("email", "eve@example.com"),
                ("password", "Intruder-Password-1"),
                ("confirm_password", "Intruder-Password-1"),
            ],
        )
        .await;
    let page = client.get("/signup").await;

    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body.contains("by invitation only"));
    assert!(page.body.contains("Invitation required"));
}

#[tokio::test]
async fn a_password_is_reset_once_through_the_emailed_link_and_every_session_ends() {
    let app = TestApp::seeded().await;
    let old_session = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let mut client = app.client(ACME_HOST);

    let asked = client
        .post("/api/auth/forgot-password", &[("email", "owner@acme.test")])
        .await;
    let unknown = client
        .post(
            "/api/auth/forgot-password",
            &[("email", "nobody@acme.test")],
        )
        .await;
    let emails = app.emails_to("owner@acme.test").await;
    let token = common::token_in(&emails[0].text);
    let reset = client
        .post(
            "/api/auth/reset-password",
            &[
                ("token", &token),
                ("new_password", "Brand-New-Password-7"),
                ("confirm_password", "Brand-New-Password-7"),
            ],
        )
        .await;
    let reused = client
        .post(
            "/api/auth/reset-password",
            &[
                ("token", &token),
                ("new_password", "Another-Password-8!"),
                ("confirm_password", "Another-Password-8!"),
            ],
        )
        .await;

    assert_eq!(asked.status, StatusCode::OK);
    assert_eq!(asked.body, unknown.body, "no hint who has an account");
    assert_eq!(emails[0].subject, "Reset your Acme Voice password");
    assert!(
        emails[0]
            .text
            .contains("http://acme.localhost:3000/reset-password?token="),
        "the link points at the partner's own host: {}",
        emails[0].text
    );
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused.body.contains("expired or was already used"));
    assert_eq!(
        old_session.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
    let mut fresh = app.client(ACME_HOST);
    assert_eq!(
        fresh
            .login("owner@acme.test", "Brand-New-Password-7")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::seeded().await;
    let mut here = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let elsewhere = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;

    let wrong = here
        .post(
            "/api/account/password",
            &[
                ("current_password", "Not-The-Password-1"),
                ("new_password", "Next-Password-2026!"),
                ("confirm_password", "Next-Password-2026!"),
            ],
        )
        .await;
    let changed = here
        .post(
            "/api/account/password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "Next-Password-2026!"),
                ("confirm_password", "Next-Password-2026!"),
            ],
        )
        .await;

    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("current_password"));
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.json(), serde_json::json!(1));
    assert_ne!(
        here.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        elsewhere.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"user.password_changed".to_owned())
    );
}

#[tokio::test]
async fn two_factor_sign_in_takes_a_current_code_or_a_recovery_code_once() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let enrollment = owner.post("/api/account/mfa/begin", &[]).await.json();
    let secret = enrollment["secret"].as_str().unwrap().to_owned();
    assert!(enrollment["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp())).unwrap();
    let codes = owner
        .post("/api/account/mfa/confirm", &[("code", &code)])
        .await;
    assert_eq!(codes.status, StatusCode::OK, "{}", codes.body);
    let recovery = codes.json()[0].as_str().unwrap().to_owned();

    let mut client = app.client(PLATFORM_HOST);
    let step_one = client.login("owner@genius365.test", DEMO_PASSWORD).await;
    let half_signed_in = client.get("/api/auth/viewer").await;
    let replayed = client
        .post("/api/auth/login-code", &[("code", &code)])
        .await;
    let with_recovery = client
        .post("/api/auth/login-code", &[("code", &recovery)])
        .await;

    assert_eq!(step_one.json(), serde_json::json!("SecondFactor"));
    assert_eq!(
        half_signed_in.json(),
        serde_json::Value::Null,
        "no access before the code"
    );
    assert_eq!(
        replayed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    assert_eq!(
        with_recovery.status,
        StatusCode::OK,
        "{}",
        with_recovery.body
    );
    assert_eq!(
        client.get("/api/auth/viewer").await.json()["mfa_enabled"],
        true
    );

    let mut again = app.client(PLATFORM_HOST);
    again.login("owner@genius365.test", DEMO_PASSWORD).await;
    let recovery_reused = again
        .post("/api/auth/login-code", &[("code", &recovery)])
        .await;
    assert_eq!(recovery_reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"user.mfa_enabled".to_owned()));
}

/// The account page works without scripts: an enrolment begun shows its key until confirmed,
/// and the recovery codes reach the next page load once, sealed for their owner.
#[tokio::test]
async fn the_account_page_shows_a_pending_enrolment_and_new_recovery_codes_once() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let begun = owner.post("/api/account/mfa/begin", &[]).await;
    let secret = begun.json()["secret"].as_str().unwrap().to_owned();
    let pending = owner.get("/api/account/mfa").await.json();
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp())).unwrap();
    let confirmed = owner
        .post("/api/account/mfa/confirm", &[("code", &code)])
        .await;
    let codes: Vec<String> = serde_json::from_value(confirmed.json()).unwrap();
    let reveal = confirmed
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("g365_recovery="))
        .expect("the codes travel to the next page");
    let pair = reveal.split(';').next().unwrap().to_owned();
    let with_reveal = |client: &common::Client<'_>| {
        format!("{}; {pair}", client.cookie.clone().unwrap_or_default())
    };
    let page = |cookie: String| {
        let app = &app;
        async move {
            app.request(
                axum::http::Request::builder()
                    .uri("/account")
                    .header("host", PLATFORM_HOST)
                    .header("cookie", cookie)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    let shown = page(with_reveal(&owner)).await;
    let by_another = page(with_reveal(&viewer)).await;

    assert_eq!(begun.header("location"), "/account#mfa");
    assert_eq!(pending["enabled"], false);
    assert_eq!(pending["enrolling"]["secret"], secret.as_str());
    assert!(pending["new_recovery_codes"].as_array().unwrap().is_empty());
    assert_eq!(codes.len(), 10);
    assert!(reveal.contains("HttpOnly") && reveal.contains("Path=/account"));
    assert!(!pair.contains(&codes[0]), "sealed, not readable: {pair}");
    assert_eq!(shown.status, StatusCode::OK);
    for code in &codes {
        assert!(shown.body.contains(code.as_str()), "{code} shown");
    }
    assert!(
        shown
            .headers
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("g365_recovery=;")),
        "shown once: the page clears it"
    );
    assert!(
        !by_another.body.contains(codes[0].as_str()),
        "sealed for its owner"
    );
    assert!(!owner.get("/account").await.body.contains(codes[0].as_str()));
}

#[tokio::test]
async fn two_factor_is_turned_off_only_with_the_password_and_a_valid_code() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let secret = owner.post("/api/account/mfa/begin", &[]).await.json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = Utc::now().timestamp();
    let first = totp::code_at(&secret, totp::step_at(now) - 1).unwrap();
    owner
        .post("/api/account/mfa/confirm", &[("code", &first)])
        .await;

    let refused = owner
        .post(
            "/api/account/mfa/disable",
            &[("current_password", DEMO_PASSWORD), ("code", "000000")],
        )
        .await;
    let next = totp::code_at(&secret, totp::step_at(now)).unwrap();
    let without_password = owner
        .post("/api/account/mfa/disable", &[("code", &next)])
        .await;
    let wrong_password = owner
        .post(
            "/api/account/mfa/disable",
            &[("current_password", "Not-The-Password-1"), ("code", &next)],
        )
        .await;
    let disabled = owner
        .post(
            "/api/account/mfa/disable",
            &[("current_password", DEMO_PASSWORD), ("code", &next)],
        )
        .await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("\"code\""), "{}", refused.body);
    assert_eq!(without_password.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong_password.body.contains("current_password"),
        "{}",
        wrong_password.body
    );
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert!(
        user_mfa::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"user.mfa_disabled".to_owned())
    );
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
async fn one_address_failing_across_many_accounts_is_slowed_but_others_are_not() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use std::net::SocketAddr;

    let app = TestApp::seeded().await;
    let login_from = |ip: &str, email: &str, password: &str| {
        let mut request = Request::post("/api/auth/login")
            .header("host", PLATFORM_HOST)
            .header("origin", format!("http://{PLATFORM_HOST}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email={}&password={}",
                common::urlencode(email),
                common::urlencode(password)
            )))
            .expect("request");
        let addr: SocketAddr = format!("{ip}:40000").parse().expect("address");
        request.extensions_mut().insert(ConnectInfo(addr));
        request
    };
    for n in 0..20 {
        let email = format!("guess{n}@example.com");
        let r = app
            .request(login_from("203.0.113.7", &email, "Guess-Password-1!"))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }

    let blocked = app
        .request(login_from(
            "203.0.113.7",
            "owner@genius365.test",
            DEMO_PASSWORD,
        ))
        .await;
    let elsewhere = app
        .request(login_from(
            "198.51.100.9",
            "owner@genius365.test",
            DEMO_PASSWORD,
        ))
        .await;

    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Try again in"));
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[tokio::test]
async fn one_address_creates_at_most_ten_accounts_an_hour() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);
    let password = "Bulk-Account-2026!";
    for n in 0..10 {
        let email = format!("bulk{n}@example.com");
        let r = client
            .post(
                "/api/auth/signup",
                &[
                    ("first_name", "Bulk"),
                    ("last_name", ""),
                    ("email", &email),
                    ("password", password),
                    ("confirm_password", password),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    let refused = client
        .post(
            "/api/auth/signup",
            &[
                ("first_name", "Bulk"),
                ("last_name", ""),
                ("email", "bulk10@example.com"),
                ("password", "Bulk-Account-2026!"),
                ("confirm_password", "Bulk-Account-2026!"),
            ],
        )
        .await;

    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("Try again in"));
    assert!(app.emails_to("bulk10@example.com").await.is_empty());
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

#[tokio::test]
async fn with_two_factor_on_a_password_change_also_takes_a_current_code() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let secret = enrol_two_factor(&mut owner).await;
    let form = |code: &'static str| {
        vec![
            ("current_password", DEMO_PASSWORD),
            ("new_password", "Next-Password-2026!"),
            ("confirm_password", "Next-Password-2026!"),
            ("code", code),
        ]
    };

    let without_code = owner.post("/api/account/password", &form("")[..3]).await;
    let wrong_code = owner.post("/api/account/password", &form("000000")).await;
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp())).unwrap();
    let mut right = form("");
    right[3].1 = &code;
    let changed = owner.post("/api/account/password", &right).await;

    assert_eq!(without_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        without_code.body.contains("\"code\""),
        "{}",
        without_code.body
    );
    assert_eq!(wrong_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
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

#[tokio::test]
async fn sixty_parallel_wrong_passwords_get_five_checks_and_the_rest_wait() {
    let app = TestApp::seeded().await;
    let attempts = (0..60).map(|i| {
        let app = &app;
        async move {
            let mut client = app.client(PLATFORM_HOST);
            client
                .login("owner@genius365.test", &format!("Wrong-Password-{i}!"))
                .await
        }
    });

    let answers = futures::future::join_all(attempts).await;

    let checked = count(&answers, StatusCode::UNAUTHORIZED);
    let waited = count(&answers, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(checked, 5, "exactly the limit is checked");
    assert_eq!(checked + waited, 60);
    assert_eq!(failures(&app, "password").await, checked);
    assert!(
        answers
            .iter()
            .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
            .all(|a| a.header("retry-after").parse::<u64>().is_ok_and(|s| s > 0))
    );
    // The right password waits too: the account is locked, not just slowed.
    let mut owner = app.client(PLATFORM_HOST);
    let locked = owner.login("owner@genius365.test", DEMO_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_thousand_parallel_second_factor_guesses_get_at_most_five_checks() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    enrol_two_factor(&mut owner).await;
    let mut half = app.client(PLATFORM_HOST);
    let step_one = half.login("owner@genius365.test", DEMO_PASSWORD).await;
    assert_eq!(step_one.json(), serde_json::json!("SecondFactor"));
    let cookie = half.cookie.clone();

    let guesses = (0..1000).map(|i| {
        let mut guesser = app.client(PLATFORM_HOST);
        guesser.cookie = cookie.clone();
        async move {
            let code = format!("{:06}", i * 997 % 1_000_000);
            guesser
                .post("/api/auth/login-code", &[("code", &code)])
                .await
        }
    });
    let answers = futures::future::join_all(guesses).await;

    let checked = count(&answers, StatusCode::UNPROCESSABLE_ENTITY);
    let waited = count(&answers, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(checked, 5, "exactly the limit is checked");
    assert_eq!(
        checked + waited + count(&answers, StatusCode::OK),
        1000,
        "{:?}",
        answers
            .iter()
            .map(|a| a.status)
            .collect::<std::collections::BTreeSet<_>>()
    );
    assert_eq!(failures(&app, "second_factor").await, checked);
}

#[tokio::test]
async fn rotating_forwarded_addresses_does_not_reset_the_per_address_limit() {
    let app = TestApp::seeded_with(|config| {
        config.proxy = app::client_ip::ProxyTrust::OneHop;
    })
    .await;
    // Each attempt names a fresh account and a fresh left-hand address; the proxy's own
    // entry (the right-most) is the same.
    let mut answers = vec![];
    for i in 0..22 {
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/auth/login")
            .header("host", PLATFORM_HOST)
            .header("origin", "http://localhost:3000")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("192.0.2.{i}, 198.51.100.7"))
            .body(axum::body::Body::from(format!(
                "email=nobody{i}%40example.com&password=Wrong-Password-1"
            )))
            .unwrap();
        answers.push(app.request(request).await.status);
    }

    assert_eq!(
        answers
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        20
    );
    assert_eq!(answers[20], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[21], StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_new_reset_link_retires_the_last_and_forgot_password_answers_in_the_same_time() {
    let app = TestApp::seeded().await;
    let mut client = app.client(ACME_HOST);
    let usable = |token: String| {
        let client = app.client(ACME_HOST);
        async move {
            client
                .get(&format!("/api/auth/reset-token?token={token}"))
                .await
                .json()
        }
    };

    let started = std::time::Instant::now();
    client
        .post("/api/auth/forgot-password", &[("email", "owner@acme.test")])
        .await;
    let known = started.elapsed();
    let first = app.token_emailed_to("owner@acme.test").await;
    let started = std::time::Instant::now();
    let unknown_answer = client
        .post(
            "/api/auth/forgot-password",
            &[("email", "nobody@acme.test")],
        )
        .await;
    let unknown = started.elapsed();
    client
        .post("/api/auth/forgot-password", &[("email", "owner@acme.test")])
        .await;
    let second = app.token_emailed_to("owner@acme.test").await;

    assert_eq!(unknown_answer.status, StatusCode::OK);
    let floor = app::auth::reset::ANSWER_AFTER;
    assert!(
        known >= floor && unknown >= floor,
        "{known:?} / {unknown:?}"
    );
    assert_ne!(first, second);
    assert_eq!(
        usable(first.clone()).await,
        serde_json::json!(false),
        "retired"
    );
    assert_eq!(usable(second.clone()).await, serde_json::json!(true));

    // Resetting with the newest spends every link.
    let reset = client
        .post(
            "/api/auth/reset-password",
            &[
                ("token", &second),
                ("new_password", "Brand-New-Password-8"),
                ("confirm_password", "Brand-New-Password-8"),
            ],
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    for token in [first, second] {
        assert_eq!(usable(token).await, serde_json::json!(false));
    }
}
