//! Campaign calls placed through VAPI and Retell (the simulators): each attempt's key and
//! the recipient's variables travel with the call, outcomes come back through the calls'
//! own ingestion, transient failures retry without spending an attempt, refusals fail the
//! recipient with the provider's words (and pause the campaign when they repeat), and a
//! placement interrupted after the provider took it is found by its key, not placed again.

use app::agents::model::AgentProvider;
use app::campaigns::api::{GetCampaign, LaunchCampaign};
use app::campaigns::dialer::PlaceCall;
use app::campaigns::model::{CampaignStatus, PauseReason, RecipientOutcome, RecipientStatus};
use app::db::entity::{campaign_attempt, conversation, job};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use simulators::{RETELL_FROM_NUMBER, RETELL_KEY, VAPI_KEY, VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY};

use super::common::{Client, TestApp};
use super::{create, import, noon_zone, outbound_agent, recipients, settings};

struct Setup {
    app: TestApp,
    sim: simulators::VoiceSim,
}

async fn setup() -> Setup {
    let (sim, url) = simulators::VoiceSim::start().await;
    let app = TestApp::with_config(move |config| {
        config.providers.vapi = url.clone();
        config.providers.retell = url.clone();
        config.campaigns.sandbox_call = std::time::Duration::ZERO;
    })
    .await;
    Setup { app, sim }
}

/// A campaign of `provider` over `csv`, launched; its id.
async fn launched(
    client: &mut Client<'_>,
    slug: &str,
    provider: AgentProvider,
    csv: &str,
) -> uuid::Uuid {
    let agent = outbound_agent(client, slug, provider).await;
    let mut s = settings("Provider", agent);
    s.concurrency = 1;
    let id = create(client, slug, s).await;
    let (status, body) = import(client, slug, id, "", csv).await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body}");
    let launched = client
        .call(LaunchCampaign {
            slug: slug.into(),
            id,
        })
        .await;
    assert!(launched.is_ok(), "{launched:?}");
    id
}

fn placements(sim: &simulators::VoiceSim, path: &str) -> Vec<serde_json::Value> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .map(|r| r.body)
        .collect()
}

async fn sweep(app: &TestApp) {
    app::calls::poll::sweep(
        &app.state,
        None,
        chrono::Utc::now() + chrono::Duration::minutes(3),
    )
    .await
    .unwrap();
    app.run_jobs().await;
}

#[tokio::test]
async fn vapi_calls_carry_the_attempt_key_and_the_recipients_values() {
    let s = setup().await;
    let (mut client, slug) = super::owner(&s.app).await;
    common_connect(&mut client, "vapi").await;
    let csv = format!(
        "phone,first name,appointment,tz\n4155550101,Ada,Tuesday 10am,{}\n",
        noon_zone()
    );
    let id = launched(&mut client, &slug, AgentProvider::Vapi, &csv).await;
    s.app.run_jobs().await;
    let sent = placements(&s.sim, "/call");
    assert_eq!(sent.len(), 1, "one attempt, one call");
    let attempt = campaign_attempt::Entity::find()
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    let overrides = &sent[0]["assistantOverrides"];
    assert_eq!(overrides["metadata"]["attemptKey"], attempt.id.to_string());
    assert_eq!(overrides["variableValues"]["first_name"], "Ada");
    assert_eq!(overrides["variableValues"]["appointment"], "Tuesday 10am");
    assert_eq!(overrides["variableValues"]["phone_number"], "+14155550101");
    assert_eq!(sent[0]["customer"]["number"], "+14155550101");
    assert_eq!(sent[0]["phoneNumberId"], VAPI_PHONE_NUMBER_ID);

    // The call ends at VAPI; the sweep brings its report through ingestion.
    let call_id = attempt.external_id.clone().unwrap();
    assert!(
        s.sim
            .end_call(&call_id, &[("assistant", "Hi Ada!"), ("user", "Bye.")], 40)
    );
    sweep(&s.app).await;
    let r = &recipients(&s.app, id).await[0];
    assert_eq!(
        (r.status, r.outcome),
        (RecipientStatus::Completed, Some(RecipientOutcome::Answered))
    );
    let call = conversation::Entity::find()
        .filter(conversation::Column::ExternalId.eq(&call_id))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(call.campaign_attempt_id, Some(attempt.id));
    assert_eq!(call.billed_cents, 20, "charged once, one started minute");
    let detail = client.call(GetCampaign { slug, id }).await.unwrap();
    assert_eq!(detail.status, CampaignStatus::Completed);
}

#[tokio::test]
async fn transient_failures_retry_the_placement_without_spending_an_attempt() {
    let s = setup().await;
    let (mut client, slug) = super::owner(&s.app).await;
    common_connect(&mut client, "vapi").await;
    let csv = format!("phone,tz\n4155550101,{}\n", noon_zone());
    let id = launched(&mut client, &slug, AgentProvider::Vapi, &csv).await;
    s.sim.fail_with(&[503]);
    s.app.run_jobs().await;
    let r = &recipients(&s.app, id).await[0];
    assert_eq!((r.status, r.attempts), (RecipientStatus::Calling, 1));
    // The queue retries after its backoff: VAPI is asked whether the attempt's call
    // exists (it does not), then the call is placed.
    s.app.run_jobs_after(chrono::Duration::minutes(2)).await;
    let asked = s
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/call?assistantId="))
        .count();
    assert_eq!(asked, 1);
    assert_eq!(
        placements(&s.sim, "/call").len(),
        2,
        "the failed one and the placed one"
    );
    let attempts = campaign_attempt::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].number, 1);
    assert!(attempts[0].external_id.is_some());
    let r = &recipients(&s.app, id).await[0];
    assert_eq!(r.attempts, 1, "the failure spent nothing");
}

#[tokio::test]
async fn refusals_fail_the_recipient_and_repeated_ones_pause_the_campaign() {
    let s = setup().await;
    let (mut client, slug) = super::owner(&s.app).await;
    // An outbound number VAPI does not know: every call is refused.
    common::agents::connect(
        &mut client,
        "vapi",
        VAPI_KEY,
        VAPI_PUBLIC_KEY,
        "no-such-number",
    )
    .await;
    let z = noon_zone();
    let csv = format!(
        "phone,tz\n4155550101,{z}\n4155550102,{z}\n4155550103,{z}\n4155550104,{z}\n4155550105,{z}\n"
    );
    let id = launched(&mut client, &slug, AgentProvider::Vapi, &csv).await;
    s.app.run_jobs().await;
    let rows = recipients(&s.app, id).await;
    let failed: Vec<_> = rows
        .iter()
        .filter(|r| r.status == RecipientStatus::Failed)
        .collect();
    assert_eq!(failed.len(), 3);
    assert!(
        failed[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("Couldn't Find Phone Number"),
        "{:?}",
        failed[0].last_error
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r.status == RecipientStatus::Queued && r.attempts == 0)
            .count(),
        2,
        "the rest wait"
    );
    let detail = client.call(GetCampaign { slug, id }).await.unwrap();
    assert_eq!(detail.status, CampaignStatus::Paused);
    assert_eq!(detail.pause_reason, Some(PauseReason::Setup));
    assert!(detail.pause_detail.unwrap().contains("3 calls in a row"));
}

#[tokio::test]
async fn an_interrupted_retell_placement_is_found_by_its_key_not_placed_again() {
    let s = setup().await;
    let (mut client, slug) = super::owner(&s.app).await;
    common_connect(&mut client, "retell").await;
    let csv = format!("phone,first name,tz\n4155550101,Ada,{}\n", noon_zone());
    launched(&mut client, &slug, AgentProvider::Retell, &csv).await;
    s.app.run_jobs().await;
    let sent = placements(&s.sim, "/v2/create-phone-call");
    assert_eq!(sent.len(), 1);
    let attempt = campaign_attempt::Entity::find()
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sent[0]["metadata"]["attempt_key"], attempt.id.to_string());
    assert_eq!(sent[0]["retell_llm_dynamic_variables"]["first_name"], "Ada");
    assert_eq!(sent[0]["from_number"], RETELL_FROM_NUMBER);

    // As if the worker had died after Retell took the call and before it was recorded:
    // the attempt unconfirmed, no conversation, the placement's job to run again.
    conversation::Entity::delete_many()
        .exec(&s.app.state.db)
        .await
        .unwrap();
    campaign_attempt::Entity::update_many()
        .col_expr(
            campaign_attempt::Column::State,
            Expr::value(app::campaigns::model::AttemptState::Placing),
        )
        .col_expr(
            campaign_attempt::Column::ExternalId,
            Expr::value(Option::<String>::None),
        )
        .exec(&s.app.state.db)
        .await
        .unwrap();
    app::jobs::enqueue(
        &s.app.state.db,
        &PlaceCall {
            attempt_id: attempt.id,
        },
    )
    .await
    .unwrap();
    job::Entity::update_many()
        .col_expr(job::Column::Attempts, Expr::value(1))
        .exec(&s.app.state.db)
        .await
        .unwrap();
    s.app.run_jobs().await;
    assert_eq!(
        placements(&s.sim, "/v2/create-phone-call").len(),
        1,
        "not placed twice"
    );
    assert_eq!(
        placements(&s.sim, "/v2/list-calls").len(),
        1,
        "asked by key"
    );
    let attempt = campaign_attempt::Entity::find_by_id(attempt.id)
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        attempt.external_id.as_deref(),
        sent_call_id(&s.sim).as_deref()
    );
    let calls = conversation::Entity::find()
        .all(&s.app.state.db)
        .await
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].campaign_attempt_id, Some(attempt.id));
}

fn sent_call_id(sim: &simulators::VoiceSim) -> Option<String> {
    sim.store().retell_calls.keys().next().cloned()
}

#[tokio::test]
async fn an_integrations_limit_of_calls_at_once_holds_campaigns_under_it() {
    use app::integrations::api::{ListIntegrations, UpdateIntegration};
    use app::integrations::model::Provider;

    let s = setup().await;
    let (mut client, slug) = super::owner(&s.app).await;
    common_connect(&mut client, "vapi").await;
    // The organisation's VAPI account takes two calls at once.
    let vapi = client
        .call(ListIntegrations {})
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.provider == Provider::Vapi)
        .unwrap();
    let limit = |calls: &str| UpdateIntegration {
        id: vapi.id,
        name: vapi.name.clone(),
        outbound_number: vapi.outbound_number.clone().unwrap_or_default(),
        calls_at_once: calls.into(),
    };
    let refused = client.call(limit("0")).await.unwrap_err();
    assert!(
        refused.error.field("calls_at_once").is_some(),
        "{:?}",
        refused.error
    );
    let saved = client.call(limit("2")).await.unwrap();
    assert_eq!(saved.concurrent_calls, Some(2));

    // A campaign allowed five at once, five people: two are called, three wait.
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Vapi).await;
    let mut settings = settings("Within the account", agent);
    settings.concurrency = 5;
    let id = create(&mut client, &slug, settings).await;
    let csv: String = std::iter::once("phone,tz\n".to_owned())
        .chain((1..=5).map(|n| format!("415555010{n},{}\n", noon_zone())))
        .collect();
    import(&client, &slug, id, "", &csv).await;
    client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    s.app.run_jobs().await;
    assert_eq!(placements(&s.sim, "/call").len(), 2);
    // One call ends: one more is placed.
    let placed = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(id))
        .one(&s.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(s.sim.end_call(
        placed.external_id.as_deref().unwrap(),
        &[("assistant", "Hi!"), ("user", "Bye.")],
        20
    ));
    sweep(&s.app).await;
    assert_eq!(placements(&s.sim, "/call").len(), 3);
    // Without the limit, the campaign's own five hold.
    client.call(limit("")).await.unwrap();
    app::campaigns::service::wake(&s.app.state.db, id, None)
        .await
        .unwrap();
    s.app.run_jobs().await;
    assert_eq!(placements(&s.sim, "/call").len(), 5);
}

async fn common_connect(client: &mut Client<'_>, provider: &str) {
    match provider {
        "vapi" => {
            super::common::agents::connect(
                client,
                "vapi",
                VAPI_KEY,
                VAPI_PUBLIC_KEY,
                VAPI_PHONE_NUMBER_ID,
            )
            .await
        }
        _ => {
            super::common::agents::connect(client, "retell", RETELL_KEY, "", RETELL_FROM_NUMBER)
                .await
        }
    }
}

use super::common;
