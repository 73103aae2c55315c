//! Placing one attempt's call (`campaigns.place`): with its key, found again by it after an
//! interruption, its failures sorted into transient, refused and broken setup.

use super::*;

/// Everything placing an attempt reads.
pub(super) struct Placement {
    pub(super) attempt: campaign_attempt::Model,
    pub(super) recipient: campaign_recipient::Model,
    pub(super) campaign: campaign::Model,
    pub(super) agent: Option<agent::Model>,
}

pub(super) async fn load<C: ConnectionTrait>(
    db: &C,
    attempt_id: Uuid,
) -> Result<Option<Placement>, AppError> {
    let Some((attempt, recipient, campaign)) =
        super::super::outcome::attempt_parts(db, attempt_id).await?
    else {
        return Ok(None);
    };
    let agent = match campaign.agent_id {
        Some(id) => {
            agent::Entity::find_by_id(id)
                .filter(agent::Column::DeletedAt.is_null())
                .one(db)
                .await?
        }
        None => None,
    };
    Ok(Some(Placement {
        attempt,
        recipient,
        campaign,
        agent,
    }))
}

/// Undoes a claim whose call was never placed: the attempt goes, the recipient is queued
/// again (at `retry_at`) without having spent it, or cancelled with their campaign.
pub(super) async fn give_back<C: ConnectionTrait>(
    db: &C,
    p: &Placement,
    retry_at: DateTime<Utc>,
    why: Option<String>,
) -> Result<(), AppError> {
    campaign_attempt::Entity::delete_many()
        .filter(campaign_attempt::Column::Id.eq(p.attempt.id))
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .exec(db)
        .await?;
    let status = if p.campaign.status == CampaignStatus::Cancelled {
        RecipientStatus::Cancelled
    } else {
        RecipientStatus::Queued
    };
    let mut update = campaign_recipient::Entity::update_many()
        .col_expr(campaign_recipient::Column::Status, Expr::value(status))
        .col_expr(
            campaign_recipient::Column::Attempts,
            Expr::col(campaign_recipient::Column::Attempts).sub(1),
        )
        .col_expr(
            campaign_recipient::Column::NextAttemptAt,
            Expr::value(retry_at),
        )
        .col_expr(
            campaign_recipient::Column::UpdatedAt,
            Expr::value(Utc::now()),
        );
    if let Some(why) = why {
        update = update.col_expr(campaign_recipient::Column::LastError, Expr::value(why));
    }
    update
        .filter(campaign_recipient::Column::Id.eq(p.recipient.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Calling))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends an attempt the provider refused: the recipient fails with the provider's words.
pub(super) async fn refuse<C: ConnectionTrait>(
    db: &C,
    p: &Placement,
    why: &str,
) -> Result<(), AppError> {
    let now = Utc::now();
    campaign_attempt::Entity::update_many()
        .col_expr(
            campaign_attempt::Column::State,
            Expr::value(AttemptState::Failed),
        )
        .col_expr(
            campaign_attempt::Column::Outcome,
            Expr::value(RecipientOutcome::Failed),
        )
        .col_expr(campaign_attempt::Column::Error, Expr::value(why))
        .col_expr(campaign_attempt::Column::EndedAt, Expr::value(now))
        .filter(campaign_attempt::Column::Id.eq(p.attempt.id))
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .exec(db)
        .await?;
    campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::Status,
            Expr::value(RecipientStatus::Failed),
        )
        .col_expr(
            campaign_recipient::Column::Outcome,
            Expr::value(RecipientOutcome::Failed),
        )
        .col_expr(campaign_recipient::Column::LastError, Expr::value(why))
        .col_expr(campaign_recipient::Column::UpdatedAt, Expr::value(now))
        .filter(campaign_recipient::Column::Id.eq(p.recipient.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Calling))
        .exec(db)
        .await?;
    // The same refusal three times in a row is the setup, not the people: stop before
    // the whole list fails.
    let last: Vec<campaign_attempt::Model> = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(p.campaign.id))
        .filter(campaign_attempt::Column::State.ne(AttemptState::Placing))
        .order_by_desc(campaign_attempt::Column::CreatedAt)
        .limit(REFUSALS_TO_PAUSE)
        .all(db)
        .await?;
    if last.len() as u64 == REFUSALS_TO_PAUSE
        && last
            .iter()
            .all(|a| a.state == AttemptState::Failed && a.error.as_deref() == Some(why))
    {
        pause_for(
            db,
            p.campaign.id,
            PauseReason::Setup,
            Some(format!(
                "{REFUSALS_TO_PAUSE} calls in a row were refused the same way: {why}"
            )),
        )
        .await?;
        return Ok(());
    }
    wake(db, p.campaign.id, None).await
}

/// Places one attempt's call.
pub(super) async fn place(cx: &Context, attempt_id: Uuid) -> Result<(), JobError> {
    let state = &cx.state;
    let Some(p) = load(&state.db, attempt_id).await? else {
        return finish_job(cx).await;
    };
    if p.attempt.state != AttemptState::Placing {
        return finish_job(cx).await;
    }
    if p.campaign.status != CampaignStatus::Running {
        // Paused or cancelled since the claim: the call is not placed.
        let txn = crate::db::begin_write(&state.db).await?;
        give_back(&txn, &p, Utc::now(), None).await?;
        cx.finish_in(&txn).await?;
        txn.commit().await?;
        return Ok(());
    }
    let Some(agent) = p.agent.clone() else {
        return pause_and_give_back(
            cx,
            &p,
            "The campaign's agent was deleted; choose another.".into(),
        )
        .await;
    };
    let provider = agent.provider;
    if provider == AgentProvider::Sandbox {
        let call_id = sandbox::campaign_call_id(p.attempt.id);
        return record_placed(cx, &p, &agent, call_id).await;
    }
    let keys =
        crate::integrations::voice::agent_keys(state, p.campaign.workspace_id, provider).await?;
    let from = keys.as_ref().and_then(|k| k.outbound_number.clone());
    let Some(voice) = Voice::new(provider, &state.providers, keys) else {
        return pause_and_give_back(
            cx,
            &p,
            format!(
                "No {} integration is assigned to this workspace any more.",
                provider.label()
            ),
        )
        .await;
    };
    let Some(from) = from else {
        return pause_and_give_back(
            cx,
            &p,
            format!(
                "The {} integration has no outbound number to call from; an organisation admin can add one on the Integrations page.",
                provider.label()
            ),
        )
        .await;
    };
    let ids = ExternalRef {
        agent_id: agent.external_id.clone(),
        llm_id: agent.external_llm_id.clone(),
    };
    if cx.attempt > 1 {
        // An earlier run may have placed the call and died before recording it.
        match voice
            .find_call(&ids, p.attempt.id, p.attempt.created_at)
            .await
        {
            Ok(Some(call_id)) => return record_placed(cx, &p, &agent, call_id).await,
            Ok(None) => {}
            Err(e) => return transient(cx, &p, e.to_string()).await,
        }
    }
    let config = crate::agents::service::config_of(&agent);
    let defaults =
        crate::agents::service::variable_defaults(&state.db, p.campaign.workspace_id, &config)
            .await?;
    let request = PhoneCallRequest {
        to_number: p.recipient.phone.clone(),
        customer_name: p.recipient.name.clone(),
        from,
        workspace_id: p.campaign.workspace_id,
        agent_id: agent.id,
        variables: call_variables(&defaults, &p.campaign, &p.recipient),
        attempt_key: Some(p.attempt.id),
    };
    match voice.create_phone_call(&ids, &request).await {
        Ok(call_id) => record_placed(cx, &p, &agent, call_id).await,
        Err(e) if e.is_transient() => transient(cx, &p, e.to_string()).await,
        Err(e) if e.kind == crate::providers::error::ProviderErrorKind::Unauthorized => {
            pause_and_give_back(cx, &p, e.to_string()).await
        }
        Err(e) => {
            let txn = crate::db::begin_write(&state.db).await?;
            refuse(&txn, &p, &e.to_string()).await?;
            cx.finish_in(&txn).await?;
            txn.commit().await?;
            Ok(())
        }
    }
}

/// A failure that may pass: retried by the queue with backoff; after the last try the
/// recipient is queued again in five minutes, their attempt unspent.
pub(super) async fn transient(cx: &Context, p: &Placement, why: String) -> Result<(), JobError> {
    if !cx.is_last_attempt() {
        return Err(JobError::new(why));
    }
    let txn = crate::db::begin_write(&cx.state.db).await?;
    give_back(&txn, p, Utc::now() + Duration::minutes(5), Some(why)).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The campaign cannot place calls as set up: paused with what to fix, the claim undone.
pub(super) async fn pause_and_give_back(
    cx: &Context,
    p: &Placement,
    why: String,
) -> Result<(), JobError> {
    let txn = crate::db::begin_write(&cx.state.db).await?;
    pause_for(&txn, p.campaign.id, PauseReason::Setup, Some(why)).await?;
    give_back(&txn, p, Utc::now(), None).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) async fn finish_job(cx: &Context) -> Result<(), JobError> {
    let txn = crate::db::begin_write(&cx.state.db).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Records that the provider has the attempt's call: the conversation (named by the
/// attempt), the attempt placed; a Sandbox call's end is queued. Should the provider's
/// report of the end have come first, the outcome is recorded now.
pub(super) async fn record_placed(
    cx: &Context,
    p: &Placement,
    agent: &agent::Model,
    call_id: String,
) -> Result<(), JobError> {
    let state = &cx.state;
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let stored = crate::calls::service::record_campaign_call(
        &txn,
        StartedCall {
            workspace_id: p.campaign.workspace_id,
            agent_id: Some(agent.id),
            provider: agent.provider,
            external_id: call_id.clone(),
            direction: CallDirection::Outbound,
            phone_number: Some(p.recipient.phone.clone()),
            caller_name: p.recipient.name.clone(),
            is_test: false,
        },
        p.attempt.id,
        json!({
            "campaign_id": p.campaign.id,
            "recipient_id": p.recipient.id,
            "attempt_key": p.attempt.id,
        }),
    )
    .await?;
    campaign_attempt::Entity::update_many()
        .col_expr(
            campaign_attempt::Column::State,
            Expr::value(AttemptState::Placed),
        )
        .col_expr(campaign_attempt::Column::ExternalId, Expr::value(call_id))
        .col_expr(
            campaign_attempt::Column::ConversationId,
            Expr::value(stored.id),
        )
        .col_expr(campaign_attempt::Column::PlacedAt, Expr::value(now))
        .filter(campaign_attempt::Column::Id.eq(p.attempt.id))
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .exec(&txn)
        .await?;
    campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::ConversationId,
            Expr::value(stored.id),
        )
        .filter(campaign_recipient::Column::Id.eq(p.recipient.id))
        .exec(&txn)
        .await?;
    if stored.status.is_final() {
        let record = CallRecord {
            external_id: stored.external_id.clone(),
            status: stored.status,
            end_reason: stored.end_reason.clone(),
            duration_seconds: stored.duration_seconds,
            ..CallRecord::default()
        };
        super::super::outcome::record(&txn, p.attempt.id, stored.id, stored.status, &record)
            .await?;
    } else if agent.provider == AgentProvider::Sandbox {
        let at = now + Duration::from_std(state.config.campaigns.sandbox_call).unwrap_or_default();
        crate::jobs::enqueue_at(
            &txn,
            &SimulateCall {
                attempt_id: p.attempt.id,
            },
            at,
        )
        .await?;
    }
    let event = crate::live::News::Call(crate::live::CallEvent {
        workspace_id: p.campaign.workspace_id,
        conversation_id: stored.id,
        status: stored.status,
    });
    let sent = crate::live::notify_in(&txn, &event).await?;
    cx.finish_in(&txn).await?;
    txn.commit().await?;
    if !sent {
        state.live.publish(event);
    }
    Ok(())
}
