//! Live call updates: each stored change of a call is announced to the pages of its
//! workspace over server-sent events (`GET /w/{slug}/live`).
//!
//! Within one process a broadcast channel carries the news. On PostgreSQL the news goes
//! through the database instead (`pg_notify` in the transaction that stored the change, so
//! it is sent only if that commits), and every process relays what it hears to its own
//! pages: a call ingested by one server shows live on pages served by another.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use super::live_guard::{StreamPlace, Viewer};
use crate::access::context::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::state::AppState;

/// The PostgreSQL channel call news travels on.
pub const CHANNEL: &str = "genius365_calls";

/// A call of a workspace changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallEvent {
    pub workspace_id: Uuid,
    pub conversation_id: Uuid,
    pub status: String,
}

/// The process's fan-out of call news to open pages.
#[derive(Debug, Clone)]
pub struct LiveCalls {
    tx: broadcast::Sender<CallEvent>,
}

impl Default for LiveCalls {
    fn default() -> Self {
        // A page that falls this far behind skips ahead; it only refreshes anyway.
        Self {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl LiveCalls {
    pub fn subscribe(&self) -> broadcast::Receiver<CallEvent> {
        self.tx.subscribe()
    }

    /// Tells this process's pages (nobody listening is fine).
    pub fn publish(&self, event: CallEvent) {
        let _ = self.tx.send(event);
    }
}

/// Announces `event` from inside the transaction that stored it: on PostgreSQL the
/// notification leaves only when the transaction commits. Returns whether it was sent that
/// way; if not, the caller publishes it itself after committing.
pub async fn notify_in<C: ConnectionTrait>(
    db: &C,
    event: &CallEvent,
) -> Result<bool, sea_orm::DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(false);
    }
    let payload = serde_json::to_string(event).unwrap_or_default();
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(true)
}

/// On PostgreSQL, relays every process's call news to this process's pages, reconnecting
/// when the connection drops. Nothing to do on SQLite (one process).
pub fn spawn_relay(db: &sea_orm::DatabaseConnection, live: LiveCalls) {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        loop {
            match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen(CHANNEL).await {
                        tracing::warn!(error = %e, "could not listen for call news");
                    } else {
                        while let Ok(note) = listener.recv().await {
                            if let Ok(event) = serde_json::from_str::<CallEvent>(note.payload()) {
                                live.publish(event);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not connect to hear call news"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}

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
