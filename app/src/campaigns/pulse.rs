//! How a campaign is moving now: calls in flight against its concurrency, its pace over
//! the last minutes, when it will be through its list at that pace, and its newest
//! attempts. Read for its live page each time the campaign moves.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{
    ACTIVITY_ITEMS, Activity, AttemptState, CampaignStatus, PACE_MINUTES, Pulse, RecipientStatus,
};
use crate::access::context::WorkspaceCtx;
use crate::db::entity::{campaign_attempt, campaign_recipient};
use crate::error::AppError;

pub async fn pulse<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Pulse, AppError> {
    let campaign = super::service::find(db, ctx, id).await?;
    let attempts =
        || campaign_attempt::Entity::find().filter(campaign_attempt::Column::CampaignId.eq(id));
    let in_flight = attempts()
        .filter(
            campaign_attempt::Column::State.is_in([AttemptState::Placing, AttemptState::Placed]),
        )
        .count(db)
        .await?;
    let started_recently = attempts()
        .filter(campaign_attempt::Column::CreatedAt.gte(now - Duration::minutes(PACE_MINUTES)))
        .count(db)
        .await?;
    let remaining = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .count(db)
        .await?;
    let eta_minutes = (campaign.status == CampaignStatus::Running && started_recently > 0)
        .then(|| (remaining * PACE_MINUTES as u64).div_ceil(started_recently));
    let newest = attempts()
        .order_by_desc(campaign_attempt::Column::CreatedAt)
        .order_by_desc(campaign_attempt::Column::Id)
        .limit(ACTIVITY_ITEMS)
        .all(db)
        .await?;
    let people: HashMap<Uuid, campaign_recipient::Model> = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::Id.is_in(newest.iter().map(|a| a.recipient_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let activity = newest
        .into_iter()
        .filter_map(|a| {
            let person = people.get(&a.recipient_id)?;
            Some(Activity {
                at: a.ended_at.or(a.placed_at).unwrap_or(a.created_at),
                phone: person.phone.clone(),
                name: person.name.clone(),
                number: a.number,
                state: a.state,
                outcome: a.outcome,
                error: a.error,
                conversation_id: a.conversation_id,
            })
        })
        .collect();
    Ok(Pulse {
        in_flight,
        concurrency: campaign.concurrency.max(0) as u32,
        started_recently,
        eta_minutes,
        activity,
    })
}
