//! The calls table and its export: filters, full-text search (on whichever database the
//! suite runs), totals over the filtered set, one call with its neighbours, and a CSV of
//! any size streamed in batches, all scoped to the workspace. Live news in `live`, Algolia
//! in `algolia`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod algolia;
#[path = "../common/mod.rs"]
mod common;
mod live;

use common::calls::{Call, store};

use app::calls::model::{CallDirection, CallStatus};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{ACME_HOST, Client, PLATFORM_HOST, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

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

async fn listed(client: &Client<'_>, query: &[(&str, &str)]) -> Value {
    let mut url = "/api/calls/list?slug=demo&page=1".to_owned();
    for (k, v) in query {
        url.push_str(&format!(
            "&filter%5B{k}%5D={}",
            common::client::urlencode(v)
        ));
    }
    let response = client.get(&url).await;
    assert_eq!(response.status, StatusCode::OK, "{url}: {}", response.body);
    response.json()
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["caller_name"]
                .as_str()
                .or(r["phone_number"].as_str())
                .unwrap_or(r["direction"].as_str().unwrap())
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn search_and_filters_find_the_right_calls_of_this_workspace_only() {
    let app = TestApp::seeded().await;
    let demo = app.workspace("genius365", "demo").await;
    let acme = app.workspace("acme", "acme-dental").await;
    for call in CALLS {
        store(&app, demo.id, call).await;
    }
    // Another tenant's call with the same words is never found here.
    store(&app, acme.id, &CALLS[0]).await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;

    let all = listed(&owner, &[]).await;
    assert_eq!(
        names(&all),
        ["Dana Whitfield", "web", "Oliver Grant", "+14155559876"],
        "newest first"
    );
    let stats = &all["stats"];
    assert_eq!(stats["total"], 4);
    assert_eq!(stats["answered"], 3);
    assert_eq!(stats["total_seconds"], 95 + 31 + 125);
    assert_eq!(stats["billed_minutes"], 2 + 1 + 3);
    assert_eq!(stats["billed_cents"], (2 + 1 + 3) * 20);

    // What was said, by word beginnings, with the match marked.
    let found = listed(&owner, &[("q", "refund")]).await;
    assert_eq!(names(&found), ["Dana Whitfield"]);
    let snippet = &found["rows"][0]["snippet"];
    let marked: Vec<&str> = snippet
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["hit"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["refund"]);
    assert_eq!(
        names(&listed(&owner, &[("q", "REFU")]).await),
        ["Dana Whitfield"]
    );
    // Every word must match; words from the summary and the caller's name count.
    assert_eq!(
        names(&listed(&owner, &[("q", "appointment friday")]).await),
        ["web"]
    );
    assert_eq!(
        names(&listed(&owner, &[("q", "appointment")]).await),
        ["web", "Oliver Grant"]
    );
    assert_eq!(
        names(&listed(&owner, &[("q", "tuesday")]).await),
        ["Oliver Grant"]
    );
    assert_eq!(
        names(&listed(&owner, &[("q", "whitfield")]).await),
        ["Dana Whitfield"]
    );
    // Part of a number.
    assert_eq!(
        names(&listed(&owner, &[("q", "5559876")]).await),
        ["+14155559876"]
    );
    // Search syntax is just words.
    assert_eq!(
        names(&listed(&owner, &[("q", "\"refund\" OR *")]).await),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&listed(&owner, &[("q", "refund*)(")]).await),
        ["Dana Whitfield"]
    );

    // Filters, alone and together.
    assert_eq!(
        names(&listed(&owner, &[("outcome", "voicemail")]).await),
        ["Oliver Grant"]
    );
    assert_eq!(
        names(&listed(&owner, &[("outcome", "answered")]).await),
        ["Dana Whitfield", "web"]
    );
    assert_eq!(
        names(&listed(&owner, &[("status", "no_answer")]).await),
        ["+14155559876"]
    );
    assert_eq!(
        names(&listed(&owner, &[("direction", "outbound"), ("q", "appointment")]).await),
        ["Oliver Grant"]
    );
    let today = Utc::now().date_naive();
    let since = (today - Duration::days(2)).to_string();
    assert_eq!(
        names(&listed(&owner, &[("from", &since)]).await),
        ["Dana Whitfield", "web"]
    );
    let until = (today - Duration::days(2)).to_string();
    let older = listed(&owner, &[("to", &until)]).await;
    assert_eq!(names(&older), ["Oliver Grant", "+14155559876"]);
    assert_eq!(older["stats"]["total"], 2);

    // Bad filters say which field and why.
    let bad = owner
        .get("/api/calls/list?slug=demo&page=1&filter%5Bstatus%5D=exploded&filter%5Bfrom%5D=yesterday")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &bad.json()["detail"]["fields"];
    assert!(fields["status"][0].as_str().unwrap().contains("exploded"));
    assert!(fields["from"][0].as_str().unwrap().contains("2026-11-24"));

    // The page renders the rows with the match marked.
    let page = owner.get("/w/demo/calls?q=refund").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<mark"), "the match is marked");
    assert!(page.body.contains("Dana Whitfield"));
    assert!(!page.body.contains("Oliver Grant"));
}

#[tokio::test]
async fn one_call_shows_its_transcript_cost_and_neighbours() {
    let app = TestApp::seeded().await;
    let demo = app.workspace("genius365", "demo").await;
    let acme = app.workspace("acme", "acme-dental").await;
    let mut ids = vec![];
    for call in CALLS {
        ids.push(store(&app, demo.id, call).await);
    }
    let foreign = store(&app, acme.id, &CALLS[1]).await;
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let detail = viewer
        .get(&format!("/api/calls/get?slug=demo&id={}", ids[0]))
        .await
        .json();
    assert_eq!(detail["transcript"].as_array().unwrap().len(), 3);
    assert_eq!(detail["billed_minutes"], 2);
    assert_eq!(detail["row"]["billed_cents"], 40);
    assert_eq!(detail["newer"], Value::Null, "the newest call");
    assert_eq!(
        detail["older"],
        ids[3].to_string(),
        "the web call a day ago"
    );
    let middle = viewer
        .get(&format!("/api/calls/get?slug=demo&id={}", ids[3]))
        .await
        .json();
    assert_eq!(middle["newer"], ids[0].to_string());
    assert_eq!(middle["older"], ids[1].to_string());

    // Sandbox calls carry a recording made from their transcript.
    let recording = format!("/w/demo/calls/{}/recording.wav", ids[0]);
    assert_eq!(detail["recording_url"], recording.as_str());
    let audio = viewer.get(&recording).await;
    assert_eq!(audio.status, StatusCode::OK);
    assert_eq!(audio.header("content-type"), "audio/wav");
    assert_eq!(audio.header("accept-ranges"), "bytes");
    // Players seek with byte ranges, and ranges are never compressed.
    let part = app
        .stream(
            axum::http::Request::builder()
                .uri(&recording)
                .header("host", PLATFORM_HOST)
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
    let other = viewer
        .get(&format!("/api/calls/get?slug=demo&id={foreign}"))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
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
    let app = TestApp::seeded().await;
    let demo = app.workspace("genius365", "demo").await;
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
        store(&app, demo.id, &call).await;
    }
    store(&app, demo.id, &CALLS[0]).await;
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

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
                .header("host", PLATFORM_HOST)
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
        app.get(PLATFORM_HOST, "/w/demo/calls.csv").await.status,
        StatusCode::UNAUTHORIZED
    );
    let acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    assert_eq!(
        acme.get("/w/demo/calls.csv").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_stored_status_no_variant_has_is_an_error_not_in_progress() {
    use app::db::entity::conversation::{Column, Entity};
    let app = TestApp::seeded().await;
    let demo = app.workspace("genius365", "demo").await;
    let id = store(&app, demo.id, &CALLS[0]).await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    assert_eq!(listed(&owner, &[]).await["rows"][0]["status"], "completed");
    // A value written by something other than this build (a newer one, a hand edit).
    Entity::update_many()
        .col_expr(Column::Status, sea_orm::sea_query::Expr::value("on_hold"))
        .filter(Column::Id.eq(id))
        .exec(&app.state.db)
        .await
        .unwrap();

    for url in [
        "/api/calls/list?slug=demo&page=1".to_owned(),
        format!("/api/calls/get?slug=demo&id={id}"),
    ] {
        let answer = owner.get(&url).await;
        assert_eq!(
            answer.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{url}: {}",
            answer.body
        );
        assert!(
            !answer.body.contains("on_hold"),
            "the cause stays in the log"
        );
    }
}
