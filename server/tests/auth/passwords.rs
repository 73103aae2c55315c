//! Forgotten and changed passwords: reset links used once, sessions ended.

use super::*;

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
