//! Retell: LLMs, agents, voices and calls. Bearer API key; errors as
//! `{"status": "error", "message": ...}`; 201 on create, 204 with no body on delete, 422
//! for objects the key cannot see; unknown fields, bad enums and ranges refused with 400.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use serde_json::{Map, Value, json};

use crate::check::Checker;
use crate::{RETELL_FROM_NUMBER, RETELL_KEY, VoiceSim, bearer, reply};

mod agent;
mod llm;

pub use agent::check_agent;
use agent::voices;
pub use llm::check_llm;

pub fn routes() -> Router<VoiceSim> {
    Router::new()
        .route("/create-retell-llm", post(create_llm))
        .route("/get-retell-llm/{id}", get(get_llm))
        .route("/update-retell-llm/{id}", patch(update_llm))
        .route("/delete-retell-llm/{id}", delete(delete_llm))
        .route("/create-agent", post(create_agent))
        .route("/get-agent/{id}", get(get_agent))
        .route("/update-agent/{id}", patch(update_agent))
        .route("/delete-agent/{id}", delete(delete_agent))
        .route("/list-agents", get(list_agents))
        .route("/list-voices", get(list_voices))
        .route("/v2/create-web-call", post(create_web_call))
        .route("/v2/create-phone-call", post(create_phone_call))
        .route("/v2/get-call/{id}", get(get_call))
        .route("/v2/list-calls", post(list_calls))
}

fn error(status: u16, message: &str) -> Response {
    reply(status, json!({"status": "error", "message": message}))
}

fn missing() -> Response {
    error(422, "Cannot find requested asset under given api key.")
}

fn gate(
    sim: &VoiceSim,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    body: &Value,
) -> Option<Response> {
    if let Some(status) = sim.record(method, path, body) {
        let message = match status {
            429 => "Account rate limited, please throttle your requests.",
            402 => "Trial has ended, please add payment method.",
            _ => "Internal server error.",
        };
        return Some(error(status, message));
    }
    (bearer(headers) != RETELL_KEY).then(|| error(401, "API key is missing or invalid."))
}

/// The JSON body (an empty body reads as `{}`), or `None` when it is not JSON.
fn parse(bytes: &Bytes) -> Option<Value> {
    if bytes.is_empty() {
        return Some(json!({}));
    }
    serde_json::from_slice(bytes).ok()
}

fn not_json() -> Response {
    error(400, "Invalid JSON body.")
}

fn invalid(errors: &[String]) -> Response {
    error(400, &errors.join("; "))
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn retell_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

// ---- LLMs

fn store_llm(mut body: Map<String, Value>, id: &str, version: i64) -> Value {
    body.insert("llm_id".into(), json!(id));
    body.insert("version".into(), json!(version));
    body.insert("is_published".into(), json!(false));
    body.insert("last_modification_timestamp".into(), json!(now_ms()));
    Value::Object(body)
}

async fn create_llm(State(sim): State<VoiceSim>, headers: HeaderMap, bytes: Bytes) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/create-retell-llm", &body) {
        return r;
    }
    let errors = check_llm(&body);
    if !errors.is_empty() {
        return invalid(&errors);
    }
    let id = retell_id("llm");
    let stored = store_llm(body.as_object().cloned().unwrap_or_default(), &id, 0);
    sim.store().llms.insert(id, stored.clone());
    reply(201, stored)
}

async fn get_llm(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "GET",
        &format!("/get-retell-llm/{id}"),
        &Value::Null,
    ) {
        return r;
    }
    match sim.store().llms.get(&id) {
        Some(l) => reply(200, l.clone()),
        None => missing(),
    }
}

async fn update_llm(
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
        &format!("/update-retell-llm/{id}"),
        &body,
    ) {
        return r;
    }
    let errors = check_llm(&body);
    if !errors.is_empty() {
        return invalid(&errors);
    }
    let mut store = sim.store();
    let Some(Value::Object(existing)) = store.llms.get(&id).cloned() else {
        return missing();
    };
    let mut merged = existing;
    if let Value::Object(changes) = body {
        merged.extend(changes);
    }
    let version = merged.get("version").and_then(Value::as_i64).unwrap_or(0);
    let stored = store_llm(merged, &id, version);
    store.llms.insert(id, stored.clone());
    reply(200, stored)
}

async fn delete_llm(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "DELETE",
        &format!("/delete-retell-llm/{id}"),
        &Value::Null,
    ) {
        return r;
    }
    let mut store = sim.store();
    let in_use = store
        .agents
        .values()
        .any(|a| a.pointer("/response_engine/llm_id").and_then(Value::as_str) == Some(id.as_str()));
    if in_use {
        return error(400, "Cannot delete an LLM that is used by an agent.");
    }
    match store.llms.remove(&id) {
        Some(_) => no_content(),
        None => missing(),
    }
}

// ---- Agents

fn llm_ids(sim: &VoiceSim) -> Vec<String> {
    sim.store().llms.keys().cloned().collect()
}

fn store_agent(mut body: Map<String, Value>, id: &str) -> Value {
    body.insert("agent_id".into(), json!(id));
    body.insert("version".into(), json!(0));
    body.insert("is_published".into(), json!(false));
    body.insert("last_modification_timestamp".into(), json!(now_ms()));
    Value::Object(body)
}

async fn create_agent(State(sim): State<VoiceSim>, headers: HeaderMap, bytes: Bytes) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/create-agent", &body) {
        return r;
    }
    let errors = check_agent(&body, true, &llm_ids(&sim));
    if !errors.is_empty() {
        return invalid(&errors);
    }
    let id = retell_id("agent");
    let stored = store_agent(body.as_object().cloned().unwrap_or_default(), &id);
    sim.store().agents.insert(id, stored.clone());
    reply(201, stored)
}

async fn get_agent(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "GET",
        &format!("/get-agent/{id}"),
        &Value::Null,
    ) {
        return r;
    }
    match sim.store().agents.get(&id) {
        Some(a) => reply(200, a.clone()),
        None => missing(),
    }
}

async fn update_agent(
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
        &format!("/update-agent/{id}"),
        &body,
    ) {
        return r;
    }
    let errors = check_agent(&body, false, &llm_ids(&sim));
    if !errors.is_empty() {
        return invalid(&errors);
    }
    let mut store = sim.store();
    let Some(Value::Object(existing)) = store.agents.get(&id).cloned() else {
        return missing();
    };
    let mut merged = existing;
    if let Value::Object(changes) = body {
        merged.extend(changes);
    }
    let stored = store_agent(merged, &id);
    store.agents.insert(id, stored.clone());
    reply(200, stored)
}

async fn delete_agent(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(
        &sim,
        &headers,
        "DELETE",
        &format!("/delete-agent/{id}"),
        &Value::Null,
    ) {
        return r;
    }
    match sim.store().agents.remove(&id) {
        Some(_) => no_content(),
        None => missing(),
    }
}

async fn list_agents(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(r) = gate(&sim, &headers, "GET", "/list-agents", &Value::Null) {
        return r;
    }
    let list: Vec<Value> = sim.store().agents.values().cloned().collect();
    reply(200, Value::Array(list))
}

async fn list_voices(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(r) = gate(&sim, &headers, "GET", "/list-voices", &Value::Null) {
        return r;
    }
    reply(200, voices())
}

// ---- Calls

async fn create_web_call(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/v2/create-web-call", &body) {
        return r;
    }
    let mut c = Checker::default();
    if let Some(map) = c.object(&body, "") {
        for key in map.keys() {
            if ![
                "agent_id",
                "agent_version",
                "agent_override",
                "metadata",
                "retell_llm_dynamic_variables",
                "current_state",
                "current_node_id",
            ]
            .contains(&key.as_str())
            {
                c.errors.push(format!("Unknown field: {key}"));
            }
        }
        c.required(map, "agent_id", "");
    }
    if !c.is_ok() {
        return invalid(&c.errors);
    }
    let agent_id = body["agent_id"].as_str().unwrap_or_default().to_owned();
    if !sim.store().agents.contains_key(&agent_id) {
        return missing();
    }
    let id = retell_id("call");
    let call = json!({
        "call_type": "web_call", "call_id": id, "agent_id": agent_id, "agent_version": 0,
        "call_status": "registered", "access_token": format!("eyJ.sim.{}", uuid::Uuid::new_v4().simple()),
        "metadata": body.get("metadata").cloned().unwrap_or(json!({})),
    });
    sim.store().retell_calls.insert(id, call.clone());
    reply(201, call)
}

async fn create_phone_call(
    State(sim): State<VoiceSim>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/v2/create-phone-call", &body) {
        return r;
    }
    let mut c = Checker::default();
    if let Some(map) = c.object(&body, "") {
        for key in map.keys() {
            if ![
                "from_number",
                "to_number",
                "override_agent_id",
                "override_agent_version",
                "agent_override",
                "metadata",
                "retell_llm_dynamic_variables",
                "custom_sip_headers",
                "ignore_e164_validation",
            ]
            .contains(&key.as_str())
            {
                c.errors.push(format!("Unknown field: {key}"));
            }
        }
        c.required(map, "from_number", "");
        c.required(map, "to_number", "");
        c.e164(map, "to_number", "");
        if let Some(vars) = map
            .get("retell_llm_dynamic_variables")
            .and_then(|v| c.object(v, "retell_llm_dynamic_variables."))
        {
            for (k, v) in vars {
                if !v.is_string() {
                    c.errors
                        .push(format!("retell_llm_dynamic_variables.{k} must be a string"));
                }
            }
        }
    }
    if !c.is_ok() {
        return invalid(&c.errors);
    }
    if body["from_number"].as_str() != Some(RETELL_FROM_NUMBER) {
        return error(404, "from_number is not a number of this account.");
    }
    let agent_id = body
        .get("override_agent_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !agent_id.is_empty() && !sim.store().agents.contains_key(&agent_id) {
        return missing();
    }
    let id = retell_id("call");
    let call = json!({
        "call_type": "phone_call", "call_id": id, "agent_id": agent_id, "agent_version": 0,
        "call_status": "registered", "from_number": body["from_number"], "to_number": body["to_number"],
        "direction": "outbound", "metadata": body.get("metadata").cloned().unwrap_or(json!({})),
    });
    let mut call = call;
    if let Some(vars) = body.get("retell_llm_dynamic_variables") {
        call["retell_llm_dynamic_variables"] = vars.clone();
    }
    sim.store().retell_calls.insert(id, call.clone());
    reply(201, call)
}

/// `POST /v2/list-calls`: a bare array of the calls matching `filter_criteria` (arrays of
/// values per key: `agent_id`, `call_id`, `call_status`, `direction`, `from_number`,
/// `to_number`, `metadata.<key>`; `start_timestamp` as `{lower_threshold,
/// upper_threshold}`), `sort_order`, `limit` (50; up to 1000).
async fn list_calls(State(sim): State<VoiceSim>, headers: HeaderMap, bytes: Bytes) -> Response {
    let Some(body) = parse(&bytes) else {
        return not_json();
    };
    if let Some(r) = gate(&sim, &headers, "POST", "/v2/list-calls", &body) {
        return r;
    }
    let mut c = Checker::default();
    let mut limit = 50usize;
    let mut descending = true;
    let mut criteria = serde_json::Map::new();
    if let Some(map) = c.object(&body, "") {
        for key in map.keys() {
            if !["filter_criteria", "sort_order", "limit", "pagination_key"].contains(&key.as_str())
            {
                c.errors.push(format!("Unknown field: {key}"));
            }
        }
        if let Some(n) = map.get("limit") {
            match n.as_u64() {
                Some(n) if (1..=1000).contains(&n) => limit = n as usize,
                _ => c.errors.push("limit must be between 1 and 1000".into()),
            }
        }
        match map.get("sort_order").and_then(Value::as_str) {
            None | Some("descending") => {}
            Some("ascending") => descending = false,
            Some(other) => c
                .errors
                .push(format!("sort_order {other} is not ascending or descending")),
        }
        if let Some(filters) = map
            .get("filter_criteria")
            .and_then(|v| c.object(v, "filter_criteria."))
        {
            for (key, value) in filters {
                let known = key.starts_with("metadata.")
                    || key.starts_with("dynamic_variables.")
                    || [
                        "agent_id",
                        "call_id",
                        "call_status",
                        "call_type",
                        "direction",
                        "from_number",
                        "to_number",
                        "start_timestamp",
                    ]
                    .contains(&key.as_str());
                if !known {
                    c.errors.push(format!("Unknown filter: {key}"));
                } else if key != "start_timestamp" && !value.is_array() {
                    c.errors
                        .push(format!("filter_criteria.{key} must be an array"));
                }
            }
            criteria = filters.clone();
        }
    }
    if !c.is_ok() {
        return invalid(&c.errors);
    }
    let store = sim.store();
    let mut calls: Vec<&Value> = store
        .retell_calls
        .values()
        .filter(|call| {
            criteria.iter().all(|(key, wanted)| {
                if key == "start_timestamp" {
                    let at = call
                        .get("start_timestamp")
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                    let lower = wanted
                        .get("lower_threshold")
                        .and_then(Value::as_i64)
                        .unwrap_or(i64::MIN);
                    let upper = wanted
                        .get("upper_threshold")
                        .and_then(Value::as_i64)
                        .unwrap_or(i64::MAX);
                    return (lower..=upper).contains(&at);
                }
                let field = match key.strip_prefix("metadata.") {
                    Some(k) => call.pointer(&format!("/metadata/{k}")),
                    None => match key.strip_prefix("dynamic_variables.") {
                        Some(k) => call.pointer(&format!("/retell_llm_dynamic_variables/{k}")),
                        None => call.get(key.as_str()),
                    },
                };
                wanted
                    .as_array()
                    .is_some_and(|values| field.is_some_and(|f| values.contains(f)))
            })
        })
        .collect();
    calls.sort_by_key(|call| {
        call.get("start_timestamp")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    });
    if descending {
        calls.reverse();
    }
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
        &format!("/v2/get-call/{id}"),
        &Value::Null,
    ) {
        return r;
    }
    match sim.store().retell_calls.get(&id) {
        Some(c) => reply(200, c.clone()),
        None => missing(),
    }
}
