//! Live call updates: each stored change of a call is announced to the pages of its
//! workspace over server-sent events (`GET /w/{slug}/live`), from the process's news of
//! calls (`crate::live`).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::live_guard::{StreamPlace, Viewer};
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::state::AppState;

/// `GET /w/{slug}/live`: the workspace's call news as server-sent events (`event: call`,
/// data the `CallEvent` as JSON), with a comment every 15 seconds to keep proxies open.
pub async fn handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let ctx = match workspace_for_request(
        &state,
        &parts,
        &slug,
        WorkspacePermission::ConversationsRead,
    )
    .await
    {
        Ok(ctx) => ctx,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, e.to_string()).into_response();
        }
    };
    let place = match StreamPlace::take(ctx.user_id()) {
        Ok(place) => place,
        Err(e) => {
            let mut response = (StatusCode::TOO_MANY_REQUESTS, e.to_string()).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            return response;
        }
    };
    let viewer = Viewer::of(&ctx);
    let workspace_id = ctx.id();
    let receiver = state.live.subscribe();
    let mut ping = tokio::time::interval(Duration::from_secs(15));
    ping.reset();
    let mut recheck = tokio::time::interval(state.config.live_recheck);
    recheck.reset();
    let checks = (state.clone(), viewer, recheck, place);
    let stream = futures::stream::unfold(
        (receiver, ping, true, checks),
        move |(mut rx, mut ping, first, mut checks)| async move {
            if first {
                return Some((
                    Ok::<_, Infallible>("retry: 3000\n\n".to_owned()),
                    (rx, ping, false, checks),
                ));
            }
            loop {
                tokio::select! {
                    // Signed out, reset or removed since: the stream ends (and its place
                    // with it); the page's reconnect is authorized afresh.
                    _ = checks.2.tick() => {
                        if !checks.1.may_go_on(&checks.0).await {
                            return None;
                        }
                    }
                    _ = ping.tick() => return Some((Ok(": ping\n\n".to_owned()), (rx, ping, false, checks))),
                    news = rx.recv() => match news {
                        Ok(event) if event.workspace_id == workspace_id => {
                            let data = serde_json::to_string(&event).unwrap_or_default();
                            return Some((Ok(format!("event: call\ndata: {data}\n\n")), (rx, ping, false, checks)));
                        }
                        Ok(_) => continue,
                        // Fell behind: tell the page to refresh once.
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            return Some((Ok("event: lagged\ndata: {}\n\n".to_owned()), (rx, ping, false, checks)));
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                }
            }
        },
    );
    // Fused: a body may be polled again after it ended.
    let mut response = Body::from_stream(futures::StreamExt::fuse(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}
