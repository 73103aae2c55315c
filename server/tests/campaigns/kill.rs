//! A 1,000-recipient Sandbox campaign worked by real `server worker` processes, one of
//! them killed with SIGKILL at ten random moments (on PostgreSQL two workers run at
//! once): afterwards every recipient has exactly the attempts its outcomes call for, and
//! every attempt exactly one call, counted from the conversations the attempts' keys name
//! (a Sandbox call is its provider's record).

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::campaigns::api::{CreateCampaign, LaunchCampaign};
use app::campaigns::dialer::sandbox_call;
use app::campaigns::model::{
    AttemptState, CampaignStatus, DispatchCampaign, RecipientOutcome, RecipientStatus,
};
use app::db::entity::{campaign, campaign_attempt, campaign_recipient, conversation, workspace};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::common::TestApp;
use super::{import, noon_zone, outbound_agent, owner, settings};

const RECIPIENTS: usize = 1000;
const KILLS: usize = 10;

fn worker(url: &str, dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["worker", "--concurrency", "8", "--lease-seconds", "3"])
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("DATA_DIR", dir)
        .env("SANDBOX_CALL_MS", "150")
        .env("LEPTOS_OUTPUT_NAME", "genius365")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The calls a Sandbox number's story takes: its last digits decide each attempt.
fn expected_attempts(phone: &str) -> i32 {
    let mut attempt = 1;
    loop {
        let (status, reason, callback, do_not_call) = sandbox_call(phone, attempt);
        let again = match (status, reason) {
            _ if do_not_call || reason == "invalid_destination" => false,
            (app::calls::model::CallStatus::Completed, "customer-ended-call") => callback.is_some(),
            _ => true,
        };
        if !again {
            return attempt;
        }
        attempt += 1;
    }
}

/// A pseudo-random number of milliseconds in `range`, from the clock (no seed to keep).
fn jitter(range: std::ops::Range<u64>) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    range.start + nanos % (range.end - range.start)
}

#[tokio::test]
async fn a_campaign_worked_by_killed_workers_calls_each_attempt_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (url, at_once) = match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            (super::common::fresh_postgres_database(&server).await, 2)
        }
        _ => (
            format!("sqlite://{}/kill.db?mode=rwc", dir.path().display()),
            1,
        ),
    };
    let app = TestApp::on_database(&url, |_| {}).await;
    let (mut client, slug) = owner(&app).await;
    workspace::Entity::update_many()
        .col_expr(
            workspace::Column::ResourceLimits,
            Expr::value(serde_json::json!({"concurrent_calls": 60})),
        )
        // A thousand calls would use up the free credit: the organisation pays.
        .col_expr(workspace::Column::IsBillingExempt, Expr::value(true))
        .exec(&app.state.db)
        .await
        .unwrap();
    let agent = outbound_agent(
        &mut client,
        &slug,
        app::agents::model::AgentProvider::Sandbox,
    )
    .await;
    let mut s = settings("Kill test", agent);
    s.concurrency = 40;
    let id = client
        .call(CreateCampaign {
            slug: slug.clone(),
            settings: s,
        })
        .await
        .unwrap();
    let zone = noon_zone();
    let mut csv = String::from("phone,tz\n");
    for n in 0..RECIPIENTS {
        csv.push_str(&format!("+1415555{n:04},{zone}\n"));
    }
    let (status, body) = import(&client, &slug, id, "", &csv).await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body}");
    assert_eq!(body["added"], RECIPIENTS);
    client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();

    let mut workers: Vec<Child> = (0..at_once).map(|_| worker(&url, dir.path())).collect();
    let db = &app.state.db;
    // Time passes for retries and callbacks as fast as the test needs.
    let hurry = || async {
        campaign_recipient::Entity::update_many()
            .col_expr(
                campaign_recipient::Column::NextAttemptAt,
                Expr::value(chrono::Utc::now()),
            )
            .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
            .filter(campaign_recipient::Column::NextAttemptAt.gt(chrono::Utc::now()))
            .exec(db)
            .await
            .unwrap();
        app::jobs::enqueue_no_later(
            db,
            &DispatchCampaign { campaign_id: id },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    };
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(jitter(300..2_500))).await;
        hurry().await;
        let mut victim = workers.remove(0);
        victim.kill().unwrap();
        victim.wait().unwrap();
        workers.push(worker(&url, dir.path()));
    }
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let c = campaign::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        if c.status == CampaignStatus::Completed {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the campaign finished in time ({:?})",
            c.status
        );
        hurry().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for child in &mut workers {
        child.kill().unwrap();
        child.wait().unwrap();
    }

    let recipients = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(id))
        .all(db)
        .await
        .unwrap();
    let attempts = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(id))
        .all(db)
        .await
        .unwrap();
    let calls = conversation::Entity::find()
        .filter(conversation::Column::CampaignAttemptId.is_not_null())
        .all(db)
        .await
        .unwrap();
    let mut calls_of: HashMap<uuid::Uuid, usize> = HashMap::new();
    for call in &calls {
        *calls_of
            .entry(call.campaign_attempt_id.unwrap())
            .or_default() += 1;
    }
    let mut attempts_of: HashMap<uuid::Uuid, Vec<&campaign_attempt::Model>> = HashMap::new();
    for a in &attempts {
        attempts_of.entry(a.recipient_id).or_default().push(a);
    }
    let mut expected_total = 0;
    for r in &recipients {
        let expected = expected_attempts(&r.phone);
        expected_total += expected;
        assert_eq!(r.attempts, expected, "{}: attempts", r.phone);
        let made = attempts_of.get(&r.id).map_or(&[][..], Vec::as_slice);
        assert_eq!(made.len() as i32, expected, "{}: attempt rows", r.phone);
        let mut numbers: Vec<i32> = made.iter().map(|a| a.number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=expected).collect::<Vec<_>>(), "{}", r.phone);
        for a in made {
            assert_eq!(
                a.state,
                AttemptState::Ended,
                "{}: attempt {}",
                r.phone,
                a.number
            );
            assert_eq!(
                calls_of.get(&a.id),
                Some(&1),
                "{}: one call for attempt {}",
                r.phone,
                a.number
            );
        }
        let final_status = match r.outcome {
            Some(RecipientOutcome::InvalidNumber) => RecipientStatus::Failed,
            _ => RecipientStatus::Completed,
        };
        assert_eq!(r.status, final_status, "{}", r.phone);
    }
    assert_eq!(recipients.len(), RECIPIENTS);
    assert_eq!(
        calls.len() as i32,
        expected_total,
        "no call without its attempt"
    );
    // What the workers left in the queue (periodic upkeep, a wake-up) is not this test's.
    app::db::entity::job::Entity::delete_many()
        .exec(db)
        .await
        .unwrap();
}
