//! `GET /api/health`: 200 when the database answers, 503 naming the failing part otherwise.

use std::time::Duration;

use app::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    /// When a job worker last reported alive (any process), and how long ago in seconds;
    /// `None` when no worker has run. Informational: a web-only process stays healthy.
    pub worker_heartbeat: Option<chrono::DateTime<chrono::Utc>>,
    pub worker_heartbeat_age_seconds: Option<i64>,
    pub version: &'static str,
}

pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database =
        match tokio::time::timeout(Duration::from_secs(3), app::db::ping(&state.db)).await {
            Ok(Ok(())) => "ok",
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "health check: database error");
                "unreachable"
            }
            Err(_) => "timeout",
        };
    let healthy = database == "ok";
    let heartbeat = if healthy {
        crate::worker::last_heartbeat(&state.db)
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            status: if healthy { "ok" } else { "unavailable" },
            database,
            worker_heartbeat: heartbeat,
            worker_heartbeat_age_seconds: heartbeat
                .map(|at| (chrono::Utc::now() - at).num_seconds().max(0)),
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}
