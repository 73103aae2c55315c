//! The dashboard and the analytics page: figures over the window chosen, per day with the
//! empty days shown, outcome, duration and sentiment distributions, per-agent performance,
//! and the CSV export; each for its own workspace only.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::model::AgentProvider;
use app::analytics::api::{WorkspaceAnalytics, WorkspaceDashboard};
use app::calls::model::{CallDirection, CallStatus};
use app::tenancy::api::GetWorkspaceOverview;
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;
use common::TestApp;
use common::calls::{Call, store_for};
use uuid::Uuid;

fn call(id: &'static str, status: CallStatus, seconds: i32, days_ago: i64) -> Call<'static> {
    Call {
        id,
        status,
        direction: CallDirection::Outbound,
        number: "+14155550100",
        name: "",
        lines: &["Hello."],
        summary: "",
        end_reason: if status == CallStatus::Completed {
            "customer-ended-call"
        } else {
            "no-answer"
        },
        seconds,
        days_ago,
    }
}

async fn agent_named(owner: &mut common::Client<'_>, name: &str) -> Uuid {
    let draft = common::agents::draft(AgentProvider::Sandbox, name);
    common::agents::create(owner, "demo", &draft).await.unwrap()
}

#[tokio::test]
async fn figures_cover_the_window_per_day_per_outcome_and_per_agent() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let acme = app.org("acme").await;
    let acme_ws = acme.workspace("acme-dental").await;
    let mut owner = demo.member(WorkspaceRole::Owner).await.client().await;
    let front = agent_named(&mut owner, "Front desk").await;
    let sales = agent_named(&mut owner, "Sales").await;
    for (agent, c) in [
        (front, call("a1", CallStatus::Completed, 61, 0)),
        (front, call("a2", CallStatus::Completed, 30, 0)),
        (front, call("a3", CallStatus::NoAnswer, 0, 2)),
        (sales, call("a4", CallStatus::Completed, 400, 5)),
        (sales, call("a5", CallStatus::Busy, 0, 20)),
        // Outside every window.
        (sales, call("a6", CallStatus::Completed, 90, 120)),
    ] {
        store_for(&app, demo.id(), Some(agent), &c).await;
    }
    store_for(
        &app,
        acme_ws.id(),
        None,
        &call("x1", CallStatus::Completed, 600, 0),
    )
    .await;
    let mut viewer = demo.member(WorkspaceRole::Viewer).await.client().await;
    let report = |days: u32, agent: String| WorkspaceAnalytics {
        slug: "demo".into(),
        days,
        agent,
    };

    let week = viewer.call(report(7, String::new())).await.unwrap();
    assert_eq!(week.totals.calls, 4);
    assert_eq!(week.totals.answered, 3);
    assert_eq!(week.totals.seconds, 61 + 30 + 400);
    assert_eq!(week.totals.cents, (2 + 1 + 7) * 20);
    let days = &week.per_day;
    assert_eq!(days.len(), 7, "every day, empty ones too");
    assert_eq!(days[6].calls, 2, "today, last");
    assert_eq!(days[4].calls, 1);
    assert_eq!(days[5].calls, 0);
    let bands: Vec<u64> = week.durations.iter().map(|b| b.count).collect();
    assert_eq!(bands, [2, 1, 0, 1, 0], "0 s, 30 s | 61 s | | 400 s |");
    let agents = &week.agents;
    assert_eq!(agents[0].name, "Front desk");
    assert_eq!(agents[0].totals.calls, 3);
    assert_eq!(agents[1].name, "Sales");
    assert_eq!(agents[1].totals.calls, 1);

    let month = viewer.call(report(30, String::new())).await.unwrap();
    assert_eq!(month.totals.calls, 5);
    let outcomes: Vec<(&str, u64)> = month
        .outcomes
        .iter()
        .map(|o| (o.key.as_str(), o.count))
        .collect();
    assert_eq!(outcomes, [("answered", 3), ("no_answer", 1), ("busy", 1)]);
    let one = viewer.call(report(30, sales.to_string())).await.unwrap();
    assert_eq!(one.totals.calls, 2);
    // An agent of another workspace is refused, by name of the field.
    let foreign = viewer
        .call(report(30, Uuid::now_v7().to_string()))
        .await
        .unwrap_err();
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.error.field("agent").is_some(), "{foreign:?}");

    // The dashboard: this month and the last 7 days, and the five most recent calls.
    let dash = viewer
        .call(WorkspaceDashboard {
            slug: "demo".into(),
            days: 7,
        })
        .await
        .unwrap();
    assert_eq!(dash.agents, 2);
    assert_eq!(dash.conversations, 6);
    // Billed minutes of the calls made since the first of this month.
    let today = chrono::Utc::now().date_naive();
    let month_minutes: i64 = [(2, 0), (1, 0), (0, 2), (7, 5), (0, 20), (2, 120)]
        .iter()
        .filter(|(_, days_ago)| {
            chrono::Datelike::month(&(today - chrono::Duration::days(*days_ago)))
                == chrono::Datelike::month(&today)
                && *days_ago < 32
        })
        .map(|(minutes, _)| minutes)
        .sum();
    assert_eq!(dash.month_minutes, month_minutes);
    assert_eq!(dash.per_day.len(), 7);
    assert_eq!(dash.recent.len(), 5);
    // Its credits card reads the balance the workspace frame loads for every page.
    let overview = viewer
        .call(GetWorkspaceOverview {
            slug: "demo".into(),
        })
        .await
        .unwrap();
    assert_eq!(overview.credits.balance_cents, 1000 - (2 + 1 + 7 + 2) * 20);
    let page = viewer.get("/w/demo").await;
    assert!(
        page.body.contains("$7.60"),
        "the dashboard shows the balance"
    );

    // Pages render their charts on the server, labelled.
    let page = viewer.get("/w/demo/analytics?days=7").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("role=\"img\""));
    assert!(
        page.body.contains("4 calls over 7 days"),
        "the chart describes itself"
    );
    assert!(page.body.contains("Front desk"));
    let home = viewer.get("/w/demo").await;
    assert!(home.body.contains("data-testid=\"dashboard-kpis\""));
    assert!(home.body.contains("4 calls over 7 days"));

    // The export is for admins; it has a row per day and per agent.
    assert_eq!(
        viewer.get("/w/demo/analytics.csv?days=7").await.status,
        StatusCode::FORBIDDEN
    );
    let csv = owner.get("/w/demo/analytics.csv?days=7").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().count(), 1 + 7 + 2);
    assert!(csv.body.contains("agent,Front desk,sandbox,3,2,67,91,"));
    let acme_owner = acme.person(PartnerRole::Owner).await.client().await;
    assert_eq!(
        acme_owner.get("/w/demo/analytics.csv").await.status,
        StatusCode::NOT_FOUND
    );
}
