//! VAPI: assistants (`/assistant`), calls (`/call`, `/call/web`). Private keys for the API,
//! the public key only for `/call/web`; NestJS error bodies with `message` as a list;
//! unknown properties refused at every level; 201 on create, 200 elsewhere, deletes return
//! the object, missing objects 404.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::check::Checker;
use crate::{
    VAPI_KEY, VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY, VoiceSim, bearer, new_id, now_iso, reply,
};

mod assistant;
mod tools;

use assistant::ASSISTANT_KEYS;
pub use assistant::check_assistant;

pub fn routes() -> Router<VoiceSim> {
    Router::new()
        .route("/assistant", get(list_assistants).post(create_assistant))
        .route(
            "/assistant/{id}",
            get(get_assistant)
                .patch(update_assistant)
                .delete(delete_assistant),
        )
        .route("/call", get(list_calls).post(create_call))
        .route("/call/web", post(create_web_call))
        .route("/call/{id}", get(get_call))
}

const ORG_ID: &str = "0f1e2d3c-0000-4000-8000-00000000a11c";

fn bad_request(errors: Vec<String>) -> Response {
    reply(
        400,
        json!({"message": errors, "error": "Bad Request", "statusCode": 400}),
    )
}

fn not_found(what: &str) -> Response {
    reply(
        404,
        json!({"message": format!("Couldn't Find {what}"), "error": "Not Found", "statusCode": 404}),
    )
}

fn unauthorized() -> Response {
    reply(
        401,
        json!({
            "message": "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.",
            "error": "Unauthorized",
            "statusCode": 401
        }),
    )
}

fn fault(status: u16) -> Response {
    let message = match status {
        429 => "ThrottlerException: Too Many Requests",
        _ => "Internal server error",
    };
    reply(
        status,
        json!({"message": message, "error": "Error", "statusCode": status}),
    )
}

/// Records the request, then answers an injected fault or a wrong key; `None` to go on.
fn gate(
    sim: &VoiceSim,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    body: &Value,
    key: &str,
) -> Option<Response> {
    if let Some(status) = sim.record(method, path, body) {
        return Some(fault(status));
    }
    (bearer(headers) != key).then(unauthorized)
}

/// The JSON body (an empty body reads as `{}`), or `None` when it is not JSON.
fn parse(bytes: &Bytes) -> Option<Value> {
    if bytes.is_empty() {
        return Some(json!({}));
    }
    serde_json::from_slice(bytes).ok()
}

fn not_json() -> Response {
    reply(
        400,
        json!({"message": ["Unexpected token in JSON"], "error": "Bad Request", "statusCode": 400}),
    )
}

async fn list_assistants(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(r) = gate(&sim, &headers, "GET", "/assistant", &Value::Null, VAPI_KEY) {
        return r;
    }
    let list: Vec<Value> = sim.store().assistants.values().cloned().collect();
    reply(200, Value::Array(list))
}

async fn get_assistant(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "GET",
        &format!("/assistant/{id}"),
        &Value::Null,
        VAPI_KEY,
    ) {
        return r;
    }
    match sim.store().assistants.get(&id) {
        Some(a) => reply(200, a.clone()),
        None => not_found("Assistant"),
    }
}

async fn create_assistant(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/assistant", &body, VAPI_KEY) {
        return r;
    }
    let errors = check_assistant(&body);
    if !errors.is_empty() {
        return bad_request(errors);
    }
    let id = new_id();
    let mut stored = body.as_object().cloned().unwrap_or_default();
    let now = now_iso();
    stored.insert("id".into(), json!(id));
    stored.insert("orgId".into(), json!(ORG_ID));
    stored.insert("createdAt".into(), json!(now));
    stored.insert("updatedAt".into(), json!(now));
    let stored = Value::Object(stored);
    sim.store().assistants.insert(id, stored.clone());
    reply(201, stored)
}

async fn update_assistant(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(
        &sim,
        &headers,
        "PATCH",
        &format!("/assistant/{id}"),
        &body,
        VAPI_KEY,
    ) {
        return r;
    }
    let errors = check_assistant(&body);
    if !errors.is_empty() {
        return bad_request(errors);
    }
    let mut store = sim.store();
    let Some(Value::Object(existing)) = store.assistants.get_mut(&id) else {
        return not_found("Assistant");
    };
    // Top-level keys that are present replace the stored ones.
    if let Value::Object(changes) = body {
        for (k, v) in changes {
            existing.insert(k, v);
        }
    }
    existing.insert("updatedAt".into(), json!(now_iso()));
    reply(200, Value::Object(existing.clone()))
}

async fn delete_assistant(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "DELETE",
        &format!("/assistant/{id}"),
        &Value::Null,
        VAPI_KEY,
    ) {
        return r;
    }
    match sim.store().assistants.remove(&id) {
        Some(a) => reply(200, a),
        None => not_found("Assistant"),
    }
}

async fn create_call(State(sim): State<VoiceSim>, headers: HeaderMap, bytes: Bytes) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/call", &body, VAPI_KEY) {
        return r;
    }
    let mut c = Checker::default();
    let Some(map) = c.object(&body, "") else {
        return bad_request(c.errors);
    };
    c.only(
        map,
        &[
            "assistantId",
            "assistant",
            "assistantOverrides",
            "squadId",
            "squad",
            "workflowId",
            "workflow",
            "phoneNumberId",
            "phoneNumber",
            "customer",
            "customerId",
            "customers",
            "name",
            "schedulePlan",
            "transport",
        ],
        "",
    );
    if let Some(customer) = map.get("customer").and_then(|v| c.object(v, "customer.")) {
        c.only(
            customer,
            &[
                "number",
                "name",
                "extension",
                "numberE164CheckEnabled",
                "sipUri",
                "email",
                "externalId",
            ],
            "customer.",
        );
        c.e164(customer, "number", "customer.");
    } else {
        c.errors.push("customer should not be empty".into());
    }
    if let Some(overrides) = map
        .get("assistantOverrides")
        .and_then(|v| c.object(v, "assistantOverrides."))
    {
        let mut allowed: Vec<&str> = ASSISTANT_KEYS.to_vec();
        allowed.push("variableValues");
        c.only(overrides, &allowed, "assistantOverrides.");
    }
    if !c.is_ok() {
        return bad_request(c.errors);
    }
    let assistant_id = map
        .get("assistantId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !sim.store().assistants.contains_key(assistant_id) {
        return bad_request(vec![
            "Couldn't Find Assistant. assistantId must be a valid assistant".into(),
        ]);
    }
    if map.get("phoneNumberId").and_then(Value::as_str) != Some(VAPI_PHONE_NUMBER_ID) {
        return bad_request(vec![
            "Couldn't Find Phone Number. phoneNumberId must be a valid phone number".into(),
        ]);
    }
    let id = new_id();
    let now = now_iso();
    let call = json!({
        "id": id, "orgId": ORG_ID, "type": "outboundPhoneCall", "status": "queued",
        "assistantId": assistant_id, "phoneNumberId": VAPI_PHONE_NUMBER_ID,
        "customer": map.get("customer"), "phoneCallProvider": "twilio", "phoneCallTransport": "pstn",
        "createdAt": now, "updatedAt": now,
    });
    let mut call = call;
    if let Some(overrides) = map.get("assistantOverrides") {
        call["assistantOverrides"] = overrides.clone();
    }
    sim.store().vapi_calls.insert(id, call.clone());
    reply(201, call)
}

async fn create_web_call(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/call/web", &body, VAPI_PUBLIC_KEY) {
        return r;
    }
    let assistant_id = body
        .get("assistantId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(assistant) = sim.store().assistants.get(assistant_id).cloned() else {
        return bad_request(vec![
            "Couldn't Find Assistant. assistantId must be a valid assistant".into(),
        ]);
    };
    let id = new_id();
    let now = now_iso();
    let call = json!({
        "id": id, "orgId": ORG_ID, "type": "webCall", "status": "queued",
        "assistantId": assistant_id, "assistant": assistant,
        "webCallUrl": format!("https://vapi.daily.co/{id}"),
        "createdAt": now, "updatedAt": now,
    });
    sim.store().vapi_calls.insert(id, call.clone());
    reply(201, call)
}

/// `GET /call`: a bare array, filtered by `id`, `assistantId`, `phoneNumberId` and the
/// `createdAt` / `updatedAt` bounds, newest first, at most `limit` (100; up to 1000).
async fn list_calls(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let path = if query.is_empty() {
        "/call".to_owned()
    } else {
        format!("/call?{query}")
    };
    if let Some(r) = gate(&sim, &headers, "GET", &path, &Value::Null, VAPI_KEY) {
        return r;
    }
    let mut filters: Vec<(String, String)> = vec![];
    let mut limit = 100usize;
    let mut errors = vec![];
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = crate::percent_decode(value);
        match key {
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => errors.push("limit must not be greater than 1000".to_owned()),
            },
            "id" | "assistantId" | "phoneNumberId" | "createdAtGt" | "createdAtLt"
            | "createdAtGe" | "createdAtLe" | "updatedAtGt" | "updatedAtLt" | "updatedAtGe"
            | "updatedAtLe" => filters.push((key.to_owned(), value)),
            other => errors.push(format!("property {other} should not exist")),
        }
    }
    if !errors.is_empty() {
        return bad_request(errors);
    }
    let store = sim.store();
    let mut calls: Vec<&Value> = store
        .vapi_calls
        .values()
        .filter(|c| {
            filters.iter().all(|(key, value)| {
                let field = |name: &str| c.get(name).and_then(Value::as_str).unwrap_or_default();
                match key.as_str() {
                    "id" => field("id") == value,
                    "assistantId" => field("assistantId") == value,
                    "phoneNumberId" => field("phoneNumberId") == value,
                    "createdAtGt" => field("createdAt") > value.as_str(),
                    "createdAtLt" => field("createdAt") < value.as_str(),
                    "createdAtGe" => field("createdAt") >= value.as_str(),
                    "createdAtLe" => field("createdAt") <= value.as_str(),
                    "updatedAtGt" => field("updatedAt") > value.as_str(),
                    "updatedAtLt" => field("updatedAt") < value.as_str(),
                    "updatedAtGe" => field("updatedAt") >= value.as_str(),
                    _ => field("updatedAt") <= value.as_str(),
                }
            })
        })
        .collect();
    calls.sort_by(|a, b| b["createdAt"].as_str().cmp(&a["createdAt"].as_str()));
    calls.truncate(limit);
    reply(200, Value::Array(calls.into_iter().cloned().collect()))
}

async fn get_call(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "GET",
        &format!("/call/{id}"),
        &Value::Null,
        VAPI_KEY,
    ) {
        return r;
    }
    match sim.store().vapi_calls.get(&id) {
        Some(c) => reply(200, c.clone()),
        None => not_found("Call"),
    }
}
