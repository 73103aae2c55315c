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
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}
