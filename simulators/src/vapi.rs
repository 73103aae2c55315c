//! VAPI: assistants (`/assistant`), calls (`/call`, `/call/web`). Private keys for the API,
//! the public key only for `/call/web`; NestJS error bodies with `message` as a list;
//! unknown properties refused at every level; 201 on create, 200 elsewhere, deletes return
//! the object, missing objects 404.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::check::Checker;
use crate::{
    VAPI_KEY, VAPI_PHONE_NUMBER_ID, VAPI_PUBLIC_KEY, VoiceSim, bearer, new_id, now_iso, reply,
};

pub fn routes() -> Router<VoiceSim> {
    Router::new()
        .route("/assistant", get(list_assistants).post(create_assistant))
        .route(
            "/assistant/{id}",
            get(get_assistant)
                .patch(update_assistant)
                .delete(delete_assistant),
        )
        .route("/call", post(create_call))
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

const ASSISTANT_KEYS: [&str; 30] = [
    "name",
    "firstMessage",
    "firstMessageMode",
    "firstMessageInterruptionsEnabled",
    "model",
    "voice",
    "transcriber",
    "server",
    "serverMessages",
    "clientMessages",
    "metadata",
    "endCallMessage",
    "endCallPhrases",
    "voicemailMessage",
    "voicemailDetection",
    "maxDurationSeconds",
    "silenceTimeoutSeconds",
    "backgroundSound",
    "backgroundDenoisingEnabled",
    "modelOutputInMessagesEnabled",
    "analysisPlan",
    "artifactPlan",
    "startSpeakingPlan",
    "stopSpeakingPlan",
    "monitorPlan",
    "hooks",
    "credentialIds",
    "compliancePlan",
    "transportConfigurations",
    "keypadInputPlan",
];

const SERVER_MESSAGES: [&str; 19] = [
    "conversation-update",
    "end-of-call-report",
    "function-call",
    "hang",
    "language-changed",
    "language-change-detected",
    "model-output",
    "phone-call-control",
    "speech-update",
    "status-update",
    "transcript",
    "transcript[transcriptType=\"final\"]",
    "tool-calls",
    "transfer-destination-request",
    "transfer-update",
    "user-interrupted",
    "voice-input",
    "assistant.started",
    "chat.created",
];

const MODEL_PROVIDERS: [&str; 12] = [
    "openai",
    "anthropic",
    "google",
    "groq",
    "custom-llm",
    "deep-seek",
    "xai",
    "vapi",
    "together-ai",
    "perplexity-ai",
    "deepinfra",
    "openrouter",
];

const TRANSFER_MODES: [&str; 6] = [
    "blind-transfer",
    "blind-transfer-add-summary-to-sip-header",
    "warm-transfer-say-message",
    "warm-transfer-say-summary",
    "warm-transfer-wait-for-operator-to-speak-first-and-then-say-message",
    "warm-transfer-wait-for-operator-to-speak-first-and-then-say-summary",
];

/// Checks an assistant body (create or update) like VAPI's DTO validation.
pub fn check_assistant(body: &Value) -> Vec<String> {
    let mut c = Checker::default();
    let Some(map) = c.object(body, "") else {
        return c.errors;
    };
    c.only(map, &ASSISTANT_KEYS, "");
    c.string(map, "name", "");
    if map
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.chars().count() > 40)
    {
        c.errors
            .push("name must be shorter than or equal to 40 characters".into());
    }
    c.string(map, "firstMessage", "");
    c.one_of(
        map,
        "firstMessageMode",
        &[
            "assistant-speaks-first",
            "assistant-speaks-first-with-model-generated-message",
            "assistant-waits-for-user",
        ],
        "",
    );
    c.range(map, "maxDurationSeconds", 10.0, 43200.0, "");
    c.string_array(map, "endCallPhrases", "");
    if let Some(list) = map.get("serverMessages") {
        match list.as_array() {
            Some(items)
                if items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| SERVER_MESSAGES.contains(&s))) => {}
            _ => c.errors.push(format!(
                "each value in serverMessages must be one of the following values: {}",
                SERVER_MESSAGES.join(", ")
            )),
        }
    }
    if let Some(model) = map.get("model").and_then(|v| c.object(v, "model.")) {
        check_model(&mut c, model);
    }
    if let Some(voice) = map.get("voice").and_then(|v| c.object(v, "voice.")) {
        c.required(voice, "provider", "voice.");
        c.required(voice, "voiceId", "voice.");
        if voice.get("provider").and_then(Value::as_str) == Some("11labs") {
            c.only(
                voice,
                &[
                    "provider",
                    "voiceId",
                    "model",
                    "stability",
                    "similarityBoost",
                    "style",
                    "useSpeakerBoost",
                    "speed",
                    "optimizeStreamingLatency",
                    "enableSsmlParsing",
                    "language",
                    "chunkPlan",
                    "fallbackPlan",
                    "cachingEnabled",
                    "autoMode",
                ],
                "voice.",
            );
            c.range(voice, "stability", 0.0, 1.0, "voice.");
            c.range(voice, "similarityBoost", 0.0, 1.0, "voice.");
            c.range(voice, "speed", 0.7, 1.2, "voice.");
        }
    }
    if let Some(t) = map
        .get("transcriber")
        .and_then(|v| c.object(v, "transcriber."))
    {
        c.required(t, "provider", "transcriber.");
        c.only(
            t,
            &[
                "provider",
                "model",
                "language",
                "smartFormat",
                "keywords",
                "keyterm",
                "endpointing",
                "numerals",
                "confidenceThreshold",
                "fallbackPlan",
            ],
            "transcriber.",
        );
    }
    if let Some(server) = map.get("server").and_then(|v| c.object(v, "server.")) {
        check_server(&mut c, server, "server.");
    }
    if let Some(plan) = map
        .get("artifactPlan")
        .and_then(|v| c.object(v, "artifactPlan."))
    {
        c.only(
            plan,
            &[
                "recordingEnabled",
                "recordingFormat",
                "videoRecordingEnabled",
                "pcapEnabled",
                "transcriptPlan",
                "recordingPath",
                "structuredOutputIds",
                "loggingEnabled",
            ],
            "artifactPlan.",
        );
        c.boolean(plan, "recordingEnabled", "artifactPlan.");
    }
    if let Some(plan) = map
        .get("analysisPlan")
        .and_then(|v| c.object(v, "analysisPlan."))
    {
        c.only(
            plan,
            &[
                "summaryPlan",
                "structuredDataPlan",
                "structuredDataMultiPlan",
                "successEvaluationPlan",
                "minMessagesThreshold",
            ],
            "analysisPlan.",
        );
        for key in ["summaryPlan", "structuredDataPlan", "successEvaluationPlan"] {
            let path = format!("analysisPlan.{key}.");
            if let Some(inner) = plan.get(key).and_then(|v| c.object(v, &path)) {
                c.only(
                    inner,
                    &["enabled", "messages", "timeoutSeconds", "rubric", "schema"],
                    &path,
                );
            }
        }
    }
    if let Some(metadata) = map.get("metadata") {
        c.object(metadata, "metadata.");
    }
    c.errors
}

fn check_server(c: &mut Checker, server: &Map<String, Value>, path: &str) {
    c.only(
        server,
        &[
            "url",
            "headers",
            "timeoutSeconds",
            "credentialId",
            "backoffPlan",
            "staticIpAddressesEnabled",
            "encryptedPaths",
        ],
        path,
    );
    c.url(server, "url", path);
    c.range(server, "timeoutSeconds", 1.0, 300.0, path);
    if let Some(headers) = server
        .get("headers")
        .and_then(|v| c.object(v, &format!("{path}headers.")))
    {
        for (k, v) in headers {
            if !v.is_string() {
                c.errors.push(format!("{path}headers.{k} must be a string"));
            }
        }
    }
}

fn check_model(c: &mut Checker, model: &Map<String, Value>) {
    let p = "model.";
    c.only(
        model,
        &[
            "provider",
            "model",
            "messages",
            "tools",
            "toolIds",
            "temperature",
            "maxTokens",
            "knowledgeBase",
            "knowledgeBaseId",
            "emotionRecognitionEnabled",
            "numFastTurns",
        ],
        p,
    );
    c.required(model, "provider", p);
    c.required(model, "model", p);
    c.one_of(model, "provider", &MODEL_PROVIDERS, p);
    c.range(model, "temperature", 0.0, 2.0, p);
    c.range(model, "maxTokens", 50.0, 10000.0, p);
    c.string_array(model, "toolIds", p);
    if let Some(messages) = model.get("messages").and_then(Value::as_array) {
        for (i, m) in messages.iter().enumerate() {
            let path = format!("model.messages.{i}.");
            if let Some(m) = c.object(m, &path) {
                c.only(m, &["role", "content"], &path);
                c.one_of(
                    m,
                    "role",
                    &["assistant", "function", "user", "system", "tool"],
                    &path,
                );
                c.string(m, "content", &path);
            }
        }
    }
    if let Some(tools) = model.get("tools").and_then(Value::as_array) {
        for (i, t) in tools.iter().enumerate() {
            check_tool(c, t, &format!("model.tools.{i}."));
        }
    }
}

/// The keys each tool type accepts, besides `type`.
fn tool_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "endCall" => &["function", "messages", "rejectionPlan"],
        "dtmf" => &[
            "function",
            "messages",
            "rejectionPlan",
            "sipInfoDtmfEnabled",
        ],
        "transferCall" | "handoff" => &["function", "messages", "rejectionPlan", "destinations"],
        "function" => &[
            "function",
            "messages",
            "rejectionPlan",
            "server",
            "async",
            "variableExtractionPlan",
        ],
        "apiRequest" => &[
            "name",
            "description",
            "method",
            "url",
            "headers",
            "body",
            "timeoutSeconds",
            "credentialId",
            "backoffPlan",
            "variableExtractionPlan",
            "messages",
            "rejectionPlan",
        ],
        "code" => &[
            "function",
            "messages",
            "rejectionPlan",
            "code",
            "environmentVariables",
            "timeoutSeconds",
        ],
        "bash" | "textEditor" => &["subType", "name", "server", "function", "messages"],
        "computer" => &[
            "subType",
            "name",
            "server",
            "function",
            "messages",
            "displayWidthPx",
            "displayHeightPx",
            "displayNumber",
        ],
        "query" => &["function", "messages", "knowledgeBases", "rejectionPlan"],
        "mcp" => &[
            "function",
            "messages",
            "server",
            "metadata",
            "rejectionPlan",
        ],
        "google.calendar.event.create"
        | "google.calendar.availability.check"
        | "google.sheets.row.append"
        | "slack.message.send"
        | "sms"
        | "gohighlevel.calendar.availability.check"
        | "gohighlevel.calendar.event.create"
        | "gohighlevel.contact.create"
        | "gohighlevel.contact.get" => &["function", "messages", "metadata", "rejectionPlan"],
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
            .push(format!("{path}type must be a valid tool type"));
        return;
    };
    let mut allowed = vec!["type"];
    allowed.extend_from_slice(keys);
    c.only(t, &allowed, path);
    if let Some(f) = t
        .get("function")
        .and_then(|v| c.object(v, &format!("{path}function.")))
    {
        let fp = format!("{path}function.");
        c.only(f, &["name", "description", "parameters", "strict"], &fp);
        c.required(f, "name", &fp);
        c.function_name(f, "name", &fp);
        c.string(f, "description", &fp);
        c.object_schema(f, "parameters", &fp);
    }
    if kind == "function" {
        if !t.contains_key("function") {
            c.errors.push(format!("{path}function should not be empty"));
        }
        c.boolean(t, "async", path);
    }
    if let Some(server) = t
        .get("server")
        .and_then(|v| c.object(v, &format!("{path}server.")))
    {
        check_server(c, server, &format!("{path}server."));
    }
    if let Some(messages) = t.get("messages").and_then(Value::as_array) {
        for (i, m) in messages.iter().enumerate() {
            let mp = format!("{path}messages.{i}.");
            if let Some(m) = c.object(m, &mp) {
                c.only(
                    m,
                    &[
                        "type",
                        "content",
                        "contents",
                        "blocking",
                        "conditions",
                        "timingMilliseconds",
                        "role",
                        "end",
                    ],
                    &mp,
                );
                c.one_of(
                    m,
                    "type",
                    &[
                        "request-start",
                        "request-complete",
                        "request-failed",
                        "request-response-delayed",
                    ],
                    &mp,
                );
            }
        }
    }
    match kind {
        "apiRequest" => {
            c.required(t, "method", path);
            c.required(t, "url", path);
            c.one_of(
                t,
                "method",
                &["POST", "GET", "PUT", "PATCH", "DELETE"],
                path,
            );
            c.url(t, "url", path);
            c.function_name(t, "name", path);
            c.range(t, "timeoutSeconds", 1.0, 300.0, path);
            c.object_schema(t, "body", path);
            c.object_schema(t, "headers", path);
        }
        "transferCall" | "handoff" => {
            if let Some(destinations) = t.get("destinations").and_then(Value::as_array) {
                for (i, d) in destinations.iter().enumerate() {
                    let dp = format!("{path}destinations.{i}.");
                    let Some(d) = c.object(d, &dp) else { continue };
                    match d.get("type").and_then(Value::as_str) {
                        Some("number") => {
                            c.only(
                                d,
                                &[
                                    "type",
                                    "number",
                                    "extension",
                                    "callerId",
                                    "message",
                                    "description",
                                    "transferPlan",
                                    "numberE164CheckEnabled",
                                ],
                                &dp,
                            );
                            c.required(d, "number", &dp);
                            c.e164(d, "number", &dp);
                            if let Some(plan) = d
                                .get("transferPlan")
                                .and_then(|v| c.object(v, &format!("{dp}transferPlan.")))
                            {
                                let pp = format!("{dp}transferPlan.");
                                c.only(
                                    plan,
                                    &[
                                        "mode",
                                        "message",
                                        "sipVerb",
                                        "summaryPlan",
                                        "holdAudioUrl",
                                        "transferCompleteAudioUrl",
                                        "twiml",
                                        "timeout",
                                    ],
                                    &pp,
                                );
                                c.one_of(plan, "mode", &TRANSFER_MODES, &pp);
                            }
                        }
                        Some("sip") => {
                            c.only(
                                d,
                                &[
                                    "type",
                                    "sipUri",
                                    "sipHeaders",
                                    "message",
                                    "description",
                                    "transferPlan",
                                ],
                                &dp,
                            );
                            c.required(d, "sipUri", &dp);
                        }
                        Some("assistant") => {
                            c.only(
                                d,
                                &[
                                    "type",
                                    "assistantName",
                                    "assistantId",
                                    "message",
                                    "description",
                                    "transferMode",
                                    "variableExtractionPlan",
                                ],
                                &dp,
                            );
                            if !d.contains_key("assistantName") && !d.contains_key("assistantId") {
                                c.errors
                                    .push(format!("{dp}assistantId should not be empty"));
                            }
                        }
                        _ => c.errors.push(format!(
                            "{dp}type must be one of the following values: number, sip, assistant"
                        )),
                    }
                }
            }
        }
        "code" => {
            c.required(t, "code", path);
            c.string(t, "code", path);
        }
        "bash" | "computer" | "textEditor" => {
            c.required(t, "subType", path);
            c.required(t, "name", path);
            let sub = match kind {
                "bash" => "bash_20241022",
                "computer" => "computer_20241022",
                _ => "text_editor_20241022",
            };
            c.one_of(t, "subType", &[sub], path);
        }
        "query" => {
            if let Some(kbs) = t.get("knowledgeBases").and_then(Value::as_array) {
                for (i, kb) in kbs.iter().enumerate() {
                    let kp = format!("{path}knowledgeBases.{i}.");
                    if let Some(kb) = c.object(kb, &kp) {
                        c.only(
                            kb,
                            &["provider", "model", "name", "description", "fileIds"],
                            &kp,
                        );
                        c.required(kb, "name", &kp);
                        c.required(kb, "description", &kp);
                        c.string_array(kb, "fileIds", &kp);
                    }
                }
            }
        }
        "mcp" if !t.contains_key("server") => {
            c.errors.push(format!("{path}server should not be empty"));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_properties_are_refused_at_every_level() {
        let errors = check_assistant(&json!({
            "name": "x",
            "serverUrl": "https://old.example.com",
            "model": {"provider": "openai", "model": "gpt-4o", "maxTokens": 10,
                       "tools": [{"type": "endCall", "serverUrl": "https://x.example.com"}]},
        }));
        assert!(errors.contains(&"property serverUrl should not exist".to_owned()));
        assert!(errors.contains(&"model.tools.0.property serverUrl should not exist".to_owned()));
        assert!(errors.contains(&"model.maxTokens must not be less than 50".to_owned()));
    }

    #[test]
    fn a_well_formed_assistant_passes() {
        let errors = check_assistant(&json!({
            "name": "Front desk",
            "firstMessage": "Hi",
            "model": {"provider": "openai", "model": "gpt-4o", "messages": [{"role": "system", "content": "You help."}],
                       "tools": [{"type": "transferCall", "destinations": [{"type": "number", "number": "+14155550100"}]}]},
            "voice": {"provider": "11labs", "voiceId": "21m00Tcm4TlvDq8ikWAM", "speed": 1.0},
            "server": {"url": "https://app.example.com/api/webhooks/vapi", "headers": {"x-vapi-secret": "s"}},
            "serverMessages": ["status-update", "end-of-call-report"],
        }));
        assert!(errors.is_empty(), "{errors:?}");
    }
}
