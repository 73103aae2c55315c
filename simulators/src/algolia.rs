//! Algolia: the index list (`GET /1/indexes`) the key check reads. Both headers are
//! required; a wrong pair is Algolia's 403 `{"message", "status"}`.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use crate::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, VoiceSim, reply};

pub fn routes() -> Router<VoiceSim> {
    Router::new().route("/1/indexes", get(list_indexes))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

async fn list_indexes(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(status) = sim.record("GET", "/1/indexes", &Value::Null) {
        return reply(
            status,
            json!({"message": "Internal error", "status": status}),
        );
    }
    if header(&headers, "x-algolia-application-id") != ALGOLIA_APP_ID
        || header(&headers, "x-algolia-api-key") != ALGOLIA_ADMIN_KEY
    {
        return reply(
            403,
            json!({"message": "Invalid Application-ID or API key", "status": 403}),
        );
    }
    reply(200, json!({"items": [], "nbPages": 1}))
}
