//! Where a campaign's recipients stand: counts by status and by outcome, and calls placed;
//! for many campaigns at once in two grouped queries.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::model::{Progress, RecipientOutcome, RecipientStatus};
use crate::db::entity::{campaign_attempt, campaign_recipient};
use crate::error::AppError;

/// How many recipients of the campaign stand where.
pub async fn progress<C: ConnectionTrait>(db: &C, campaign_id: Uuid) -> Result<Progress, AppError> {
    Ok(progress_of(db, &[campaign_id])
        .await?
        .remove(&campaign_id)
        .unwrap_or_default())
}

/// The progress of each of `campaigns`, in two grouped queries whatever their number.
pub async fn progress_of<C: ConnectionTrait>(
    db: &C,
    campaigns: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Progress>, AppError> {
    let mut out: std::collections::HashMap<Uuid, Progress> = std::collections::HashMap::new();
    if campaigns.is_empty() {
        return Ok(out);
    }
    let groups: Vec<(Uuid, RecipientStatus, Option<RecipientOutcome>, i64)> =
        campaign_recipient::Entity::find()
            .select_only()
            .column(campaign_recipient::Column::CampaignId)
            .column(campaign_recipient::Column::Status)
            .column(campaign_recipient::Column::Outcome)
            .column_as(campaign_recipient::Column::Id.count(), "n")
            .filter(campaign_recipient::Column::CampaignId.is_in(campaigns.iter().copied()))
            .group_by(campaign_recipient::Column::CampaignId)
            .group_by(campaign_recipient::Column::Status)
            .group_by(campaign_recipient::Column::Outcome)
            .into_tuple()
            .all(db)
            .await?;
    for (campaign_id, status, outcome, n) in groups {
        let p = out.entry(campaign_id).or_default();
        let n = n.max(0) as u64;
        p.total += n;
        *match status {
            RecipientStatus::Queued => &mut p.queued,
            RecipientStatus::Calling => &mut p.calling,
            RecipientStatus::Completed => &mut p.completed,
            RecipientStatus::Failed => &mut p.failed,
            RecipientStatus::Skipped => &mut p.skipped,
            RecipientStatus::Cancelled => &mut p.cancelled,
        } += n;
        match outcome {
            Some(RecipientOutcome::Answered) => p.answered += n,
            Some(RecipientOutcome::NoAnswer) => p.no_answer += n,
            Some(RecipientOutcome::Busy) => p.busy += n,
            Some(RecipientOutcome::Voicemail) => p.voicemail += n,
            Some(RecipientOutcome::Callback) => p.callbacks += n,
            Some(RecipientOutcome::DoNotCall) => p.do_not_call += n,
            _ => {}
        }
    }
    let calls: Vec<(Uuid, i64)> = campaign_attempt::Entity::find()
        .select_only()
        .column(campaign_attempt::Column::CampaignId)
        .column_as(campaign_attempt::Column::Id.count(), "n")
        .filter(campaign_attempt::Column::CampaignId.is_in(campaigns.iter().copied()))
        .group_by(campaign_attempt::Column::CampaignId)
        .into_tuple()
        .all(db)
        .await?;
    for (campaign_id, n) in calls {
        out.entry(campaign_id).or_default().calls = n.max(0) as u64;
    }
    Ok(out)
}
