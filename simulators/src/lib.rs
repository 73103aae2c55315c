//! Loopback simulators of the VAPI and Retell HTTP APIs (and the part of Algolia's that
//! the key check and the calls index use), as strict as the real ones
//! (reference/providers.md §1, §2, §6): the same paths, auth checks, field names, status
//! codes and error bodies; unknown properties refused (VAPI's NestJS messages), ranges and
//! enums checked, missing objects answered as each provider does. Every request is
//! recorded so tests can compare what the application sent with a snapshot.
//!
//! Both APIs share one port (their paths do not overlap), with the signal endpoints of
//! Retell's LiveKit media server beside them. Like the real APIs, they answer browsers
//! from any origin (CORS), since VAPI's web SDK creates its calls from the page.
//! `GET /_simulator/requests` lists what was received, for tests in another process.

pub mod algolia;
mod check;
pub mod dns;
pub mod livekit;
pub mod retell;
pub mod vapi;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub const VAPI_KEY: &str = "vapi-private-key-0001";
pub const VAPI_PUBLIC_KEY: &str = "vapi-public-key-0001";
pub const RETELL_KEY: &str = "key_retell0001";
pub const ALGOLIA_APP_ID: &str = "SIMAPP0001";
pub const ALGOLIA_ADMIN_KEY: &str = "algolia-admin-key-0001";
/// The number Retell has imported for outbound calls in the simulator.
pub const RETELL_FROM_NUMBER: &str = "+14155550100";
/// The VAPI phone-number id outbound calls can use.
pub const VAPI_PHONE_NUMBER_ID: &str = "5b2f2b0e-0000-4000-8000-000000000001";

/// A request as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
}

#[derive(Debug, Default)]
pub struct Store {
    pub assistants: HashMap<String, Value>,
    pub vapi_calls: HashMap<String, Value>,
    pub llms: HashMap<String, Value>,
    pub agents: HashMap<String, Value>,
    pub retell_calls: HashMap<String, Value>,
    /// Algolia indices: name → (settings, objectID → record).
    pub algolia: HashMap<String, (Value, std::collections::BTreeMap<String, Value>)>,
    pub requests: Vec<Recorded>,
    /// Statuses to answer before behaving normally (429 carries `Retry-After: 1`).
    faults: Vec<u16>,
}

#[derive(Clone, Default)]
pub struct VoiceSim {
    store: Arc<Mutex<Store>>,
}

impl VoiceSim {
    /// Starts on a free loopback port; returns the simulator and its base URL.
    pub async fn start() -> (Self, String) {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> (Self, String) {
        Self::start_with(port, axum::Router::new()).await
    }

    /// [`Self::start_on`], serving `extra` routes beside the APIs (the DNS simulator's).
    pub async fn start_with(port: u16, extra: axum::Router) -> (Self, String) {
        let sim = Self::default();
        let app = vapi::routes()
            .merge(retell::routes())
            .merge(algolia::routes())
            .merge(livekit::routes())
            .route("/_simulator/requests", axum::routing::get(list_requests))
            .layer(axum::middleware::from_fn(cors))
            .with_state(sim.clone())
            .merge(extra);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("the simulators cannot listen on port {port}: {e}"));
        let addr: SocketAddr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("no local address: {e}"));
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        (sim, format!("http://{addr}"))
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers the next requests with these statuses, in order.
    pub fn fail_with(&self, statuses: &[u16]) {
        self.store().faults = statuses.iter().rev().copied().collect();
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.store().requests.clone()
    }

    pub fn request_count(&self) -> usize {
        self.store().requests.len()
    }

    /// Ends a VAPI or Retell call as its provider would report it afterwards: `turns` are
    /// (role, text) with role `agent` or `user`, `seconds` the call's length. Returns
    /// whether the call was known.
    pub fn end_call(&self, id: &str, turns: &[(&str, &str)], seconds: i64) -> bool {
        let ended = chrono::Utc::now();
        let started = ended - chrono::Duration::seconds(seconds);
        let iso = |t: chrono::DateTime<chrono::Utc>| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        };
        let step = seconds as f64 / turns.len().max(1) as f64;
        let mut store = self.store();
        if let Some(call) = store.vapi_calls.get_mut(id) {
            let messages: Vec<Value> = turns
                .iter()
                .enumerate()
                .map(|(i, (role, text))| {
                    serde_json::json!({
                        "role": if *role == "agent" { "bot" } else { "user" },
                        "message": text,
                        "secondsFromStart": step * i as f64,
                    })
                })
                .collect();
            call["status"] = "ended".into();
            call["endedReason"] = "customer-ended-call".into();
            call["startedAt"] = iso(started).into();
            call["endedAt"] = iso(ended).into();
            call["cost"] = serde_json::json!(0.02 * seconds as f64 / 60.0);
            call["artifact"] = serde_json::json!({
                "messages": messages,
                "recordingUrl": format!("https://storage.vapi.ai/{id}-mono.wav"),
            });
            call["analysis"] = serde_json::json!({ "summary": "The caller tried the assistant." });
            return true;
        }
        if let Some(call) = store.retell_calls.get_mut(id) {
            let transcript: Vec<Value> = turns
                .iter()
                .enumerate()
                .map(|(i, (role, text))| {
                    serde_json::json!({
                        "role": role,
                        "content": text,
                        "words": [{ "word": text, "start": step * i as f64, "end": step * i as f64 + 1.0 }],
                    })
                })
                .collect();
            call["call_status"] = "ended".into();
            call["disconnection_reason"] = "user_hangup".into();
            call["start_timestamp"] = started.timestamp_millis().into();
            call["end_timestamp"] = ended.timestamp_millis().into();
            call["duration_ms"] = (seconds * 1000).into();
            call["transcript_object"] = Value::Array(transcript);
            call["recording_url"] =
                format!("https://dxc03zgurdly9.cloudfront.net/{id}/recording.wav").into();
            call["call_analysis"] =
                serde_json::json!({ "call_summary": "The caller tried the agent." });
            call["call_cost"] = serde_json::json!({ "combined_cost": 7 * seconds / 60 });
            return true;
        }
        false
    }

    /// Records the request and returns the injected fault to answer with, if any.
    pub(crate) fn record(&self, method: &str, path: &str, body: &Value) -> Option<u16> {
        let mut store = self.store();
        store.requests.push(Recorded {
            method: method.into(),
            path: path.into(),
            body: body.clone(),
        });
        store.faults.pop()
    }
}

async fn list_requests(axum::extract::State(sim): axum::extract::State<VoiceSim>) -> Response {
    let requests: Vec<Value> = sim
        .requests()
        .into_iter()
        .map(|r| serde_json::json!({ "method": r.method, "path": r.path, "body": r.body }))
        .collect();
    Json(requests).into_response()
}

/// Lets pages of any origin call the simulators, as VAPI's API lets its web SDK: preflights
/// are answered here, and every answer carries `Access-Control-Allow-Origin: *`.
async fn cors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if request.method() == axum::http::Method::OPTIONS {
        let asked = request
            .headers()
            .get("access-control-request-headers")
            .cloned()
            .unwrap_or(HeaderValue::from_static("authorization, content-type"));
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
        headers.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, POST, PATCH, DELETE, OPTIONS"),
        );
        headers.insert("access-control-allow-headers", asked);
        headers.insert("access-control-max-age", HeaderValue::from_static("600"));
        return response;
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("access-control-allow-origin", HeaderValue::from_static("*"));
    response
}

pub(crate) fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
}

pub(crate) fn reply(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
    }
    response
}

pub(crate) fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A query value with its `%XX` escapes (and `+` as space) decoded.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
