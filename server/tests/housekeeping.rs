//! Work the job queue does after the request: outbox delivery with retries, and the
//! periodic jobs that forget ended sessions and old rate-limit hits.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use std::sync::atomic::Ordering;

use app::config::ResendConfig;
use app::db::entity::{rate_limit_hit, session};
use app::email::model::EmailStatus;
use chrono::{Duration, Utc};
use common::resend::{KEY, Resend};
use common::{ACME_HOST, PLATFORM_HOST, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};

#[tokio::test]
async fn an_email_that_failed_during_an_outage_goes_out_on_a_later_pass() {
    let (resend, url) = Resend::start().await;
    let app = TestApp::seeded_with(move |config| {
        config.email.resend = Some(ResendConfig {
            api_key: KEY.into(),
            base_url: url,
        });
    })
    .await;
    // Fail every request for now.
    resend.fail_next.store(usize::MAX, Ordering::SeqCst);
    app.client(ACME_HOST)
        .post("/api/auth/forgot-password", &[("email", "owner@acme.test")])
        .await;

    assert_eq!(app.run_jobs().await, 1);
    let during = app.emails_to("owner@acme.test").await[0].clone();
    resend.fail_next.store(0, Ordering::SeqCst);
    assert_eq!(app.run_jobs().await, 0, "the retry waits out its backoff");
    assert_eq!(app.run_jobs_after(Duration::hours(1)).await, 1);
    let after = app.emails_to("owner@acme.test").await[0].clone();

    assert_eq!(during.status, EmailStatus::Pending);
    assert!(
        during
            .last_error
            .unwrap_or_default()
            .contains("internal_server_error")
    );
    assert_eq!(after.status, EmailStatus::Sent);
    assert_eq!(resend.sent().len(), 1);
    assert!(app.jobs().await.is_empty());
}

#[tokio::test]
async fn ended_sessions_and_old_attempts_are_forgotten_and_live_ones_kept() {
    let app = TestApp::seeded().await;
    let live = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut gone = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    gone.post("/api/auth/logout", &[]).await;
    gone.login("viewer@genius365.test", "Wrong-Password-1!")
        .await;
    let long_ago = Utc::now() - Duration::days(8);
    for row in session::Entity::find().all(&app.state.db).await.unwrap() {
        if row.revoked_at.is_some() {
            let mut active = row.into_active_model();
            active.revoked_at = Set(Some(long_ago));
            active.update(&app.state.db).await.unwrap();
        }
    }
    for row in rate_limit_hit::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let mut active = row.into_active_model();
        active.hit_at = Set(Utc::now() - Duration::days(2));
        active.update(&app.state.db).await.unwrap();
    }

    app.run_periodic_jobs().await;

    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
    assert_ne!(
        live.get("/api/auth/viewer").await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        rate_limit_hit::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}
