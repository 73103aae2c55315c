//! A loopback simulator of Resend's `POST /emails` (reference/providers.md §5): Bearer key
//! required, `from`/`to`/`subject` required, `Idempotency-Key` replays, Resend's error body.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};

#[derive(Clone, Default)]
pub struct Resend {
    pub received: Arc<Mutex<Vec<Value>>>,
    keys: Arc<Mutex<Vec<(String, Value, String)>>>,
    /// How many of the next requests answer 500, as an outage would.
    pub fail_next: Arc<std::sync::atomic::AtomicUsize>,
}

pub const KEY: &str = "re_test_key";

impl Resend {
    /// Starts the simulator on a free loopback port; returns it and its base URL.
    pub async fn start() -> (Self, String) {
        let sim = Self::default();
        let app = axum::Router::new()
            .route("/emails", post(send))
            .with_state(sim.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        (sim, format!("http://{addr}"))
    }

    pub fn sent(&self) -> Vec<Value> {
        self.received.lock().expect("lock").clone()
    }
}

fn error(status: StatusCode, name: &str, message: &str) -> (StatusCode, Json<Value>) {
    (
        status,
        Json(json!({"statusCode": status.as_u16(), "name": name, "message": message})),
    )
}

async fn send(
    State(sim): State<Resend>,
    headers: HeaderMap,
    body: Option<Json<Value>>,
) -> (StatusCode, Json<Value>) {
    use std::sync::atomic::Ordering;
    if sim
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_server_error",
            "An unexpected error occurred.",
        );
    }
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if auth.is_empty() {
        return error(
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
            "Missing API key in the authorization header.",
        );
    }
    if auth != format!("Bearer {KEY}") {
        return error(
            StatusCode::FORBIDDEN,
            "invalid_api_key",
            "API key is invalid.",
        );
    }
    let Some(Json(body)) = body else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "Invalid JSON body.",
        );
    };
    for field in ["from", "to", "subject"] {
        if body.get(field).is_none_or(Value::is_null) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "missing_required_field",
                &format!("Missing `{field}` field."),
            );
        }
    }
    if body.get("html").is_none() && body.get("text").is_none() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "Missing `html` or `text` field.",
        );
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(key) = &key {
        if key.len() > 256 {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_idempotency_key",
                "The key must be 1-256 characters.",
            );
        }
        let keys = sim.keys.lock().expect("lock");
        if let Some((_, seen, id)) = keys.iter().find(|(k, _, _)| k == key) {
            if *seen != body {
                return error(
                    StatusCode::CONFLICT,
                    "invalid_idempotent_request",
                    "Same idempotency key used with a different request body.",
                );
            }
            return (StatusCode::OK, Json(json!({"id": id})));
        }
    }
    let id = uuid::Uuid::now_v7().to_string();
    sim.received.lock().expect("lock").push(body.clone());
    if let Some(key) = key {
        sim.keys.lock().expect("lock").push((key, body, id.clone()));
    }
    (StatusCode::OK, Json(json!({"id": id})))
}
