//! The calls table and its export: filters, full-text search (on whichever database the
//! suite runs), totals over the filtered set, one call with its neighbours, and a CSV of
//! any size streamed in batches, all scoped to the workspace. Live news in `live`, Algolia
//! in `algolia`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod algolia;
#[path = "../common/mod.rs"]
mod common;
mod live;

use app::calls::api::{GetCall, ListCalls};
use app::calls::filter::CallFilter;
use app::calls::model::{CallDetail, CallDirection, CallPage, CallStatus};
use app::error::AppError;
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::calls::{Call, store};
use common::client::Refused;
use common::{Client, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

const CALLS: &[Call<'static>] = &[
    Call {
        id: "c1",
        status: CallStatus::Completed,
        direction: CallDirection::Inbound,
        number: "+14155550123",
        name: "Dana Whitfield",
        lines: &[
            "Thanks for calling Acme Dental!",
            "I was charged twice and I want a refund.",
            "I have issued the refund to your card.",
        ],
        summary: "Caller asked for a refund of a double charge.",
        end_reason: "customer-ended-call",
        seconds: 95,
        days_ago: 0,
    },
    Call {
        id: "c2",
        status: CallStatus::Completed,
        direction: CallDirection::Outbound,
        number: "+442079460000",
        name: "Oliver Grant",
        lines: &["Hello, this is Acme Dental calling about your appointment."],
        summary: "Left a message about Tuesday's appointment.",
        end_reason: "voicemail",
        seconds: 31,
        days_ago: 3,
    },
    Call {
        id: "c3",
        status: CallStatus::NoAnswer,
        direction: CallDirection::Outbound,
        number: "+14155559876",
        name: "",
        lines: &[],
        summary: "",
        end_reason: "customer-did-not-answer",
        seconds: 0,
        days_ago: 10,
    },
    Call {
        id: "c4",
        status: CallStatus::Completed,
        direction: CallDirection::Web,
        number: "",
        name: "",
        lines: &[
            "Can I move my appointment to Friday?",
            "Yes, Friday at ten works.",
        ],
        summary: "Appointment moved to Friday.",
        end_reason: "customer-ended-call",
        seconds: 125,
        days_ago: 1,
    },
];

/// A signed-in page's first page of the calls table of `demo` with `filter`.
async fn listed(client: &mut Client<'_>, filter: CallFilter) -> CallPage {
    client
        .call(ListCalls {
            slug: "demo".into(),
            filter,
            page: 1,
        })
        .await
        .unwrap()
}

/// A search for `words`, and no other filter.
fn search(words: &str) -> CallFilter {
    CallFilter {
        q: words.into(),
        ..CallFilter::default()
    }
}

/// The call `id` of `demo`, as its page reads it.
async fn detail(client: &mut Client<'_>, id: Uuid) -> Result<CallDetail, Refused> {
    client
        .call(GetCall {
            slug: "demo".into(),
            id,
        })
        .await
}

/// Each row's caller: their name, else their number, else the call's direction.
fn names(page: &CallPage) -> Vec<String> {
    page.rows
        .iter()
        .map(|r| {
            r.caller_name
                .clone()
                .or_else(|| r.phone_number.clone())
                .unwrap_or_else(|| r.direction.as_str().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn search_and_filters_find_the_right_calls_of_this_workspace_only() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let acme = app.org("acme").await.workspace("acme-dental").await;
    for call in CALLS {
        store(&app, demo.id(), call).await;
    }
    // Another tenant's call with the same words is never found here.
    store(&app, acme.id(), &CALLS[0]).await;
    let mut owner = org.person(PartnerRole::Owner).await.client().await;

    let all = listed(&mut owner, CallFilter::default()).await;
    assert_eq!(
        names(&all),
        ["Dana Whitfield", "web", "Oliver Grant", "+14155559876"],
        "newest first"
    );
    let stats = &all.stats;
    assert_eq!(stats.total, 4);
    assert_eq!(stats.answered, 3);
    assert_eq!(stats.total_seconds, 95 + 31 + 125);
    assert_eq!(stats.billed_minutes, 2 + 1 + 3);
    assert_eq!(stats.billed_cents, (2 + 1 + 3) * 20);

    // What was said, by word beginnings, with the match marked.
    let found = listed(&mut owner, search("refund")).await;
    assert_eq!(names(&found), ["Dana Whitfield"]);
    let snippet = found.rows[0].snippet.as_deref().unwrap();
    let marked: Vec<&str> = snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["refund"]);
    assert_eq!(
        names(&listed(&mut owner, search("REFU")).await),
        ["Dana Whitfield"]
    );
    // Every word must match; words from the summary and the caller's name count.
    assert_eq!(
        names(&listed(&mut owner, search("appointment friday")).await),
        ["web"]
    );
    assert_eq!(
        names(&listed(&mut owner, search("appointment")).await),
        ["web", "Oliver Grant"]
    );
    assert_eq!(
        names(&listed(&mut owner, search("tuesday")).await),
        ["Oliver Grant"]
    );
    assert_eq!(
        names(&listed(&mut owner, search("whitfield")).await),
        ["Dana Whitfield"]
    );
    // Part of a number.
    assert_eq!(
        names(&listed(&mut owner, search("5559876")).await),
        ["+14155559876"]
    );
    // Search syntax is just words.
    assert_eq!(
        names(&listed(&mut owner, search("\"refund\" OR *")).await),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&listed(&mut owner, search("refund*)(")).await),
        ["Dana Whitfield"]
    );

    // Filters, alone and together.
    let outcome = |outcome: &str| CallFilter {
        outcome: outcome.into(),
        ..CallFilter::default()
    };
    assert_eq!(
        names(&listed(&mut owner, outcome("voicemail")).await),
        ["Oliver Grant"]
    );
    assert_eq!(
        names(&listed(&mut owner, outcome("answered")).await),
        ["Dana Whitfield", "web"]
    );
    let unanswered = CallFilter {
        status: "no_answer".into(),
        ..CallFilter::default()
    };
    assert_eq!(
        names(&listed(&mut owner, unanswered).await),
        ["+14155559876"]
    );
    let outbound_appointments = CallFilter {
        direction: "outbound".into(),
        ..search("appointment")
    };
    assert_eq!(
        names(&listed(&mut owner, outbound_appointments).await),
        ["Oliver Grant"]
    );
    let today = Utc::now().date_naive();
    let since = CallFilter {
        from: (today - Duration::days(2)).to_string(),
        ..CallFilter::default()
    };
    assert_eq!(
        names(&listed(&mut owner, since).await),
        ["Dana Whitfield", "web"]
    );
    let until = CallFilter {
        to: (today - Duration::days(2)).to_string(),
        ..CallFilter::default()
    };
    let older = listed(&mut owner, until).await;
    assert_eq!(names(&older), ["Oliver Grant", "+14155559876"]);
    assert_eq!(older.stats.total, 2);

    // Bad filters say which field and why.
    let bad = owner
        .call(ListCalls {
            slug: "demo".into(),
            filter: CallFilter {
                status: "exploded".into(),
                from: "yesterday".into(),
                ..CallFilter::default()
            },
            page: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.error.field("status").unwrap()[0].contains("exploded"));
    assert!(bad.error.field("from").unwrap()[0].contains("2026-11-24"));

    // The page renders the rows with the match marked.
    let page = owner.get("/w/demo/calls?q=refund").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<mark"), "the match is marked");
    assert!(page.body.contains("Dana Whitfield"));
    assert!(!page.body.contains("Oliver Grant"));
}

#[tokio::test]
async fn one_call_shows_its_transcript_cost_and_neighbours() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let acme = app.org("acme").await.workspace("acme-dental").await;
    let mut ids = vec![];
    for call in CALLS {
        ids.push(store(&app, demo.id(), call).await);
    }
    let foreign = store(&app, acme.id(), &CALLS[1]).await;
    let mut viewer = demo.member(WorkspaceRole::Viewer).await.client().await;

    let first = detail(&mut viewer, ids[0]).await.unwrap();
    assert_eq!(first.transcript.len(), 3);
    assert_eq!(first.billed_minutes, 2);
    assert_eq!(first.row.billed_cents, 40);
    assert_eq!(first.newer, None, "the newest call");
    assert_eq!(first.older, Some(ids[3]), "the web call a day ago");
    let middle = detail(&mut viewer, ids[3]).await.unwrap();
    assert_eq!(middle.newer, Some(ids[0]));
    assert_eq!(middle.older, Some(ids[1]));

    // Sandbox calls carry a recording made from their transcript.
    let recording = format!("/w/demo/calls/{}/recording.wav", ids[0]);
    assert_eq!(first.recording_url.as_deref(), Some(recording.as_str()));
    let audio = viewer.get(&recording).await;
    assert_eq!(audio.status, StatusCode::OK);
    assert_eq!(audio.header("content-type"), "audio/wav");
    assert_eq!(audio.header("accept-ranges"), "bytes");
    // Players seek with byte ranges, and ranges are never compressed.
    let part = app
        .stream(
            axum::http::Request::builder()
                .uri(&recording)
                .header("host", &viewer.host)
                .header("range", "bytes=44-1043")
                .header("accept-encoding", "gzip")
                .header("cookie", viewer.cookie.clone().unwrap())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert!(
        part.headers()["content-range"]
            .to_str()
            .unwrap()
            .starts_with("bytes 44-1043/")
    );
    let bytes = http_body_util::BodyExt::collect(part.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(bytes.len(), 1000);
    let no_transcript = viewer
        .get(&format!("/w/demo/calls/{}/recording.wav", ids[2]))
        .await;
    assert_eq!(no_transcript.status, StatusCode::NOT_FOUND);
    let stolen = viewer
        .get(&format!("/w/demo/calls/{foreign}/recording.wav"))
        .await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);

    let page = viewer.get(&format!("/w/demo/calls/{}", ids[0])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("I have issued the refund to your card."));
    assert!(page.body.contains("Caller asked for a refund"));

    // Another workspace's call does not exist here.
    let other = detail(&mut viewer, foreign).await.unwrap_err();
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(
        matches!(other.error, AppError::NotFound(_)),
        "{:?}",
        other.error
    );
    assert_eq!(
        viewer.get(&format!("/w/demo/calls/{foreign}")).await.status,
        StatusCode::NOT_FOUND
    );
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    body.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_export_streams_every_filtered_call_in_batches() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let many = 1_234;
    for n in 0..many {
        let id = format!("bulk-{n:05}");
        let call = Call {
            id: &id,
            status: if n % 4 == 0 {
                CallStatus::NoAnswer
            } else {
                CallStatus::Completed
            },
            direction: CallDirection::Outbound,
            number: "+14155550100",
            name: "",
            lines: &["Hello there."],
            summary: "",
            end_reason: "customer-ended-call",
            seconds: if n % 4 == 0 { 0 } else { 61 },
            days_ago: 0,
        };
        store(&app, demo.id(), &call).await;
    }
    store(&app, demo.id(), &CALLS[0]).await;
    let viewer = demo.member(WorkspaceRole::Viewer).await.client().await;

    let all = viewer.get("/w/demo/calls.csv").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.header("content-type"), "text/csv; charset=utf-8");
    assert!(
        all.header("content-disposition")
            .starts_with("attachment; filename=\"calls-demo-")
    );
    let rows = csv_rows(&all.body);
    assert_eq!(rows[0][0], "call_id");
    assert_eq!(rows.len(), 1 + many + 1, "the header and every call, once");
    let mut ids: Vec<&String> = rows[1..].iter().map(|r| &r[0]).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), many + 1, "no call twice across batches");

    // Compressed, as browsers ask for it, the stream ends cleanly (a body may be polled
    // again after its end).
    let gzipped = app
        .stream(
            axum::http::Request::builder()
                .uri("/w/demo/calls.csv")
                .header("host", &viewer.host)
                .header("accept-encoding", "gzip")
                .header("cookie", viewer.cookie.clone().unwrap())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let bytes = http_body_util::BodyExt::collect(gzipped.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(bytes.len() > 1000);

    // The filtered set only; quoting keeps commas inside fields.
    let unanswered = viewer.get("/w/demo/calls.csv?status=no_answer").await;
    assert_eq!(csv_rows(&unanswered.body).len(), 1 + many.div_ceil(4));
    let searched = viewer.get("/w/demo/calls.csv?q=refund").await;
    assert_eq!(searched.body.lines().count(), 2);
    assert!(
        searched
            .body
            .contains("\"Caller asked for a refund of a double charge.\"")
            || searched
                .body
                .contains("Caller asked for a refund of a double charge.")
    );
    assert!(searched.body.contains(",Dana Whitfield,"));

    // Bad filters, strangers and other tenants.
    let bad = viewer.get("/w/demo/calls.csv?from=someday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("2026-11-24"), "{}", bad.body);
    assert_eq!(
        org.visitor().get("/w/demo/calls.csv").await.status,
        StatusCode::UNAUTHORIZED
    );
    let acme = app.org("acme").await;
    acme.workspace("acme-dental").await;
    let acme_owner = acme.person(PartnerRole::Owner).await.client().await;
    assert_eq!(
        acme_owner.get("/w/demo/calls.csv").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_stored_status_no_variant_has_is_an_error_not_in_progress() {
    use app::db::entity::conversation::{Column, Entity};
    let app = TestApp::new().await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let id = store(&app, demo.id(), &CALLS[0]).await;
    let mut owner = org.person(PartnerRole::Owner).await.client().await;
    assert_eq!(
        listed(&mut owner, CallFilter::default()).await.rows[0].status,
        CallStatus::Completed
    );
    // A value written by something other than this build (a newer one, a hand edit).
    Entity::update_many()
        .col_expr(Column::Status, sea_orm::sea_query::Expr::value("on_hold"))
        .filter(Column::Id.eq(id))
        .exec(&app.state.db)
        .await
        .unwrap();

    let list = owner
        .call(ListCalls {
            slug: "demo".into(),
            filter: CallFilter::default(),
            page: 1,
        })
        .await;
    let one = detail(&mut owner, id).await;
    for (what, answer) in [
        ("the list", list.map(|_| ())),
        ("the call", one.map(|_| ())),
    ] {
        let refused = answer.unwrap_err();
        assert_eq!(
            refused.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{what}: {refused:?}"
        );
        assert_eq!(
            refused.error,
            AppError::Internal,
            "{what}: the cause stays in the log"
        );
    }
}
