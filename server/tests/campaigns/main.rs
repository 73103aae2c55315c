//! Campaigns: a list imported (bad rows, duplicates and do-not-call numbers accounted
//! for), the compliance preview, then the dialer on Sandbox: everyone called once per
//! attempt, retries per outcome, callbacks at the time asked, requests not to be called
//! again honoured, windows in each recipient's own time, pause, resume and cancel, the
//! paywall pausing and credit resuming. VAPI and Retell placements against the
//! simulators in `providers`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod controls;
mod dnc;
mod kill;
mod live;
mod pages;
mod providers;

use app::agents::model::{AgentProvider, Direction};
use app::campaigns::api::{
    AddDoNotCall, CancelCampaign, CreateCampaign, GetCampaign, LaunchCampaign, ListDoNotCall,
    PauseCampaign, PreviewLaunch, ResumeCampaign,
};
use app::campaigns::model::{
    CampaignSettings, CampaignStatus, ImportSummary, PauseReason, RecipientOutcome,
    RecipientStatus, Window,
};
use app::db::entity::{campaign_attempt, campaign_recipient, conversation};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use chrono::{Timelike, Utc};
use common::{Client, TestApp};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// A fixed-offset zone where it is about noon now, so calling windows are open whenever
/// the test runs.
pub fn noon_zone() -> String {
    let offset = 12 - i32::try_from(Utc::now().hour()).unwrap();
    match offset {
        0 => "Etc/GMT".into(),
        // POSIX signs: Etc/GMT-5 is five hours ahead of UTC.
        n if n > 0 => format!("Etc/GMT-{n}"),
        n => format!("Etc/GMT+{}", -n),
    }
}

/// Every day, 08:00 to 21:00.
pub fn all_week() -> Vec<Window> {
    (0..7)
        .map(|day| Window {
            day,
            start: 8 * 60,
            end: 21 * 60,
        })
        .collect()
}

/// An app whose Sandbox calls end at once.
pub async fn app() -> TestApp {
    TestApp::with_config(|config| {
        config.campaigns.sandbox_call = std::time::Duration::ZERO;
    })
    .await
}

/// An organisation owner's browser and a workspace to run campaigns in.
pub async fn owner(app: &TestApp) -> (Client<'_>, String) {
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let client = acme.person(PartnerRole::Owner).await.client().await;
    (client, dental.slug())
}

/// An outbound agent of `provider` in workspace `slug`, synced.
pub async fn outbound_agent(client: &mut Client<'_>, slug: &str, provider: AgentProvider) -> Uuid {
    let mut draft = common::agents::draft(provider, "Recall");
    draft.direction = Direction::Outbound;
    draft.config.first_message = String::new();
    draft.config.system_prompt = "You remind {{first_name}} of their {{appointment}}.".into();
    common::agents::create(client, slug, &draft).await.unwrap()
}

/// Settings calling every day in windows open now (recipients' zones from the list).
pub fn settings(name: &str, agent: Uuid) -> CampaignSettings {
    CampaignSettings {
        name: name.into(),
        agent_id: Some(agent),
        time_zone: noon_zone(),
        windows: all_week(),
        concurrency: 3,
        ..CampaignSettings::default()
    }
}

pub async fn create(client: &mut Client<'_>, slug: &str, settings: CampaignSettings) -> Uuid {
    client
        .call(CreateCampaign {
            slug: slug.into(),
            settings,
        })
        .await
        .unwrap()
}

/// Imports `csv` into the campaign.
pub async fn import(
    client: &Client<'_>,
    slug: &str,
    id: Uuid,
    query: &str,
    csv: &str,
) -> (StatusCode, serde_json::Value) {
    let response = client
        .post_body(
            &format!("/w/{slug}/campaigns/{id}/import?file=list.csv{query}"),
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    (response.status, response.json())
}

pub async fn recipients(app: &TestApp, campaign: Uuid) -> Vec<campaign_recipient::Model> {
    campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(campaign))
        .order_by_asc(campaign_recipient::Column::Phone)
        .all(&app.state.db)
        .await
        .unwrap()
}

fn by_phone<'r>(
    rows: &'r [campaign_recipient::Model],
    phone: &str,
) -> &'r campaign_recipient::Model {
    rows.iter()
        .find(|r| r.phone == phone)
        .unwrap_or_else(|| panic!("{phone} is on the list"))
}

/// As if every retry and callback had fallen due: their times move to now, and the
/// minute's upkeep wakes the dispatch.
pub async fn time_passes(app: &TestApp) {
    campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::NextAttemptAt,
            Expr::value(Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .exec(&app.state.db)
        .await
        .unwrap();
    app.run_periodic_jobs().await;
}

/// Calls per recipient, counted from the conversations the attempts carry.
async fn calls_per_phone(app: &TestApp) -> std::collections::BTreeMap<String, usize> {
    let calls = conversation::Entity::find()
        .filter(conversation::Column::CampaignAttemptId.is_not_null())
        .all(&app.state.db)
        .await
        .unwrap();
    let mut out = std::collections::BTreeMap::new();
    for call in calls {
        *out.entry(call.phone_number.unwrap()).or_default() += 1;
    }
    out
}

const LIST: &str = "\
Phone,First Name,Last Name,Appointment,tz
(415) 555-0101,Ada,Lovelace,Tuesday 10am,{zone}
415 555 0106,Alan,Turing,Wednesday 2pm,{zone}
+1 415 555 0107,Grace,Hopper,,{zone}
415-555-0108,Edsger,Dijkstra,Friday,{zone}
4155550109,Barbara,Liskov,Monday,{zone}
415 555 0113,Ken,Thompson,Thursday,{zone}
415 555 0120,Dennis,Ritchie,Monday,{zone}
12345,Bad,Number,,{zone}
,No,Phone,,{zone}
415 555 0101,Ada,Again,,{zone}
415 555 0121,Zone,Less,,Mars/Olympus
";

fn list() -> String {
    LIST.replace("{zone}", &noon_zone())
}

#[tokio::test]
async fn a_list_is_imported_and_previewed_before_launch() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Spring recall", agent)).await;
    client
        .call(AddDoNotCall {
            slug: slug.clone(),
            phone: "+1 415 555 0120".into(),
            reason: "Asked by letter".into(),
        })
        .await
        .unwrap();

    let (status, body) = import(&client, &slug, id, "", &list()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let summary: ImportSummary = serde_json::from_value(body).unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            rows: 11,
            added: 7,
            merged: 0,
            rejected: 4,
        }
    );
    let rows = recipients(&app, id).await;
    let ada = by_phone(&rows, "+14155550101");
    assert_eq!(ada.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(ada.fields["appointment"], "Tuesday 10am");
    assert_eq!(ada.time_zone.as_deref(), Some(noon_zone().as_str()));

    let preview = client
        .call(PreviewLaunch {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(preview.recipients, 7);
    assert_eq!(preview.will_call, 6);
    assert_eq!(preview.do_not_call, 1, "+14155550120 is on the list");
    assert_eq!(preview.invalid, 2, "a short number and an empty one");
    assert_eq!(preview.duplicate, 1);
    assert_eq!(preview.other_rejects, 1, "an unknown time zone");
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    assert_eq!(
        preview.estimated_minutes, 4,
        "6 calls of 2 minutes, 3 at a time"
    );
    // Each group skipped, downloadable.
    let group = |path: String| {
        let client = &client;
        async move {
            let answer = client.get(&path).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
            answer.body
        }
    };
    let listed = group(format!(
        "/w/{slug}/campaigns/{id}/skipped.csv?group=do_not_call"
    ))
    .await;
    assert_eq!(
        listed,
        "phone,name,why\r\n+14155550120,Dennis Ritchie,on a do-not-call list\r\n"
    );
    let no_window = group(format!(
        "/w/{slug}/campaigns/{id}/skipped.csv?group=no_window"
    ))
    .await;
    assert_eq!(no_window.lines().count(), 1, "everyone has a window");
    let invalid = group(format!(
        "/w/{slug}/campaigns/{id}/rejects.csv?reason=invalid"
    ))
    .await;
    assert_eq!(invalid.lines().count(), 1 + 2, "{invalid}");
    let duplicate = group(format!(
        "/w/{slug}/campaigns/{id}/rejects.csv?reason=duplicate"
    ))
    .await;
    assert_eq!(duplicate.lines().count(), 1 + 1, "{duplicate}");
    for path in ["skipped.csv?group=everyone", "rejects.csv?reason=mine"] {
        let answer = client
            .get(&format!("/w/{slug}/campaigns/{id}/{path}"))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
    // The list page says when each campaign calls next (a draft: not yet).
    let page = client.get(&format!("/w/{slug}/campaigns")).await;
    assert!(page.body.contains("Next call"));

    // Importing the same list again merges every number.
    let (_, body) = import(&client, &slug, id, "", &list()).await;
    let again: ImportSummary = serde_json::from_value(body).unwrap();
    assert_eq!((again.added, again.merged, again.rejected), (0, 0, 11));
}

#[tokio::test]
async fn bad_lists_are_refused_with_the_reason_and_add_nothing() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Bad lists", agent)).await;
    for (query, csv, field, words) in [
        (
            "",
            "Name,Email\nAda,ada@example.com\n",
            "map",
            "phone numbers",
        ),
        ("", "", "file", "empty"),
        ("", "Phone\n", "file", "no recipients"),
        (
            "&map=phone,nonsense",
            "Phone,Other\n4155550101,x\n",
            "map",
            "not something",
        ),
        (
            "&map=phone",
            "Phone,Other\n4155550101,x\n",
            "map",
            "2 columns but 1",
        ),
    ] {
        let (status, body) = import(&client, &slug, id, query, csv).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{csv:?}: {body}");
        let message = body["detail"]["fields"][field][0]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(words), "{csv:?}: {body}");
    }
    // A list saved in Latin-1 (as spreadsheets do) is named for what it is.
    let latin1 = b"Phone,Name\n4155550101,Jos\xe9\n".to_vec();
    let response = client
        .post_body(
            &format!("/w/{slug}/campaigns/{id}/import"),
            "text/csv",
            latin1,
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.json()["detail"]["fields"]["file"][0]
            .as_str()
            .unwrap()
            .contains("Row 2 is not UTF-8"),
        "{}",
        response.body
    );
    assert!(recipients(&app, id).await.is_empty());
    // A list of another workspace's campaign is not found here.
    let other = app.org("other").await.workspace("clinic").await;
    let (status, _) = import(&client, &other.slug(), id, "", "Phone\n4155550101\n").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_sandbox_campaign_calls_each_attempt_once_retries_and_completes() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Spring recall", agent)).await;
    client
        .call(AddDoNotCall {
            slug: slug.clone(),
            phone: "+14155550120".into(),
            reason: String::new(),
        })
        .await
        .unwrap();
    import(&client, &slug, id, "", &list()).await;
    let status = client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(status, CampaignStatus::Running);
    app.run_jobs().await;

    // The first round: everyone called once; outcomes by the Sandbox's numbers.
    let rows = recipients(&app, id).await;
    let state = |phone: &str| {
        let r = by_phone(&rows, phone);
        (r.status, r.outcome, r.attempts)
    };
    use RecipientOutcome as O;
    use RecipientStatus as S;
    assert_eq!(state("+14155550101"), (S::Completed, Some(O::Answered), 1));
    assert_eq!(state("+14155550106"), (S::Queued, Some(O::NoAnswer), 1));
    assert_eq!(state("+14155550107"), (S::Queued, Some(O::Busy), 1));
    assert_eq!(state("+14155550108"), (S::Queued, Some(O::Voicemail), 1));
    assert_eq!(state("+14155550109"), (S::Queued, Some(O::Callback), 1));
    assert_eq!(state("+14155550113"), (S::Completed, Some(O::DoNotCall), 1));
    assert_eq!(state("+14155550120"), (S::Skipped, Some(O::DoNotCall), 0));
    let callback = by_phone(&rows, "+14155550109").next_attempt_at.unwrap();
    assert!(
        callback > Utc::now() + chrono::Duration::hours(12),
        "tomorrow at three"
    );
    // Asking not to be called again put the number on the workspace's list.
    let listed = client
        .call(ListDoNotCall { slug: slug.clone() })
        .await
        .unwrap();
    assert!(listed.entries.iter().any(
        |e| e.phone == "+14155550113" && e.source == app::campaigns::model::DncSource::Request
    ));

    // Retries and the callback, as their times come.
    time_passes(&app).await;
    let rows = recipients(&app, id).await;
    let state = |phone: &str| {
        let r = by_phone(&rows, phone);
        (r.status, r.outcome, r.attempts)
    };
    assert_eq!(state("+14155550106"), (S::Completed, Some(O::Answered), 2));
    assert_eq!(state("+14155550107"), (S::Queued, Some(O::Busy), 2));
    assert_eq!(state("+14155550108"), (S::Completed, Some(O::Answered), 2));
    assert_eq!(state("+14155550109"), (S::Completed, Some(O::Answered), 2));
    time_passes(&app).await;
    let rows = recipients(&app, id).await;
    assert_eq!(
        by_phone(&rows, "+14155550107").status,
        S::Completed,
        "busy twice, answered the third time"
    );

    // Done: completed, its maker emailed, and every call counted once.
    let detail = client
        .call(GetCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(detail.status, CampaignStatus::Completed);
    assert_eq!(detail.progress.total, 7);
    assert_eq!(detail.progress.completed, 6);
    assert_eq!(detail.progress.skipped, 1);
    assert_eq!(detail.progress.calls, 11);
    let emails = app.emails_to("owner@acme.test").await;
    assert!(
        emails
            .iter()
            .any(|e| e.subject == "Campaign finished: Spring recall"),
        "{:?}",
        emails.iter().map(|e| &e.subject).collect::<Vec<_>>()
    );
    let calls = calls_per_phone(&app).await;
    for r in recipients(&app, id).await {
        assert_eq!(
            calls.get(&r.phone).copied().unwrap_or(0),
            usize::try_from(r.attempts).unwrap(),
            "{}: one call per attempt",
            r.phone
        );
    }
    let attempts = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 11);

    // The results and the rows not used, as CSV.
    let results = client
        .get(&format!("/w/{slug}/campaigns/{id}/recipients.csv"))
        .await;
    assert_eq!(results.status, StatusCode::OK);
    assert_eq!(results.header("content-type"), "text/csv; charset=utf-8");
    let lines: Vec<&str> = results.body.lines().collect();
    assert_eq!(
        lines[0],
        "row,phone,name,status,outcome,attempts,next_attempt_at,note,last_call_id"
    );
    assert_eq!(lines.len(), 8, "a header and the 7 recipients");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("4,+14155550107,Grace Hopper,completed,answered,3,")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("+14155550120") && l.contains("skipped,do_not_call,0"))
    );
    let rejects = client
        .get(&format!("/w/{slug}/campaigns/{id}/rejects.csv"))
        .await;
    let lines: Vec<&str> = rejects.body.lines().collect();
    assert_eq!(lines[0], "row,phone,reason,detail");
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[1].starts_with("9,12345,invalid_number,"), "{lines:?}");
    let listed = client.get(&format!("/w/{slug}/do-not-call.csv")).await;
    assert!(
        listed.body.contains("+14155550113,workspace,request,"),
        "{}",
        listed.body
    );
    assert!(attempts.iter().all(|a| a.conversation_id.is_some()));
}
