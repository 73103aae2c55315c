//! Two-factor sign-in: codes, recovery codes, enrolment and turning it off.

use super::*;

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
