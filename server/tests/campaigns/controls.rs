//! Where a campaign calls and when it stops: recipients' own windows, pause and resume,
//! cancel, the paywall pausing and credit resuming, and what a launch needs.

use super::*;

/// Sets a wallet's balance, as credit running out or coming back.
async fn set_balance(app: &TestApp, wallet: Uuid, cents: i64) {
    app::db::entity::credit_wallet::Entity::update_many()
        .col_expr(
            app::db::entity::credit_wallet::Column::BalanceCents,
            Expr::value(cents),
        )
        .filter(app::db::entity::credit_wallet::Column::Id.eq(wallet))
        .exec(&app.state.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn recipients_are_called_only_inside_their_own_windows() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Windows", agent)).await;
    // One recipient where it is noon, one where it is midnight.
    let offset = 12 - i32::try_from(Utc::now().hour()).unwrap();
    let midnight = match offset - 12 {
        n if n < -12 => format!("Etc/GMT-{}", n + 24),
        0 => "Etc/GMT".into(),
        n if n > 0 => format!("Etc/GMT-{n}"),
        n => format!("Etc/GMT+{}", -n),
    };
    let csv = format!(
        "phone,tz\n4155550101,{}\n4155550102,{midnight}\n",
        noon_zone()
    );
    let (status, body) = import(&client, &slug, id, "", &csv).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    app.run_jobs().await;
    let rows = recipients(&app, id).await;
    assert_eq!(
        by_phone(&rows, "+14155550101").status,
        RecipientStatus::Completed
    );
    let asleep = by_phone(&rows, "+14155550102");
    assert_eq!(
        (asleep.status, asleep.attempts),
        (RecipientStatus::Queued, 0)
    );
    let opens = asleep.next_attempt_at.unwrap();
    let wait = opens - Utc::now();
    assert!(
        wait > chrono::Duration::hours(7) && wait < chrono::Duration::hours(9),
        "called at 08:00 their time, in about eight hours: {wait}"
    );
    // The dispatch is woken for then.
    let wakes: Vec<_> = app
        .jobs()
        .await
        .into_iter()
        .filter(|j| j.kind == "campaigns.dispatch")
        .collect();
    assert_eq!(wakes.len(), 1);
    assert_eq!(wakes[0].run_at, opens);
    app.leave_jobs("campaigns.dispatch");
}

#[tokio::test]
async fn pausing_stops_new_calls_and_resuming_goes_on() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let mut s = settings("Paused", agent);
    s.concurrency = 1;
    let id = create(&mut client, &slug, s).await;
    let csv = format!(
        "phone,tz\n4155550101,{z}\n4155550102,{z}\n4155550103,{z}\n",
        z = noon_zone()
    );
    import(&client, &slug, id, "", &csv).await;
    client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    client
        .call(PauseCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    app.run_jobs().await;
    assert!(
        recipients(&app, id).await.iter().all(|r| r.attempts == 0),
        "nobody is called while paused"
    );
    let resumed = client
        .call(ResumeCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(resumed, CampaignStatus::Running);
    app.run_jobs().await;
    let rows = recipients(&app, id).await;
    assert!(rows.iter().all(|r| r.status == RecipientStatus::Completed));
    // A finished campaign cannot be paused or resumed.
    let refused = client
        .call(PauseCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn cancelling_leaves_the_uncalled_uncalled() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Cancelled", agent)).await;
    let csv = format!(
        "phone,tz\n4155550106,{z}\n4155550102,{z}\n",
        z = noon_zone()
    );
    import(&client, &slug, id, "", &csv).await;
    client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    app.run_jobs().await;
    client
        .call(CancelCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    time_passes(&app).await;
    let rows = recipients(&app, id).await;
    let retry = by_phone(&rows, "+14155550106");
    assert_eq!(
        (retry.status, retry.attempts),
        (RecipientStatus::Cancelled, 1),
        "its retry is never made"
    );
    let detail = client.call(GetCampaign { slug, id }).await.unwrap();
    assert_eq!(detail.status, CampaignStatus::Cancelled);
    assert!(detail.completed_at.is_some());
    // The wake-up set for the retry finds nothing to do when it comes.
    app.leave_jobs("campaigns.dispatch");
}

#[tokio::test]
async fn running_out_of_credit_pauses_and_credit_resumes() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Credit", agent)).await;
    let csv = format!(
        "phone,tz\n4155550101,{z}\n4155550102,{z}\n",
        z = noon_zone()
    );
    import(&client, &slug, id, "", &csv).await;
    client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    // The workspace's credit runs out before the dispatch runs.
    let ws = app::db::entity::workspace::Entity::find()
        .filter(app::db::entity::workspace::Column::Slug.eq(&slug))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let wallet = app::billing::service::wallet(
        &app.state.db,
        app::billing::service::Owner::Workspace(ws.id),
    )
    .await
    .unwrap();
    set_balance(&app, wallet.id, 0).await;
    app.run_jobs().await;
    let detail = client
        .call(GetCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap();
    assert_eq!(detail.status, CampaignStatus::Paused);
    assert_eq!(detail.pause_reason, Some(PauseReason::Credit));
    assert_eq!(detail.progress.calls, 0);
    // Credit comes back: the minute's upkeep resumes it, and the calls are made.
    set_balance(&app, wallet.id, 1000).await;
    app.run_periodic_jobs().await;
    let detail = client.call(GetCampaign { slug, id }).await.unwrap();
    assert_eq!(detail.status, CampaignStatus::Completed);
    assert_eq!(detail.progress.calls, 2);
}

#[tokio::test]
async fn launching_needs_an_agent_that_can_call_and_someone_to_call() {
    let app = app().await;
    let (mut client, slug) = owner(&app).await;
    let agent = outbound_agent(&mut client, &slug, AgentProvider::Sandbox).await;
    let id = create(&mut client, &slug, settings("Empty", agent)).await;
    let refused = client
        .call(LaunchCampaign {
            slug: slug.clone(),
            id,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.error.field("recipients").is_some(),
        "{:?}",
        refused.error
    );
    // An inbound agent that may not call out.
    let mut inbound = common::agents::draft(AgentProvider::Sandbox, "Front desk");
    inbound.direction = Direction::Inbound;
    let front = common::agents::create(&mut client, &slug, &inbound)
        .await
        .unwrap();
    let id = create(&mut client, &slug, settings("Inbound", front)).await;
    import(
        &client,
        &slug,
        id,
        "",
        &format!("phone,tz\n4155550101,{}\n", noon_zone()),
    )
    .await;
    let refused = client.call(LaunchCampaign { slug, id }).await.unwrap_err();
    assert!(
        refused.error.field("agent_id").unwrap()[0].contains("only takes calls"),
        "{:?}",
        refused.error
    );
}
