//! A campaign's page, live: `GET /w/{slug}/campaigns/{id}/live` streams `event: campaign`
//! whenever its progress moves (a recipient claimed, a call placed or ended, a retry
//! scheduled, the campaign paused, resumed or done), gathered for a moment so a campaign
//! at full speed redraws its page at most a few times a second.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::db::entity::campaign_attempt;
use crate::live::stream::{Events, respond};
use crate::live::{CampaignEvent, LiveNews, News};
use crate::state::AppState;

/// How long a page's stream gathers news before telling it.
const GATHER: Duration = Duration::from_millis(400);

pub async fn handler(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, Uuid)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let permission = WorkspacePermission::CampaignsRead;
    let found = match workspace_for_request(&state, &parts, &slug, permission).await {
        Ok(ctx) => super::service::find(&state.db, &ctx, id).await.map(|_| ctx),
        Err(e) => Err(e),
    };
    let ctx = match found {
        Ok(ctx) => ctx,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, e.to_string()).into_response();
        }
    };
    let pick = move |news: &News| match news {
        News::Campaign(event) if event.campaign_id == id => {
            Some(("campaign", serde_json::to_string(event).unwrap_or_default()))
        }
        _ => None,
    };
    respond(
        &state,
        &ctx,
        permission,
        Events {
            pick,
            gather: Some(GATHER),
        },
    )
}

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
