//! A campaign's page, live: `GET /w/{slug}/campaigns/{id}/live` streams `event: campaign`
//! whenever its progress moves (a recipient claimed, a call placed or ended, a retry
//! scheduled, the campaign paused, resumed or done), gathered for a moment so a campaign
//! at full speed redraws its page at most a few times a second. What moves a campaign
//! says so through `news`.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::live::News;
use crate::live::sse::{Events, respond};
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
