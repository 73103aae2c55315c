//! Loopback simulators of the VAPI and Retell endpoints the clients call so far, with each
//! provider's auth check, error bodies and status codes (reference/providers.md §1.1,
//! §2.1), plus injected 429/5xx answers for retry tests.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

pub const VAPI_KEY: &str = "vapi-private-key-0001";
pub const RETELL_KEY: &str = "key_retell0001";

#[derive(Clone, Default)]
pub struct VoiceSim {
    /// Statuses to answer before behaving normally (429 carries `Retry-After: 1`).
    pub faults: Arc<Mutex<Vec<u16>>>,
    pub requests: Arc<Mutex<u32>>,
}

impl VoiceSim {
    /// Starts both simulators on one loopback port; returns it and its base URL.
    pub async fn start() -> (Self, String) {
        let sim = Self::default();
        let app = axum::Router::new()
            .route("/assistant", get(vapi_list_assistants))
            .route("/list-agents", get(retell_list_agents))
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

    pub fn fail_with(&self, statuses: &[u16]) {
        *self.faults.lock().expect("lock") = statuses.iter().rev().copied().collect();
    }

    fn next_fault(&self) -> Option<u16> {
        *self.requests.lock().expect("lock") += 1;
        self.faults.lock().expect("lock").pop()
    }
}

fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
}

fn fault(status: u16, body: serde_json::Value) -> Response {
    let status = StatusCode::from_u16(status).expect("status");
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
    }
    response
}

async fn vapi_list_assistants(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(status) = sim.next_fault() {
        return fault(
            status,
            json!({"message": "Too Many Requests", "error": "Error", "statusCode": status}),
        );
    }
    if bearer(&headers) != VAPI_KEY {
        return fault(
            401,
            json!({
                "message": "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.",
                "error": "Unauthorized",
                "statusCode": 401
            }),
        );
    }
    (StatusCode::OK, Json(json!([]))).into_response()
}

async fn retell_list_agents(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(status) = sim.next_fault() {
        let message = if status == 429 {
            "Account rate limited, please throttle your requests."
        } else {
            "Internal server error."
        };
        return fault(status, json!({"status": "error", "message": message}));
    }
    if bearer(&headers) != RETELL_KEY {
        return fault(
            401,
            json!({"status": "error", "message": "API key is missing or invalid."}),
        );
    }
    (StatusCode::OK, Json(json!([]))).into_response()
}
