//! A campaign's live page: its stream tells the page when the campaign moves (only that
//! campaign, only to those who may read it), its pulse counts calls in flight, pace and
//! latest calls, and its recipients are searched by name or number.

use app::agents::model::AgentProvider;
use app::campaigns::api::{CampaignPulse, LaunchCampaign, ListRecipients};
use app::live::CampaignEvent;
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;

use super::{app, create, import, list, outbound_agent, settings};
use crate::common::Client;

/// Opens the campaign's stream as `client`; the response with its body streaming.
async fn open(client: &Client<'_>, path: &str) -> axum::response::Response {
    let request = axum::http::Request::builder()
        .uri(path)
        .header("host", &client.host)
        .header("cookie", client.cookie.clone().unwrap())
        .body(axum::body::Body::empty())
        .unwrap();
    client.app().stream(request).await
}

/// The `event: campaign` frames that arrive on `body` within `wait`.
async fn campaign_events(
    body: &mut axum::body::Body,
    wait: std::time::Duration,
) -> Vec<CampaignEvent> {
    use http_body_util::BodyExt;
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await {
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
    }
    text.split("\n\n")
        .filter_map(|frame| frame.strip_prefix("event: campaign\ndata: "))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect()
}

#[tokio::test]
async fn a_campaign_page_hears_its_own_campaign_move_and_shows_its_pulse() {
    let app = app().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let slug = dental.slug();
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let agent = outbound_agent(&mut owner, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut owner, &slug, settings("Spring recall", agent)).await;
    let other = create(&mut owner, &slug, settings("Autumn recall", agent)).await;
    import(&owner, &slug, id, "", &list()).await;
    import(&owner, &slug, other, "", &list()).await;
    let mut viewer = dental.member(WorkspaceRole::Viewer).await.client().await;
    let path = format!("/w/{slug}/campaigns/{id}/live");
    let response = open(&viewer, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    // Let the relay (PostgreSQL) start listening before anything happens.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Another campaign moving is not news here.
    let launch = |id| LaunchCampaign {
        slug: slug.clone(),
        id,
    };
    owner.call(launch(other)).await.unwrap();
    app.run_jobs().await;
    let heard = campaign_events(&mut body, std::time::Duration::from_millis(1500)).await;
    assert!(heard.is_empty(), "{heard:?}");

    // This one is; a burst of moves is told as a few events, not one per move.
    owner.call(launch(id)).await.unwrap();
    app.run_jobs().await;
    let heard = campaign_events(&mut body, std::time::Duration::from_millis(1500)).await;
    assert!(!heard.is_empty(), "the launch and the calls are news");
    assert!(
        heard
            .iter()
            .all(|e| e.campaign_id == id && e.workspace_id == dental.id())
    );
    // Six calls placed and ended, and the dispatches between: a score of moves, gathered
    // (at most one event per 0.4 s of the 1.5 s listened).
    assert!(heard.len() <= 4, "{} events", heard.len());

    // The pulse: every call started counted in the pace, none in flight now, the newest
    // calls in the feed with their outcomes.
    let pulse = viewer
        .call(CampaignPulse {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(pulse.in_flight, 0);
    assert_eq!(pulse.concurrency, 3);
    assert_eq!(
        pulse.started_recently, 6,
        "six of seven called; one on the list"
    );
    assert_eq!(pulse.activity.len(), 6);
    let ada = pulse
        .activity
        .iter()
        .find(|a| a.phone == "+14155550101")
        .unwrap();
    assert_eq!(ada.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        ada.outcome,
        Some(app::campaigns::model::RecipientOutcome::Answered)
    );
    assert!(ada.conversation_id.is_some());
    // Retries are still queued, so at this pace there is time left.
    assert!(pulse.eta_minutes.is_some(), "{pulse:?}");

    // Strangers, other tenants and campaigns of other workspaces are refused.
    let stranger = axum::http::Request::builder()
        .uri(&path)
        .header("host", &acme.host)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        app.stream(stranger).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let clinic = acme.workspace("clinic").await;
    let clinic_owner = clinic.member(WorkspaceRole::Admin).await.client().await;
    let response = open(&clinic_owner, &path).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = open(
        &clinic_owner,
        &format!("/w/{}/campaigns/{id}/live", clinic.slug()),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let elsewhere = app.org("globex").await;
    let outsider = elsewhere.person(PartnerRole::Owner).await.client().await;
    assert_eq!(outsider.get(&path).await.status, StatusCode::NOT_FOUND);
    // The retries' dispatches wait for their times.
    app.leave_jobs("campaigns.dispatch");
}

#[tokio::test]
async fn recipients_are_searched_by_name_or_number() {
    let app = app().await;
    let (mut client, slug) = super::owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Spring recall", agent)).await;
    import(&client, &slug, id, "", &list()).await;
    let search = |q: &str| ListRecipients {
        slug: slug.clone(),
        id,
        status: String::new(),
        search: q.into(),
        page: 1,
    };
    let phones = |page: app::campaigns::model::RecipientPage| {
        page.rows.into_iter().map(|r| r.phone).collect::<Vec<_>>()
    };
    // By name, any case; by the digits of a number, however written.
    let found = client.call(search("  ADA ")).await.unwrap();
    assert_eq!(phones(found), ["+14155550101"]);
    let found = client.call(search("555-0107")).await.unwrap();
    assert_eq!(phones(found), ["+14155550107"]);
    // LIKE's wildcards are not wildcards: a search of only them is no search.
    assert_eq!(client.call(search("%_")).await.unwrap().total, 7);
    assert_eq!(client.call(search("a%a")).await.unwrap().total, 0);
    let refused = client.call(search(&"x".repeat(101))).await.unwrap_err();
    assert!(
        refused.error.field("search").is_some(),
        "{:?}",
        refused.error
    );
}
