//! Telling a campaign's open pages that it moved (`campaigns::live` streams it to them).

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::db::entity::campaign_attempt;
use crate::live::{CampaignEvent, LiveNews, News};
use crate::state::AppState;

/// Tells the campaign's open pages it moved; from inside the transaction that moved it
/// (see `live::tell`) or after it.
pub async fn announce<C: ConnectionTrait>(
    db: &C,
    live: &LiveNews,
    workspace_id: Uuid,
    campaign_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    let news = News::Campaign(CampaignEvent {
        workspace_id,
        campaign_id,
    });
    crate::live::tell(db, live, news).await
}

/// Tells the pages of the campaign an attempt belongs to that it moved.
pub async fn announce_attempt(state: &AppState, attempt_id: Uuid) -> Result<(), sea_orm::DbErr> {
    if let Some(a) = campaign_attempt::Entity::find_by_id(attempt_id)
        .one(&state.db)
        .await?
    {
        announce(&state.db, &state.live, a.workspace_id, a.campaign_id).await?;
    }
    Ok(())
}
