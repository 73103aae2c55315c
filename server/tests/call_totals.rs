//! The call totals the database keeps with triggers, per day and over all time: after every kind of write
//! (calls added, moved between statuses, billed, redated, deleted, a workspace deleted
//! with its calls) they hold exactly what summing the calls gives, and the calls page's
//! totals read from them equal the totals summed from the calls.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use std::collections::BTreeMap;

use app::agents::model::AgentProvider;
use app::billing::model::BilledTo;
use app::calls::day_totals;
use app::calls::filter::CallQuery;
use app::calls::model::{CallDirection, CallStatus, Outcome};
use app::db::entity::{call_day_total, call_total, conversation, workspace};
use chrono::{Duration, NaiveDate, Utc};
use common::TestApp;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

type Key = (NaiveDate, String, String, String);
type Figures = [i64; 6];

/// What the totals must hold for `workspace_id`: the calls, summed here.
async fn summed(app: &TestApp, workspace_id: Uuid) -> BTreeMap<Key, Figures> {
    let mut out: BTreeMap<Key, Figures> = BTreeMap::new();
    let calls = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(workspace_id))
        .all(&app.state.db)
        .await
        .unwrap();
    for c in calls {
        let key = (
            c.created_at.date_naive(),
            c.direction.to_string(),
            c.status.to_string(),
            c.end_reason.unwrap_or_default(),
        );
        let f = out.entry(key).or_default();
        f[0] += 1;
        f[1] += i64::from(c.duration_seconds);
        f[2] += i64::from(c.billed_minutes);
        f[3] += c.billed_cents;
        f[4] += i64::from(c.successful.is_some());
        f[5] += i64::from(c.successful == Some(true));
    }
    out
}

/// What the totals hold for `workspace_id`.
async fn kept(app: &TestApp, workspace_id: Uuid) -> BTreeMap<Key, Figures> {
    call_day_total::Entity::find()
        .filter(call_day_total::Column::WorkspaceId.eq(workspace_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| {
            (
                (
                    t.day,
                    t.direction.to_string(),
                    t.status.to_string(),
                    t.end_reason,
                ),
                [
                    t.calls,
                    t.seconds,
                    t.billed_minutes,
                    t.billed_cents,
                    t.judged,
                    t.successful,
                ],
            )
        })
        .collect()
}

/// What the all-time totals hold for `workspace_id`.
async fn kept_all_time(app: &TestApp, workspace_id: Uuid) -> BTreeMap<AllTimeKey, Figures> {
    call_total::Entity::find()
        .filter(call_total::Column::WorkspaceId.eq(workspace_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| {
            (
                (t.direction.to_string(), t.status.to_string(), t.end_reason),
                [
                    t.calls,
                    t.seconds,
                    t.billed_minutes,
                    t.billed_cents,
                    t.judged,
                    t.successful,
                ],
            )
        })
        .collect()
}

type AllTimeKey = (String, String, String);

async fn assert_exact(app: &TestApp, workspace_id: Uuid, after: &str) {
    let (summed, kept) = (
        summed(app, workspace_id).await,
        kept(app, workspace_id).await,
    );
    assert_eq!(kept, summed, "{after}: the day totals are the calls' sums");
    let mut all_time: BTreeMap<AllTimeKey, Figures> = BTreeMap::new();
    for ((_, direction, status, reason), figures) in summed {
        let f = all_time.entry((direction, status, reason)).or_default();
        for (total, n) in f.iter_mut().zip(figures) {
            *total += n;
        }
    }
    assert_eq!(
        kept_all_time(app, workspace_id).await,
        all_time,
        "{after}: the all-time totals are the calls' sums"
    );
}

const STATUSES: [CallStatus; 6] = [
    CallStatus::Completed,
    CallStatus::Completed,
    CallStatus::NoAnswer,
    CallStatus::Busy,
    CallStatus::Failed,
    CallStatus::Ringing,
];
const REASONS: [Option<&str>; 5] = [
    Some("customer-ended-call"),
    Some("voicemail"),
    Some("machine_detected"),
    None,
    Some("assistant-ended-call"),
];

/// A call of `workspace_id`, its fields picked by `n`.
fn call(workspace_id: Uuid, n: usize) -> conversation::ActiveModel {
    let at = Utc::now() - Duration::hours((n * 7 % (40 * 24)) as i64);
    let status = STATUSES[n % STATUSES.len()];
    let seconds = if status == CallStatus::Completed {
        (n * 13 % 300) as i32
    } else {
        0
    };
    let minutes = app::billing::model::billed_minutes(seconds);
    conversation::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id),
        agent_id: Set(None),
        provider: Set(AgentProvider::Sandbox),
        external_id: Set(format!("totals-{workspace_id}-{n}")),
        direction: Set(CallDirection::ALL[n % 3]),
        status: Set(status),
        phone_number: Set(None),
        caller_name: Set(None),
        started_at: Set(Some(at)),
        ended_at: Set(None),
        duration_seconds: Set(seconds),
        recording_url: Set(None),
        transcript: Set(json!([])),
        summary: Set(None),
        sentiment: Set(None),
        cost_cents: Set(0),
        end_reason: Set(REASONS[n % REASONS.len()].map(str::to_owned)),
        metadata: Set(json!({})),
        is_test: Set(false),
        billed_minutes: Set(minutes),
        billed_cents: Set(i64::from(minutes) * 15),
        billed_to: Set(Some(BilledTo::Workspace)),
        successful: Set([None, Some(true), Some(false)][n % 3]),
        // Left out, so the rows also insert under the schema before campaigns.
        campaign_attempt_id: sea_orm::ActiveValue::NotSet,
        created_at: Set(at),
        updated_at: Set(at),
    }
}

async fn ids(app: &TestApp, workspace_id: Uuid) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(workspace_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn the_day_totals_hold_the_calls_sums_after_every_kind_of_write() {
    // On the demo data: what seeding stored came through the product's own paths.
    let app = TestApp::seeded().await;
    let db = &app.state.db;
    let demo = app.workspace("genius365", "demo").await;
    let acme = app.workspace("acme", "acme-dental").await;
    assert_exact(&app, demo.id, "seeding").await;

    conversation::Entity::insert_many((0..90).map(|n| call(demo.id, n)))
        .exec(db)
        .await
        .unwrap();
    conversation::Entity::insert_many((0..30).map(|n| call(acme.id, n)))
        .exec(db)
        .await
        .unwrap();
    assert_exact(&app, demo.id, "inserts").await;
    assert_exact(&app, acme.id, "inserts").await;
    assert!(
        kept(&app, demo.id).await.len() > 30,
        "the calls fall in many groups"
    );

    let all = ids(&app, demo.id).await;
    // Ringing calls end: a new status, a duration and a charge, one call at a time.
    let ringing = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(demo.id))
        .filter(conversation::Column::Status.eq(CallStatus::Ringing))
        .all(db)
        .await
        .unwrap();
    assert!(!ringing.is_empty());
    for (i, c) in ringing.iter().enumerate() {
        conversation::Entity::update_many()
            .col_expr(
                conversation::Column::Status,
                Expr::value(CallStatus::Completed),
            )
            .col_expr(
                conversation::Column::DurationSeconds,
                Expr::value(61 + i as i32),
            )
            .col_expr(conversation::Column::BilledMinutes, Expr::value(2))
            .col_expr(conversation::Column::BilledCents, Expr::value(30i64))
            .col_expr(conversation::Column::Successful, Expr::value(i % 2 == 0))
            .filter(conversation::Column::Id.eq(c.id))
            .exec(db)
            .await
            .unwrap();
    }
    assert_exact(&app, demo.id, "status changes").await;

    // Many rows in one statement: redated by three days, and a column no total counts.
    conversation::Entity::update_many()
        .col_expr(
            conversation::Column::CreatedAt,
            Expr::value(Utc::now() - Duration::days(3)),
        )
        .filter(conversation::Column::Id.is_in(all.iter().step_by(7).copied()))
        .exec(db)
        .await
        .unwrap();
    conversation::Entity::update_many()
        .col_expr(conversation::Column::Summary, Expr::value("Read again."))
        .filter(conversation::Column::WorkspaceId.eq(demo.id))
        .exec(db)
        .await
        .unwrap();
    assert_exact(&app, demo.id, "redating").await;

    conversation::Entity::delete_many()
        .filter(conversation::Column::Id.is_in(all.iter().step_by(5).copied()))
        .exec(db)
        .await
        .unwrap();
    assert_exact(&app, demo.id, "deletes").await;

    // The calls page's totals, from the day totals, equal the sums over the calls.
    let today = Utc::now().date_naive();
    let queries = [
        CallQuery::default(),
        CallQuery {
            status: Some(CallStatus::Completed),
            ..Default::default()
        },
        CallQuery {
            direction: Some(CallDirection::Inbound),
            outcome: Some(Outcome::Voicemail),
            ..Default::default()
        },
        CallQuery {
            outcome: Some(Outcome::Answered),
            from: Some(today - Duration::days(10)),
            to: Some(today - Duration::days(2)),
            ..Default::default()
        },
        CallQuery {
            outcome: Some(Outcome::InProgress),
            ..Default::default()
        },
    ];
    for query in &queries {
        assert!(day_totals::answers(query));
        let backend = sea_orm::ConnectionTrait::get_database_backend(db);
        let summed =
            app::calls::list::stats(db, app::calls::list::condition(backend, demo.id, query))
                .await
                .unwrap();
        let kept = day_totals::stats(db, demo.id, query).await.unwrap();
        assert_eq!(kept, summed, "totals for {query:?}");
    }
    assert!(!day_totals::answers(&CallQuery {
        terms: vec!["hello".into()],
        ..Default::default()
    }));

    // A workspace deleted with its calls leaves no totals, and the others keep theirs.
    workspace::Entity::delete_by_id(acme.id)
        .exec(db)
        .await
        .unwrap();
    assert!(
        kept(&app, acme.id).await.is_empty() && kept_all_time(&app, acme.id).await.is_empty(),
        "no totals outlive their workspace"
    );
    assert_exact(&app, demo.id, "another workspace deleted").await;
}

#[tokio::test]
async fn calls_stored_before_the_totals_existed_are_counted_when_they_arrive() {
    use app::db::{Migrator, MigratorTrait};
    let app = TestApp::new().await;
    let db = &app.state.db;
    let demo = app.platform().await.workspace("demo").await.workspace;
    // Back to the schema before the totals (day and all-time), calls stored then, and
    // forward again (past the jobs and campaigns that came after).
    Migrator::down(db, Some(3)).await.unwrap();
    conversation::Entity::insert_many((0..40).map(|n| call(demo.id, n)))
        .exec(db)
        .await
        .unwrap();
    Migrator::up(db, None).await.unwrap();
    assert!(!kept(&app, demo.id).await.is_empty());
    assert_exact(&app, demo.id, "the migration's backfill").await;
    // And the triggers are back.
    conversation::Entity::insert_many((40..50).map(|n| call(demo.id, n)))
        .exec(db)
        .await
        .unwrap();
    assert_exact(&app, demo.id, "inserts after the migration").await;
}
