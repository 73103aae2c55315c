//! Live call updates: each stored change of a call is announced to the pages of its
//! workspace over server-sent events (`GET /w/{slug}/live`), from the process's news
//! (`crate::live::sse`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::live::News;
use crate::live::sse::{Events, respond};
use crate::state::AppState;

/// `GET /w/{slug}/live`: the workspace's call news as server-sent events (`event: call`,
/// data the `CallEvent` as JSON), each as it comes.
pub async fn handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let permission = WorkspacePermission::ConversationsRead;
    let ctx = match workspace_for_request(&state, &parts, &slug, permission).await {
        Ok(ctx) => ctx,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, e.to_string()).into_response();
        }
    };
    let pick = |news: &News| match news {
        News::Call(event) => Some(("call", serde_json::to_string(event).unwrap_or_default())),
        _ => None,
    };
    respond(&state, &ctx, permission, Events { pick, gather: None })
}
