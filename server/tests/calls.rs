//! The calls table and its export: filters, full-text search (on whichever database the
//! suite runs), totals over the filtered set, one call with its neighbours, and a CSV of
//! any size streamed in batches, all scoped to the workspace.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use common::calls::{Call, store};

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{ACME_HOST, Client, PLATFORM_HOST, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

const CALLS: &[Call<'static>] = &[
    Call {
        id: "c1",
        status: "completed",
        direction: "inbound",
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
        status: "completed",
        direction: "outbound",
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
        status: "no_answer",
        direction: "outbound",
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
        status: "completed",
        direction: "web",
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
        url.push_str(&format!("&filter%5B{k}%5D={}", common::urlencode(v)));
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
            status: if n % 4 == 0 { "no_answer" } else { "completed" },
            direction: "outbound",
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

/// The next `event: call` frame's data on an open event stream, within five seconds.
async fn next_call_event(body: &mut axum::body::Body) -> Value {
    use http_body_util::BodyExt;
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .expect("news arrives within five seconds")
            .expect("the stream stays open")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
        if let Some(start) = text.find("event: call\ndata: ") {
            let rest = &text[start + "event: call\ndata: ".len()..];
            if let Some(end) = rest.find("\n\n") {
                return serde_json::from_str(&rest[..end]).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn open_pages_hear_of_each_call_change_of_their_workspace_only() {
    let app = TestApp::seeded().await;
    let demo = app.workspace("genius365", "demo").await;
    let acme = app.workspace("acme", "acme-dental").await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let request = axum::http::Request::builder()
        .uri("/w/demo/live")
        .header("host", PLATFORM_HOST)
        .header("cookie", owner.cookie.clone().unwrap())
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.stream(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    // Let the relay (PostgreSQL) start listening before anything happens.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Another workspace's call is not news here; this workspace's calls are, as they move.
    let mut ringing = CALLS[0].clone_as("live-1", "ringing");
    store(&app, acme.id, &ringing).await;
    let id = store(&app, demo.id, &ringing).await;
    let news = next_call_event(&mut body).await;
    assert_eq!(news["workspace_id"], demo.id.to_string());
    assert_eq!(news["conversation_id"], id.to_string());
    assert_eq!(news["status"], "ringing");
    ringing.status = "completed";
    store(&app, demo.id, &ringing).await;
    let news = next_call_event(&mut body).await;
    assert_eq!(news["status"], "completed");
    assert_eq!(news["conversation_id"], id.to_string());

    // Strangers and other tenants cannot listen.
    let stranger = axum::http::Request::builder()
        .uri("/w/demo/live")
        .header("host", PLATFORM_HOST)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        app.stream(stranger).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let acme_owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    assert_eq!(
        acme_owner.get("/w/demo/live").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Opens `/w/demo/live` with `cookie`; the response with its body streaming.
async fn open_live(app: &TestApp, cookie: &str) -> axum::response::Response {
    let request = axum::http::Request::builder()
        .uri("/w/demo/live")
        .header("host", PLATFORM_HOST)
        .header("cookie", cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    app.stream(request).await
}

/// Whether the stream ends (within five seconds), reading what comes before.
async fn ends(body: axum::body::Body) -> bool {
    use http_body_util::BodyExt;
    let mut body = body;
    let read = async {
        while let Some(frame) = body.frame().await {
            if frame.is_err() {
                break;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), read)
        .await
        .is_ok()
}

#[tokio::test]
async fn a_live_stream_ends_when_its_session_ends_or_its_access_goes() {
    let app = TestApp::seeded_with(|config| {
        config.live_recheck = std::time::Duration::from_millis(100);
    })
    .await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let mut kept = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;

    let owners = open_live(&app, &owner.cookie.clone().unwrap()).await;
    let viewers = open_live(&app, &viewer.cookie.clone().unwrap()).await;
    let other_session = open_live(&app, &kept.cookie.clone().unwrap()).await;
    assert_eq!(owners.status(), StatusCode::OK);

    // Signing out ends this session's stream, and only it.
    owner.post("/api/auth/logout", &[]).await;
    assert!(ends(owners.into_body()).await, "the signed-out stream ends");
    // Removed from the workspace: the viewer's stream ends too.
    let ws = app.workspace("genius365", "demo").await;
    let member = app::db::entity::workspace_member::Entity::find()
        .filter(app::db::entity::workspace_member::Column::WorkspaceId.eq(ws.id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.role == app::tenancy::model::WorkspaceRole::Viewer)
        .unwrap();
    let removed = kept
        .post(
            "/api/workspace/member/remove",
            &[("slug", "demo"), ("member_id", &member.id.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert!(
        ends(viewers.into_body()).await,
        "the removed member's stream ends"
    );
    // The other session of the owner goes on.
    let mut body = other_session.into_body();
    let still_open = tokio::time::timeout(std::time::Duration::from_millis(500), async {
        use http_body_util::BodyExt;
        while let Some(Ok(_)) = body.frame().await {}
    })
    .await
    .is_err();
    assert!(still_open, "another session's stream goes on");
}

#[tokio::test]
async fn one_person_holds_a_bounded_number_of_live_streams() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let cookie = owner.cookie.clone().unwrap();
    let mut open = vec![];
    for _ in 0..app::calls::live_guard::MAX_STREAMS_PER_USER {
        let response = open_live(&app, &cookie).await;
        assert_eq!(response.status(), StatusCode::OK);
        open.push(response);
    }
    let refused = open_live(&app, &cookie).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "30");
    // Closing one frees its place.
    drop(open.pop());
    assert_eq!(open_live(&app, &cookie).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn algolia_answers_searches_when_assigned_and_the_built_in_index_when_it_fails() {
    use common::voice_sim::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, VoiceSim};
    let (sim, url) = VoiceSim::start().await;
    let app = TestApp::seeded_with(move |config| config.providers.algolia = url).await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let demo = app.workspace("genius365", "demo").await;
    let acme = app.workspace("acme", "acme-dental").await;
    // Calls from before Algolia was added are indexed when it is.
    for call in &CALLS[..2] {
        store(&app, demo.id, call).await;
    }
    let in_index = |sim: &VoiceSim| {
        sim.store()
            .algolia
            .get("call_logs")
            .map_or(0, |(_, records)| records.len())
    };
    let added = owner
        .post(
            "/api/org/integrations/create",
            &[
                ("provider", "algolia"),
                ("name", "Search"),
                ("secret_key", ALGOLIA_ADMIN_KEY),
                ("public_key", ""),
                ("app_id", ALGOLIA_APP_ID),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(in_index(&sim), 0, "indexed by a job, after the request");
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(in_index(&sim), 2, "the earlier calls were indexed");
    for call in &CALLS[2..] {
        store(&app, demo.id, call).await;
    }
    store(&app, acme.id, &CALLS[0]).await;
    // Finished calls go to the organisation's index; the other tenant's do not.
    assert_eq!(app.run_jobs().await, 2);
    assert_eq!(in_index(&sim), 4);
    let record = sim.store().algolia["call_logs"]
        .1
        .values()
        .find(|r| r["caller_name"] == "Dana Whitfield")
        .cloned()
        .unwrap();
    assert_eq!(record["workspace_id"], demo.id.to_string());
    assert!(
        record["transcript"]
            .as_str()
            .unwrap()
            .contains("refund to your card")
    );

    let found = listed(&owner, &[("q", "refund")]).await;
    assert_eq!(found["searched_with"], "Algolia");
    assert_eq!(found["algolia"], true);
    assert_eq!(names(&found), ["Dana Whitfield"]);
    let queries: Vec<Value> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/1/indexes/call_logs/query")
        .map(|r| r.body)
        .collect();
    assert_eq!(
        queries.last().unwrap()["filters"],
        format!("workspace_id:{}", demo.id)
    );

    // Algolia failing: the built-in index answers, and the page says so.
    sim.fail_with(&[503, 503, 503]);
    let fallback = listed(&owner, &[("q", "refund")]).await;
    assert!(
        fallback["searched_with"]["BuiltInInsteadOfAlgolia"].is_string(),
        "{fallback}"
    );
    assert_eq!(names(&fallback), ["Dana Whitfield"]);

    // Viewers cannot touch the index; admins clear and resync it.
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    assert_eq!(
        viewer
            .post("/api/calls/algolia-clear", &[("slug", "demo")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let cleared = owner
        .post("/api/calls/algolia-clear", &[("slug", "demo")])
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(in_index(&sim), 0);
    // An index with nothing in it: the built-in search still finds the call.
    let empty = listed(&owner, &[("q", "refund")]).await;
    assert_eq!(empty["searched_with"], "BuiltIn");
    assert_eq!(names(&empty), ["Dana Whitfield"]);
    let resynced = owner
        .post("/api/calls/algolia-resync", &[("slug", "demo")])
        .await;
    assert_eq!(resynced.status, StatusCode::OK, "{}", resynced.body);
    assert_eq!(resynced.json(), 4);
    assert_eq!(in_index(&sim), 4);

    // A workspace without Algolia is told so.
    let mut acme_owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let none = acme_owner
        .post("/api/calls/algolia-resync", &[("slug", "acme-dental")])
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert!(none.body.contains("no Algolia integration"));
}
