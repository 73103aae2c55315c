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

const LLM_KEYS: [&str; 16] = [
    "model",
    "s2s_model",
    "model_temperature",
    "model_high_priority",
    "tool_call_strict_mode",
    "general_prompt",
    "begin_message",
    "start_speaker",
    "begin_after_user_silence_ms",
    "general_tools",
    "states",
    "starting_state",
    "default_dynamic_variables",
    "knowledge_base_ids",
    "kb_config",
    "mcps",
];

const MODELS: [&str; 12] = [
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "claude-4.5-sonnet",
    "claude-4.5-haiku",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
];

pub fn check_llm(body: &Value) -> Vec<String> {
    let mut c = Checker::default();
    let Some(map) = c.object(body, "") else {
        return c.errors;
    };
    for key in map.keys() {
        if !LLM_KEYS.contains(&key.as_str()) {
            c.errors.push(format!("Unknown field: {key}"));
        }
    }
    c.one_of(map, "model", &MODELS, "");
    c.range(map, "model_temperature", 0.0, 1.0, "");
    c.one_of(map, "start_speaker", &["user", "agent"], "");
    c.string(map, "general_prompt", "");
    if let Some(defaults) = map
        .get("default_dynamic_variables")
        .and_then(|v| c.object(v, "default_dynamic_variables."))
    {
        for (k, v) in defaults {
            if !v.is_string() {
                c.errors
                    .push(format!("default_dynamic_variables.{k} must be a string"));
            }
        }
    }
    if let Some(tools) = map.get("general_tools") {
        match tools.as_array() {
            Some(tools) => {
                let mut names: Vec<&str> = vec![];
                for (i, t) in tools.iter().enumerate() {
                    check_tool(&mut c, t, &format!("general_tools[{i}]."));
                    if let Some(name) = t.get("name").and_then(Value::as_str) {
                        if names.contains(&name) {
                            c.errors
                                .push(format!("general_tools[{i}].name must be unique: {name}"));
                        }
                        names.push(name);
                    }
                }
            }
            None => c.errors.push("general_tools must be an array".into()),
        }
    }
    c.errors
}

fn tool_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "end_call" => &[
            "name",
            "description",
            "speak_during_execution",
            "execution_message_description",
            "execution_message_type",
        ],
        "transfer_call" => &[
            "name",
            "description",
            "transfer_destination",
            "transfer_option",
            "custom_sip_headers",
            "ignore_e164_validation",
            "speak_during_execution",
            "execution_message_description",
            "execution_message_type",
        ],
        "press_digit" => &["name", "description", "delay_ms"],
        "check_availability_cal" | "book_appointment_cal" => &[
            "name",
            "description",
            "cal_api_key",
            "event_type_id",
            "timezone",
        ],
        "send_sms" => &[
            "name",
            "description",
            "sms_content",
            "speak_during_execution",
            "execution_message_description",
            "execution_message_type",
        ],
        "custom" => &[
            "name",
            "description",
            "url",
            "method",
            "headers",
            "query_params",
            "parameters",
            "response_variables",
            "speak_during_execution",
            "speak_after_execution",
            "execution_message_description",
            "execution_message_type",
            "timeout_ms",
            "args_at_root",
        ],
        _ => return None,
    })
}

fn check_tool(c: &mut Checker, tool: &Value, path: &str) {
    let Some(t) = c.object(tool, path) else {
        return;
    };
    let kind = t.get("type").and_then(Value::as_str).unwrap_or_default();
    let Some(keys) = tool_keys(kind) else {
        c.errors
            .push(format!("{path}type is not a valid tool type: {kind}"));
        return;
    };
    for key in t.keys() {
        if key != "type" && !keys.contains(&key.as_str()) {
            c.errors.push(format!("{path}unknown field: {key}"));
        }
    }
    c.required(t, "name", path);
    c.function_name(t, "name", path);
    c.string(t, "description", path);
    c.one_of(
        t,
        "execution_message_type",
        &["prompt", "static_text"],
        path,
    );
    match kind {
        "transfer_call" => {
            let ok = c.required(t, "transfer_destination", path)
                & c.required(t, "transfer_option", path);
            if !ok {
                return;
            }
            if let Some(d) = t
                .get("transfer_destination")
                .and_then(|v| c.object(v, &format!("{path}transfer_destination.")))
            {
                let dp = format!("{path}transfer_destination.");
                match d.get("type").and_then(Value::as_str) {
                    Some("predefined") => {
                        c.required(d, "number", &dp);
                        c.e164(d, "number", &dp);
                    }
                    Some("inferred") => {
                        c.required(d, "prompt", &dp);
                    }
                    _ => c
                        .errors
                        .push(format!("{dp}type must be predefined or inferred")),
                }
            }
            if let Some(o) = t
                .get("transfer_option")
                .and_then(|v| c.object(v, &format!("{path}transfer_option.")))
            {
                c.one_of(
                    o,
                    "type",
                    &["cold_transfer", "warm_transfer", "agentic_warm_transfer"],
                    &format!("{path}transfer_option."),
                );
            }
        }
        "check_availability_cal" | "book_appointment_cal" => {
            c.required(t, "cal_api_key", path);
            c.required(t, "event_type_id", path);
        }
        "send_sms" => {
            if c.required(t, "sms_content", path)
                && let Some(s) = t
                    .get("sms_content")
                    .and_then(|v| c.object(v, &format!("{path}sms_content.")))
            {
                let sp = format!("{path}sms_content.");
                match s.get("type").and_then(Value::as_str) {
                    Some("predefined") => {
                        c.required(s, "content", &sp);
                    }
                    Some("inferred") => {
                        c.required(s, "prompt", &sp);
                    }
                    _ => c
                        .errors
                        .push(format!("{sp}type must be predefined or inferred")),
                }
            }
        }
        "custom" => {
            c.required(t, "url", path);
            c.required(t, "description", path);
            c.required(t, "speak_after_execution", path);
            c.required(t, "speak_during_execution", path);
            c.url(t, "url", path);
            c.one_of(
                t,
                "method",
                &["GET", "POST", "PUT", "PATCH", "DELETE"],
                path,
            );
            c.range(t, "timeout_ms", 1000.0, 600000.0, path);
            c.object_schema(t, "parameters", path);
        }
        _ => {}
    }
}

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

const AGENT_KEYS: [&str; 40] = [
    "agent_name",
    "response_engine",
    "voice_id",
    "voice_model",
    "voice_temperature",
    "voice_speed",
    "volume",
    "responsiveness",
    "interruption_sensitivity",
    "enable_backchannel",
    "backchannel_frequency",
    "backchannel_words",
    "reminder_trigger_ms",
    "reminder_max_count",
    "ambient_sound",
    "ambient_sound_volume",
    "language",
    "webhook_url",
    "webhook_events",
    "webhook_timeout_ms",
    "boosted_keywords",
    "enable_transcription_formatting",
    "opt_out_sensitive_data_storage",
    "pronunciation_dictionary",
    "normalize_for_speech",
    "end_call_after_silence_ms",
    "max_call_duration_ms",
    "voicemail_option",
    "post_call_analysis_data",
    "post_call_analysis_model",
    "analysis_summary_prompt",
    "begin_message_delay_ms",
    "ring_duration_ms",
    "stt_mode",
    "denoising_mode",
    "data_storage_setting",
    "pii_config",
    "timezone",
    "version_description",
    "is_public",
];

const LANGUAGES: [&str; 16] = [
    "en-US", "en-IN", "en-GB", "en-AU", "en-NZ", "de-DE", "es-ES", "es-419", "hi-IN", "fr-FR",
    "fr-CA", "ja-JP", "pt-PT", "pt-BR", "zh-CN", "it-IT",
];

fn voices() -> Value {
    json!([
        {"voice_id": "11labs-Adrian", "voice_name": "Adrian", "provider": "elevenlabs", "gender": "male", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/adrian.wav"},
        {"voice_id": "11labs-Anna", "voice_name": "Anna", "provider": "elevenlabs", "gender": "female", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/anna.wav"},
        {"voice_id": "11labs-Brian", "voice_name": "Brian", "provider": "elevenlabs", "gender": "male", "accent": "American", "age": "Middle Aged", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/brian.wav"},
        {"voice_id": "11labs-Dorothy", "voice_name": "Dorothy", "provider": "elevenlabs", "gender": "female", "accent": "British", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/dorothy.wav"},
        {"voice_id": "11labs-Lily", "voice_name": "Lily", "provider": "elevenlabs", "gender": "female", "accent": "British", "age": "Middle Aged", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/lily.wav"},
        {"voice_id": "openai-Alloy", "voice_name": "Alloy", "provider": "openai", "gender": "female", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/alloy.wav"},
        {"voice_id": "retell-Cimo", "voice_name": "Cimo", "provider": "platform", "gender": "female", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/cimo.wav"},
    ])
}

pub fn check_agent(body: &Value, creating: bool, llms: &[String]) -> Vec<String> {
    let mut c = Checker::default();
    let Some(map) = c.object(body, "") else {
        return c.errors;
    };
    for key in map.keys() {
        if !AGENT_KEYS.contains(&key.as_str()) {
            c.errors.push(format!("Unknown field: {key}"));
        }
    }
    if creating {
        c.required(map, "response_engine", "");
        c.required(map, "voice_id", "");
    }
    if let Some(engine) = map
        .get("response_engine")
        .and_then(|v| c.object(v, "response_engine."))
    {
        match engine.get("type").and_then(Value::as_str) {
            Some("retell-llm") => {
                let id = engine
                    .get("llm_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if !llms.iter().any(|l| l == id) {
                    c.errors
                        .push(format!("response_engine.llm_id not found: {id}"));
                }
            }
            Some("custom-llm" | "conversation-flow") => {}
            _ => c.errors.push(
                "response_engine.type must be one of retell-llm, custom-llm, conversation-flow"
                    .into(),
            ),
        }
    }
    if let Some(voice) = map.get("voice_id") {
        let known = voices();
        let ok = voice.as_str().is_some_and(|v| {
            known
                .as_array()
                .is_some_and(|list| list.iter().any(|k| k["voice_id"] == v))
        });
        if !ok {
            c.errors
                .push(format!("voice_id is not a valid voice: {voice}"));
        }
    }
    c.range(map, "voice_speed", 0.5, 2.0, "");
    c.range(map, "voice_temperature", 0.0, 2.0, "");
    c.range(map, "max_call_duration_ms", 60000.0, 7200000.0, "");
    c.one_of(map, "language", &LANGUAGES, "");
    if let Some(url) = map.get("webhook_url")
        && !url.is_null()
    {
        c.url(map, "webhook_url", "");
    }
    c.errors
}

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
    sim.store().retell_calls.insert(id, call.clone());
    reply(201, call)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llms_refuse_unknown_fields_and_bad_tools() {
        let errors = check_llm(&json!({
            "model": "gpt-4o-latest",
            "model_temperature": 1.5,
            "prompt": "x",
            "general_tools": [{"type": "custom", "name": "book", "url": "https://x.example.com/t"}],
        }));
        assert!(errors.iter().any(|e| e == "Unknown field: prompt"));
        assert!(errors.iter().any(|e| e.starts_with("model must be one of")));
        assert!(
            errors
                .iter()
                .any(|e| e == "model_temperature must not be greater than 1")
        );
        assert!(
            errors
                .iter()
                .any(|e| e == "general_tools[0].description should not be empty")
        );
    }

    #[test]
    fn agents_need_a_known_llm_and_voice() {
        let errors = check_agent(
            &json!({"response_engine": {"type": "retell-llm", "llm_id": "llm_x"}, "voice_id": "21m00Tcm4TlvDq8ikWAM", "language": "es-MX"}),
            true,
            &[],
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
