//! Forgotten and changed passwords: reset links used once, sessions ended.

use app::auth::api::account::ChangePassword;
use app::auth::api::{ForgotPassword, ResetPassword, ResetTokenUsable};

use super::*;

fn forgot(email: &str) -> ForgotPassword {
    ForgotPassword {
        email: email.into(),
    }
}

/// The form a reset link opens, filled in.
fn reset(token: &str, password: &str) -> ResetPassword {
    ResetPassword {
        token: token.into(),
        new_password: password.into(),
        confirm_password: password.into(),
    }
}

/// The account page's password form, filled in.
fn change(current: &str, code: Option<&str>) -> ChangePassword {
    ChangePassword {
        current_password: current.into(),
        new_password: "Next-Password-2026!".into(),
        confirm_password: "Next-Password-2026!".into(),
        code: code.map(Into::into),
    }
}

#[tokio::test]
async fn a_password_is_reset_once_through_the_emailed_link_and_every_session_ends() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let owner = acme.person(PartnerRole::Owner).await;
    let mut old_session = owner.client().await;
    let mut client = acme.visitor();

    let asked = client.call(forgot(&owner.email)).await;
    let unknown = client.call(forgot("nobody@acme.test")).await;
    let emails = app.emails_to(&owner.email).await;
    let token = common::token_in(&emails[0].text);
    let reset_once = client.call(reset(&token, "Brand-New-Password-7")).await;
    let reused = client.call(reset(&token, "Another-Password-8!")).await;

    assert_eq!(asked, Ok(()));
    assert_eq!(asked, unknown, "no hint who has an account");
    assert_eq!(
        emails[0].subject,
        format!("Reset your {} password", acme.partner.name)
    );
    assert!(
        emails[0]
            .text
            .contains(&format!("http://{}/reset-password?token=", acme.host)),
        "the link points at the partner's own host: {}",
        emails[0].text
    );
    assert_eq!(reset_once, Ok(()));
    let reused = reused.unwrap_err();
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reused
            .error
            .to_string()
            .contains("expired or was already used"),
        "{reused:?}"
    );
    assert_eq!(viewer(&mut old_session).await, None);
    let fresh = acme
        .visitor()
        .call(login(&owner.email, "Brand-New-Password-7"))
        .await;
    assert!(
        matches!(fresh, Ok(LoginOutcome::SignedIn { .. })),
        "{fresh:?}"
    );
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let mut here = owner.client().await;
    let mut elsewhere = owner.client().await;

    let wrong = here.call(change("Not-The-Password-1", None)).await;
    let changed = here.call(change(DEMO_PASSWORD, None)).await;

    let wrong = wrong.unwrap_err();
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.error.field("current_password").is_some(), "{wrong:?}");
    assert_eq!(changed, Ok(1), "one other session ended");
    assert!(viewer(&mut here).await.is_some());
    assert_eq!(viewer(&mut elsewhere).await, None);
    assert!(
        app.audit_actions()
            .await
            .contains(&"user.password_changed".to_owned())
    );
}

#[tokio::test]
async fn with_two_factor_on_a_password_change_also_takes_a_current_code() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut owner = platform.person(PartnerRole::Owner).await.client().await;
    let secret = enrol_two_factor(&mut owner).await;

    let without_code = owner.call(change(DEMO_PASSWORD, None)).await;
    let wrong_code = owner.call(change(DEMO_PASSWORD, Some("000000"))).await;
    let code = totp::code_at(&secret, totp::step_at(Utc::now().timestamp())).unwrap();
    let changed = owner.call(change(DEMO_PASSWORD, Some(&code))).await;

    let without_code = without_code.unwrap_err();
    assert_eq!(without_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        without_code.error.field("code").is_some(),
        "{without_code:?}"
    );
    let wrong_code = wrong_code.unwrap_err();
    assert_eq!(wrong_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_code.error.field("code").is_some(), "{wrong_code:?}");
    assert_eq!(changed, Ok(0), "no other session to end");
}

#[tokio::test]
async fn a_new_reset_link_retires_the_last_and_forgot_password_answers_in_the_same_time() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let owner = acme.person(PartnerRole::Owner).await;
    let mut client = acme.visitor();
    let usable = |token: &str| {
        let mut client = acme.visitor();
        let token = token.to_owned();
        async move { client.call(ResetTokenUsable { token }).await.unwrap() }
    };

    let started = std::time::Instant::now();
    client.call(forgot(&owner.email)).await.unwrap();
    let known = started.elapsed();
    let first = app.token_emailed_to(&owner.email).await;
    let started = std::time::Instant::now();
    let unknown_answer = client.call(forgot("nobody@acme.test")).await;
    let unknown = started.elapsed();
    client.call(forgot(&owner.email)).await.unwrap();
    let second = app.token_emailed_to(&owner.email).await;

    assert_eq!(unknown_answer, Ok(()));
    let floor = app::auth::reset::ANSWER_AFTER;
    assert!(
        known >= floor && unknown >= floor,
        "{known:?} / {unknown:?}"
    );
    assert_ne!(first, second);
    assert!(!usable(&first).await, "retired");
    assert!(usable(&second).await);

    // Resetting with the newest spends every link.
    let reset_newest = client.call(reset(&second, "Brand-New-Password-8")).await;
    assert_eq!(reset_newest, Ok(()));
    for token in [first, second] {
        assert!(!usable(&token).await);
    }
}
