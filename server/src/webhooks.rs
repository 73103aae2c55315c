//! Provider webhooks: thin HTTP edges over `app::calls::webhooks`. They sit before tenancy
//! (a provider is not a partner's visitor), are exempt from the same-origin check, and read
//! at most axum's default 2 MiB of body.

use app::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

fn respond(reply: app::calls::webhooks::Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(reply.body)).into_response()
}

/// `POST /api/webhooks/w/{workspace_id}/{provider}`
pub async fn workspace(
    State(state): State<AppState>,
    Path((workspace_id, provider)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(
        app::calls::webhooks::to_workspace(&state, &workspace_id, &provider, &headers, &body).await,
    )
}

/// `POST /api/webhooks/{vapi|retell}`
pub async fn platform(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(app::calls::webhooks::to_platform(&state, &provider, &headers, &body).await)
}
