//! The minute's upkeep (`campaigns.tick`): scheduled starts, credit resumes, stale calls and
//! lost placements.

use super::*;

/// The minute's upkeep of every campaign.
pub async fn tick(state: &AppState) -> Result<(), AppError> {
    let db = &state.db;
    let now = Utc::now();
    // Scheduled ones due to start, and running ones (a wake-up is cheap and dispatch
    // decides; this also covers a wake-up lost to a crash).
    let due: Vec<Uuid> = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::Id)
        .filter(
            sea_orm::Condition::any()
                .add(campaign::Column::Status.eq(CampaignStatus::Running))
                .add(
                    sea_orm::Condition::all()
                        .add(campaign::Column::Status.eq(CampaignStatus::Scheduled))
                        .add(campaign::Column::StartsAt.lte(now)),
                ),
        )
        .into_tuple()
        .all(db)
        .await?;
    for id in due {
        wake(db, id, None).await?;
    }
    // Paused for credit, where credit has come back.
    let paused = campaign::Entity::find()
        .filter(campaign::Column::Status.eq(CampaignStatus::Paused))
        .filter(campaign::Column::PauseReason.eq(PauseReason::Credit))
        .all(db)
        .await?;
    for c in paused {
        let Some(ws) = workspace::Entity::find_by_id(c.workspace_id)
            .one(db)
            .await?
        else {
            continue;
        };
        if crate::billing::service::credits(db, &ws).await?.paywalled {
            continue;
        }
        let txn = crate::db::begin_write(db).await?;
        let resumed = campaign::Entity::update_many()
            .col_expr(
                campaign::Column::Status,
                Expr::value(CampaignStatus::Running),
            )
            .col_expr(
                campaign::Column::PauseReason,
                Expr::value(Option::<PauseReason>::None),
            )
            .col_expr(campaign::Column::UpdatedAt, Expr::value(now))
            .filter(campaign::Column::Id.eq(c.id))
            .filter(campaign::Column::Status.eq(CampaignStatus::Paused))
            .filter(campaign::Column::PauseReason.eq(PauseReason::Credit))
            .exec(&txn)
            .await?
            .rows_affected;
        if resumed == 1 {
            wake(&txn, c.id, None).await?;
        }
        txn.commit().await?;
    }
    close_stale(state, now).await
}

/// Calls placed long ago whose end no provider has reported (the open-call sweep has
/// asked them meanwhile) are closed as failed, and retried per the policy; placements
/// whose job gave up unconfirmed are given back.
pub(super) async fn close_stale(state: &AppState, now: DateTime<Utc>) -> Result<(), AppError> {
    let db = &state.db;
    let stale = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placed))
        .filter(campaign_attempt::Column::PlacedAt.lt(now - Duration::minutes(STALE_AFTER_MINUTES)))
        .limit(100)
        .all(db)
        .await?;
    for attempt in stale {
        let Some(conv) = (match attempt.conversation_id {
            Some(id) => conversation::Entity::find_by_id(id).one(db).await?,
            None => None,
        }) else {
            continue;
        };
        if conv.status.is_final() {
            continue;
        }
        let record = CallRecord {
            external_id: conv.external_id.clone(),
            agent_external_id: None,
            status: CallStatus::Failed,
            ended_at: Some(now),
            end_reason: Some("no-news-from-provider".into()),
            ..CallRecord::default()
        };
        crate::calls::service::ingest(
            state,
            StartedCall {
                workspace_id: conv.workspace_id,
                agent_id: conv.agent_id,
                provider: conv.provider,
                external_id: conv.external_id.clone(),
                direction: conv.direction,
                phone_number: conv.phone_number.clone(),
                caller_name: conv.caller_name.clone(),
                is_test: conv.is_test,
            },
            &record,
        )
        .await?;
    }
    let lost = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::State.eq(AttemptState::Placing))
        .filter(
            campaign_attempt::Column::CreatedAt.lt(now - Duration::minutes(LOST_PLACEMENT_MINUTES)),
        )
        .limit(100)
        .all(db)
        .await?;
    for attempt in lost {
        let waiting = crate::db::entity::job::Entity::find()
            .filter(crate::db::entity::job::Column::Kind.eq(PlaceCall::KIND))
            .filter(crate::db::entity::job::Column::State.is_in([
                crate::jobs::model::State::Queued,
                crate::jobs::model::State::Running,
            ]))
            .filter(crate::db::entity::job::Column::Payload.contains(attempt.id.to_string()))
            .count(db)
            .await?;
        if waiting > 0 {
            continue;
        }
        let Some(p) = load(db, attempt.id).await? else {
            continue;
        };
        let txn = crate::db::begin_write(db).await?;
        give_back(
            &txn,
            &p,
            now,
            Some("The call could not be confirmed; it will be tried again.".into()),
        )
        .await?;
        txn.commit().await?;
    }
    Ok(())
}
