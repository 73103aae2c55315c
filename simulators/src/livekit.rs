//! The part of a LiveKit server (Retell's web-call media server) a browser reaches before
//! any audio flows: the signal WebSocket at `/rtc` (`/rtc/v1` for newer clients) and
//! `…/validate`, which LiveKit's client asks why a connection failed. Media is not
//! simulated, so the signal connection is always refused; `validate` then answers as
//! LiveKit does: "success" for a token Retell issued for a call still waiting for its
//! browser, 401 for any other. Each attempt is recorded with the token it presented.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::VoiceSim;

pub fn routes() -> Router<VoiceSim> {
    Router::new()
        .route("/rtc", get(signal))
        .route("/rtc/v1", get(signal))
        .route("/rtc/validate", get(validate))
        .route("/rtc/v1/validate", get(validate))
}

async fn signal(State(sim): State<VoiceSim>, Query(q): Query<HashMap<String, String>>) -> Response {
    let token = q.get("access_token").cloned().unwrap_or_default();
    sim.record("GET", "/rtc", &json!({ "access_token": token }));
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "the simulator carries no media",
    )
        .into_response()
}

async fn validate(
    State(sim): State<VoiceSim>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let token = q.get("access_token").cloned().unwrap_or_default();
    sim.record("GET", "/rtc/validate", &json!({ "access_token": token }));
    let issued = !token.is_empty()
        && sim.store().retell_calls.values().any(|call| {
            call.get("access_token").and_then(Value::as_str) == Some(token.as_str())
                && call.get("call_status").and_then(Value::as_str) == Some("registered")
        });
    if issued {
        (axum::http::StatusCode::OK, "success").into_response()
    } else {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            "invalid token: token is malformed",
        )
            .into_response()
    }
}
