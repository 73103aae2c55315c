//! Work the job queue does after the request: outbox delivery with retries, and the
//! periodic jobs that forget ended sessions and old rate-limit hits.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use std::sync::atomic::Ordering;

use app::auth::api::{ForgotPassword, GetViewer, Login, Logout};
use app::config::ResendConfig;
use app::db::entity::{rate_limit_hit, session};
use app::email::model::EmailStatus;
use app::tenancy::model::PartnerRole;
use chrono::{Duration, Utc};
use common::TestApp;
use common::resend::{KEY, Resend};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};

#[tokio::test]
async fn an_email_that_failed_during_an_outage_goes_out_on_a_later_pass() {
    let (resend, url) = Resend::start().await;
    let app = TestApp::with_config(move |config| {
        config.email.resend = Some(ResendConfig {
            api_key: KEY.into(),
            base_url: url,
        });
    })
    .await;
    // Fail every request for now.
    resend.fail_next.store(usize::MAX, Ordering::SeqCst);
    let acme = app.org("acme").await;
    acme.person_as("owner@acme.test", PartnerRole::Owner).await;
    let asked = acme
        .visitor()
        .call(ForgotPassword {
            email: "owner@acme.test".into(),
        })
        .await;
    assert_eq!(asked, Ok(()));

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
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let mut live = platform.person(PartnerRole::Owner).await.client().await;
    let leaving = platform.person(PartnerRole::Member).await;
    let mut gone = leaving.client().await;
    assert_eq!(gone.call(Logout {}).await, Ok(()));
    let wrong = gone
        .call(Login {
            email: leaving.email.clone(),
            password: "Wrong-Password-1!".into(),
            redirect: None,
            console: None,
        })
        .await;
    assert!(wrong.is_err(), "{wrong:?}");
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
    assert!(live.call(GetViewer {}).await.unwrap().is_some());
    assert_eq!(
        rate_limit_hit::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}
