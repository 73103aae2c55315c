//! Email delivery: the outbox row written with the change, Resend called after the commit
//! with the outbox id as idempotency key, failures kept with their reason.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::auth::api::ForgotPassword;
use app::config::ResendConfig;
use app::email::model::EmailStatus;
use app::tenancy::model::PartnerRole;
use common::TestApp;
use common::resend::{KEY, Resend};

async fn app_with_resend(base_url: &str, key: &str) -> TestApp {
    let (base_url, key) = (base_url.to_owned(), key.to_owned());
    TestApp::with_config(move |config| {
        config.email.resend = Some(ResendConfig {
            api_key: key,
            base_url,
        });
    })
    .await
}

/// Acme's owner asks for a password reset email, signed out on Acme's host.
async fn reset_asked(app: &TestApp) {
    let acme = app.org("acme").await;
    acme.person_as("owner@acme.test", PartnerRole::Owner).await;
    let asked = acme
        .visitor()
        .call(ForgotPassword {
            email: "owner@acme.test".into(),
        })
        .await;
    assert_eq!(asked, Ok(()));
}

#[tokio::test]
async fn a_reset_email_is_delivered_through_resend_once_in_the_partners_name() {
    let (resend, url) = Resend::start().await;
    let app = app_with_resend(&url, KEY).await;

    reset_asked(&app).await;
    // The request queued one delivery with the email.
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(app.run_jobs().await, 0);

    let sent = resend.sent();
    assert_eq!(
        sent.len(),
        1,
        "exactly one email, whatever the number of passes"
    );
    assert_eq!(sent[0]["from"], "Acme <no-reply@genius365.app>");
    assert_eq!(sent[0]["to"], serde_json::json!(["owner@acme.test"]));
    assert_eq!(sent[0]["subject"], "Reset your Acme password");
    assert!(sent[0]["html"].as_str().unwrap().contains("#0e7490"));
    let row = &app.emails_to("owner@acme.test").await[0];
    assert_eq!(row.status, EmailStatus::Sent);
    assert!(row.provider_message_id.is_some());
    // Delivered: Resend got the working link, the copy kept here has none.
    let delivered = sent[0]["text"].as_str().unwrap();
    let token = common::token_in(delivered);
    assert_ne!(token, "redacted");
    assert!(!row.text.contains(&token) && !row.html.contains(&token));
    assert!(row.text.contains("token=redacted"), "{}", row.text);
}

#[tokio::test]
async fn a_refused_email_keeps_resends_reason_and_stays_pending_for_a_retry() {
    let (resend, url) = Resend::start().await;
    let app = app_with_resend(&url, "re_wrong_key").await;
    // Its retry waits in the queue: that is what this test looks at.
    app.leave_jobs("email.deliver");
    reset_asked(&app).await;

    assert_eq!(app.run_jobs().await, 1);

    assert!(resend.sent().is_empty());
    let row = &app.emails_to("owner@acme.test").await[0];
    assert_eq!(row.status, EmailStatus::Pending);
    assert_eq!(row.attempts, 1);
    let job = &app.jobs().await[0];
    assert_eq!(job.kind, "email.deliver");
    assert!(
        job.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("invalid_api_key")
    );
    let reason = row.last_error.as_deref().unwrap_or_default();
    assert!(reason.contains("invalid_api_key"), "{reason}");
}

#[tokio::test]
async fn an_email_refused_on_every_attempt_ends_failed_and_its_job_dead() {
    let (resend, url) = Resend::start().await;
    let app = app_with_resend(&url, "re_wrong_key").await;
    // Its job ends dead, kept for an admin: that is what this test looks at.
    app.leave_jobs("email.deliver");
    reset_asked(&app).await;

    let mut attempts = 0;
    for day in 0..10 {
        attempts += app.run_jobs_after(chrono::Duration::days(day)).await;
    }

    assert_eq!(attempts, 5);
    assert!(resend.sent().is_empty());
    let row = &app.emails_to("owner@acme.test").await[0];
    assert_eq!((row.status, row.attempts), (EmailStatus::Failed, 5));
    let job = &app.jobs().await[0];
    assert_eq!(job.state, app::jobs::model::State::Dead);
    assert!(
        job.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("invalid_api_key")
    );
}
