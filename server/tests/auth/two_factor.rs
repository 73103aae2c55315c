//! Two-factor sign-in: codes, recovery codes, enrolment and turning it off.

use app::auth::api::account::{DisableMfa, MfaStatus};
use app::auth::model::MfaEnrollment;

use super::*;

#[tokio::test]
async fn two_factor_sign_in_takes_a_current_code_or_a_recovery_code_once() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let mut owner_client = owner.client().await;
    let enrollment = owner_client.call(BeginMfa {}).await.unwrap();
    assert!(enrollment.qr_svg.starts_with("<svg"));
    let code = totp::code_at(&enrollment.secret, totp::step_at(Utc::now().timestamp())).unwrap();
    let codes = owner_client
        .call(ConfirmMfa { code: code.clone() })
        .await
        .unwrap();
    let recovery = codes[0].clone();

    let mut client = platform.visitor();
    let step_one = client.call(login(&owner.email, DEMO_PASSWORD)).await;
    let half_signed_in = viewer(&mut client).await;
    let replayed = client.call(login_code(&code)).await;
    let with_recovery = client.call(login_code(&recovery)).await;

    assert_eq!(step_one, Ok(LoginOutcome::SecondFactor));
    assert_eq!(half_signed_in, None, "no access before the code");
    assert_eq!(
        replayed.unwrap_err().status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    assert!(
        matches!(with_recovery, Ok(LoginOutcome::SignedIn { .. })),
        "{with_recovery:?}"
    );
    assert!(viewer(&mut client).await.unwrap().mfa_enabled);

    let mut again = platform.visitor();
    again
        .call(login(&owner.email, DEMO_PASSWORD))
        .await
        .unwrap();
    let recovery_reused = again.call(login_code(&recovery)).await;
    assert_eq!(
        recovery_reused.unwrap_err().status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"user.mfa_enabled".to_owned()));
}

/// The account page works without scripts: an enrolment begun shows its key until confirmed,
/// and the recovery codes reach the next page load once, sealed for their owner. The
/// redirect and the cookie that carries the codes are the point, so enrolment is posted by
/// hand and the page requested as a browser does.
#[tokio::test]
async fn the_account_page_shows_a_pending_enrolment_and_new_recovery_codes_once() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut owner = platform.person(PartnerRole::Owner).await.client().await;
    let someone_else = platform.person(PartnerRole::Member).await.client().await;
    let begun = owner.post(BeginMfa::PATH, &[]).await;
    let secret = answer::<MfaEnrollment>(&begun).secret;
    let pending = owner.call(MfaStatus {}).await.unwrap();
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp())).unwrap();
    let confirmed = owner.post(ConfirmMfa::PATH, &[("code", &code)]).await;
    let codes: Vec<String> = answer(&confirmed);
    let reveal = confirmed
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("g365_recovery="))
        .expect("the codes travel to the next page");
    let pair = reveal.split(';').next().unwrap().to_owned();
    let with_reveal =
        |client: &Client<'_>| format!("{}; {pair}", client.cookie.clone().unwrap_or_default());
    let page = |cookie: String| {
        let app = &app;
        let host = platform.host.clone();
        async move {
            app.request(
                axum::http::Request::builder()
                    .uri("/account")
                    .header("host", host)
                    .header("cookie", cookie)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    let shown = page(with_reveal(&owner)).await;
    let by_another = page(with_reveal(&someone_else)).await;

    assert_eq!(begun.header("location"), "/account#mfa");
    assert!(!pending.enabled);
    assert_eq!(
        pending.enrolling.map(|e| e.secret).as_deref(),
        Some(secret.as_str())
    );
    assert!(pending.new_recovery_codes.is_empty());
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
    assert_eq!(by_another.status, StatusCode::OK);
    assert!(
        !by_another.body.contains(codes[0].as_str()),
        "sealed for its owner"
    );
    assert!(!owner.get("/account").await.body.contains(codes[0].as_str()));
}

#[tokio::test]
async fn two_factor_is_turned_off_only_with_the_password_and_a_valid_code() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut owner = platform.person(PartnerRole::Owner).await.client().await;
    let secret = owner.call(BeginMfa {}).await.unwrap().secret;
    let now = Utc::now().timestamp();
    let first = totp::code_at(&secret, totp::step_at(now) - 1).unwrap();
    owner.call(ConfirmMfa { code: first }).await.unwrap();
    let disable = |current_password: &str, code: &str| DisableMfa {
        current_password: current_password.into(),
        code: code.into(),
    };

    let refused = owner.call(disable(DEMO_PASSWORD, "000000")).await;
    let next = totp::code_at(&secret, totp::step_at(now)).unwrap();
    // A form without the password field at all: the typed call cannot leave it out, so
    // this one is posted by hand.
    let without_password = owner.post(DisableMfa::PATH, &[("code", &next)]).await;
    let wrong_password = owner.call(disable("Not-The-Password-1", &next)).await;
    let disabled = owner.call(disable(DEMO_PASSWORD, &next)).await;

    let refused = refused.unwrap_err();
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.error.field("code").is_some(), "{refused:?}");
    assert_eq!(without_password.status, StatusCode::BAD_REQUEST);
    let wrong_password = wrong_password.unwrap_err();
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong_password.error.field("current_password").is_some(),
        "{wrong_password:?}"
    );
    assert_eq!(disabled, Ok(()));
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
