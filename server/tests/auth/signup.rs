//! Sign-up: the emailed confirmation, the same answer for every address, password rules,
//! invitation-only white-label hosts, and the hourly limit per address.

use super::*;

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
        emails[0].status,
        app::email::model::EmailStatus::Stored,
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
