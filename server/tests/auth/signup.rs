//! Sign-up: the emailed confirmation, the same answer for every address, password rules,
//! invitation-only white-label hosts, and the hourly limit per address.

use app::auth::api::{ConfirmEmail, SignUp};

use super::*;

const GRACES_PASSWORD: &str = "Compiler-Pioneer-1906";

/// The sign-up form, filled in with no last name.
fn sign_up(first_name: &str, email: &str, password: &str) -> SignUp {
    SignUp {
        first_name: first_name.into(),
        last_name: String::new(),
        email: email.into(),
        password: password.into(),
        confirm_password: password.into(),
    }
}

fn grace() -> SignUp {
    SignUp {
        last_name: "Hopper".into(),
        ..sign_up("Grace", "Grace@Example.com", GRACES_PASSWORD)
    }
}

/// The form the emailed link opens, filled in.
fn confirm(token: &str, password: &str) -> ConfirmEmail {
    ConfirmEmail {
        token: token.into(),
        password: password.into(),
    }
}

fn check_email(email: &str) -> LoginOutcome {
    LoginOutcome::CheckEmail {
        email: email.into(),
    }
}

#[tokio::test]
async fn sign_up_creates_an_unconfirmed_account_that_the_emailed_link_opens() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut client = platform.visitor();

    let signed_up = client.call(grace()).await;

    assert_eq!(signed_up, Ok(check_email("grace@example.com")));
    assert_eq!(
        viewer(&mut client).await,
        None,
        "nobody is signed in before the link is opened"
    );
    let emails = app.emails_to("grace@example.com").await;
    assert_eq!(emails.len(), 1);
    assert_eq!(
        emails[0].subject,
        format!("Confirm your email for {}", platform.partner.name)
    );
    assert_eq!(
        emails[0].status,
        app::email::model::EmailStatus::Stored,
        "no Resend key: kept in the outbox"
    );
    // Until then the right password opens nothing, and says why.
    let early = client
        .call(login("grace@example.com", GRACES_PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{early:?}");
    assert!(
        early
            .error
            .to_string()
            .contains("Confirm your email address first"),
        "{early:?}"
    );

    let token = app.token_emailed_to("grace@example.com").await;
    let wrong = client
        .call(confirm(&token, "Not-Her-Password-1"))
        .await
        .unwrap_err();
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong:?}");
    assert!(wrong.error.field("password").is_some(), "{wrong:?}");
    let confirmed = client.call(confirm(&token, GRACES_PASSWORD)).await;
    let again = platform
        .visitor()
        .call(confirm(&token, GRACES_PASSWORD))
        .await;

    assert_eq!(confirmed, Ok(signed_in_to("/w/grace-s-workspace")));
    // The workspace page itself, as a browser opens it.
    let page = client.get("/w/grace-s-workspace").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Grace&#x27;s Workspace") || page.body.contains("Grace's Workspace")
    );
    assert_eq!(
        again.unwrap_err().status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a link works once"
    );
    let signed_in = platform
        .visitor()
        .call(login("grace@example.com", GRACES_PASSWORD))
        .await;
    assert_eq!(signed_in, Ok(signed_in_to("/w/grace-s-workspace")));
}

#[tokio::test]
async fn sign_up_answers_the_same_for_an_address_that_has_an_account() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let mut client = platform.visitor();

    let taken = client
        .call(SignUp {
            email: owner.email.clone(),
            ..grace()
        })
        .await;
    let fresh = client.call(grace()).await;
    // Signing up again before confirming sends a fresh link and retires the first.
    let first_link = app.token_emailed_to("grace@example.com").await;
    let repeated = client.call(grace()).await;
    let second_link = app.token_emailed_to("grace@example.com").await;

    assert_eq!(taken, Ok(check_email(&owner.email)));
    assert_eq!(fresh, Ok(check_email("grace@example.com")));
    assert_eq!(repeated, fresh);
    let warned = app.emails_to(&owner.email).await;
    assert_eq!(
        warned[0].subject,
        format!(
            "Someone tried to sign up to {} with your address",
            platform.partner.name
        )
    );
    assert!(
        !warned[0].text.contains("token="),
        "it carries no sign-in link"
    );
    // The owner's account is untouched: same password, still signs in.
    let still = platform
        .visitor()
        .call(login(&owner.email, DEMO_PASSWORD))
        .await;
    assert!(
        matches!(still, Ok(LoginOutcome::SignedIn { .. })),
        "{still:?}"
    );
    assert_ne!(first_link, second_link);
    let stale = client
        .call(confirm(&first_link, GRACES_PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    let opened = client.call(confirm(&second_link, GRACES_PASSWORD)).await;
    assert!(
        matches!(opened, Ok(LoginOutcome::SignedIn { .. })),
        "{opened:?}"
    );
}

#[tokio::test]
async fn an_address_signed_up_first_by_someone_else_stays_its_owners() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    // A squatter signs up with Grace's address first and never sees her mailbox.
    let mut squatter = platform.visitor();
    squatter
        .call(SignUp {
            password: "Squatter-Password-1".into(),
            confirm_password: "Squatter-Password-1".into(),
            ..grace()
        })
        .await
        .unwrap();
    let squatters_link = app.token_emailed_to("grace@example.com").await;
    // Grace signs up with her own password; her link is the newest.
    let mut grace_client = platform.visitor();
    grace_client.call(grace()).await.unwrap();
    let link = app.token_emailed_to("grace@example.com").await;

    // The squatter's password opens nothing, with her link or theirs.
    for token in [&link, &squatters_link] {
        let tried = squatter
            .call(confirm(token, "Squatter-Password-1"))
            .await
            .unwrap_err();
        assert_eq!(tried.status, StatusCode::UNPROCESSABLE_ENTITY, "{tried:?}");
    }
    let confirmed = grace_client.call(confirm(&link, GRACES_PASSWORD)).await;
    assert!(
        matches!(confirmed, Ok(LoginOutcome::SignedIn { .. })),
        "{confirmed:?}"
    );
    let squatted = squatter
        .call(login("grace@example.com", "Squatter-Password-1"))
        .await;
    assert_eq!(squatted.unwrap_err().status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_up_names_every_broken_password_rule_and_creates_nothing() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut client = platform.visitor();

    let refused = client
        .call(sign_up("Ada", "ada@example.com", "short"))
        .await
        .unwrap_err();

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = refused.error.field("password");
    assert_eq!(problems.map(<[String]>::len), Some(4), "{problems:?}");
    assert!(app.emails_to("ada@example.com").await.is_empty());
    let again = client.call(login("ada@example.com", "short")).await;
    assert_eq!(
        again.unwrap_err().status,
        StatusCode::UNAUTHORIZED,
        "no account was made"
    );
}

#[tokio::test]
async fn white_label_hosts_sign_up_by_invitation_only() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let mut client = acme.visitor();

    let refused = client
        .call(sign_up("Eve", "eve@example.com", "Intruder-Password-1"))
        .await
        .unwrap_err();
    // The sign-up page itself, as a browser opens it.
    let page = client.get("/signup").await;

    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.error.to_string().contains("by invitation only"));
    assert!(page.body.contains("Invitation required"));
    assert!(app.emails_to("eve@example.com").await.is_empty());
}

#[tokio::test]
async fn one_address_creates_at_most_ten_accounts_an_hour() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut client = platform.visitor();
    let password = "Bulk-Account-2026!";
    // Mistyped confirmations are refused without using up the hour's sign-ups.
    for _ in 0..3 {
        let mistyped = client
            .call(SignUp {
                confirm_password: "Bulk-Acount-2026!".into(),
                ..sign_up("Bulk", "bulk@example.com", password)
            })
            .await
            .unwrap_err();
        assert!(
            mistyped.error.field("confirm_password").is_some(),
            "{mistyped:?}"
        );
    }
    for n in 0..10 {
        let email = format!("bulk{n}@example.com");
        let answer = client.call(sign_up("Bulk", &email, password)).await;
        assert_eq!(answer, Ok(check_email(&email)));
    }

    let refused = client
        .call(sign_up("Bulk", "bulk10@example.com", password))
        .await
        .unwrap_err();

    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.error.to_string().contains("Try again in"),
        "{refused:?}"
    );
    assert!(app.emails_to("bulk10@example.com").await.is_empty());
}
