//! What VAPI is sent for an agent: one assistant, its tools inline in `model.tools`.

use super::SERVER_MESSAGES;
use serde_json::{Map, Value, json};

use crate::agents::model::{Direction, language_model};
use crate::providers::AgentSpec;
use crate::tools::kind::ToolKind;
use crate::tools::model::{Tool, TransferMode};

/// The assistant JSON for an agent (`POST /assistant`, `PATCH /assistant/{id}`).
pub fn assistant_body(spec: &AgentSpec<'_>) -> Value {
    let c = spec.config;
    let lm = language_model(&c.model).unwrap_or(&crate::agents::model::MODELS[0]);
    let mut body = Map::new();
    body.insert("name".into(), json!(spec.name));
    match spec.direction {
        Direction::Inbound => {
            body.insert("firstMessage".into(), json!(c.first_message.trim()));
            body.insert("firstMessageMode".into(), json!("assistant-speaks-first"));
        }
        Direction::Outbound => {
            body.insert("firstMessageMode".into(), json!("assistant-waits-for-user"));
        }
    }
    body.insert(
        "model".into(),
        json!({
            "provider": lm.vapi_provider,
            "model": lm.vapi_model,
            "temperature": round2(c.temperature),
            "maxTokens": c.max_tokens,
            "messages": [{"role": "system", "content": spec.prompt}],
            "tools": tools(&c.tools, &c.tools_server_url),
        }),
    );
    body.insert(
        "voice".into(),
        json!({
            "provider": "11labs",
            "voiceId": c.voice_id,
            "stability": round2(c.voice_stability),
            "similarityBoost": round2(c.voice_similarity),
            // ElevenLabs at VAPI speaks at 0.7–1.2× only.
            "speed": round2(c.voice_speed.clamp(0.7, 1.2)),
        }),
    );
    body.insert(
        "transcriber".into(),
        json!({"provider": "deepgram", "model": "nova-3", "language": c.language}),
    );
    body.insert(
        "server".into(),
        json!({
            "url": spec.webhook_url,
            "headers": {"x-vapi-secret": spec.webhook_secret},
        }),
    );
    body.insert("serverMessages".into(), json!(SERVER_MESSAGES));
    if !c.end_call_phrases.is_empty() {
        body.insert("endCallPhrases".into(), json!(c.end_call_phrases));
    }
    body.insert("maxDurationSeconds".into(), json!(c.max_duration_seconds));
    body.insert("artifactPlan".into(), json!({"recordingEnabled": true}));
    body.insert(
        "analysisPlan".into(),
        json!({
            "summaryPlan": {"enabled": true},
            "structuredDataPlan": crate::providers::analysis::vapi_structured_data_plan(),
            "successEvaluationPlan": {"enabled": true},
        }),
    );
    body.insert(
        "metadata".into(),
        json!({
            "agentId": spec.agent_id.to_string(),
            "workspaceId": spec.workspace_id.to_string(),
            "direction": spec.direction.as_str(),
        }),
    );
    Value::Object(body)
}

/// Floats as users typed them (0.7, not 0.699999988).
fn round2(x: f32) -> f64 {
    (f64::from(x) * 100.0).round() / 100.0
}

/// The inline tools: every enabled tool, and an `endCall` tool when the agent has none, so
/// every assistant can hang up.
pub fn tools(list: &[Tool], tools_server_url: &str) -> Vec<Value> {
    let mut out: Vec<Value> = list
        .iter()
        .filter(|t| t.enabled)
        .map(|t| tool(t, tools_server_url))
        .collect();
    if !list
        .iter()
        .any(|t| t.enabled && t.kind == ToolKind::EndCall)
    {
        out.push(json!({"type": "endCall"}));
    }
    out
}

fn function_block(t: &Tool, with_parameters: bool) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), json!(t.name.trim()));
    if !t.description.trim().is_empty() {
        f.insert("description".into(), json!(t.description.trim()));
    }
    if with_parameters {
        f.insert("parameters".into(), t.parameters_json());
    }
    Value::Object(f)
}

fn with_message(mut tool: Map<String, Value>, t: &Tool) -> Value {
    if !t.message.trim().is_empty() {
        tool.insert(
            "messages".into(),
            json!([{"type": "request-start", "content": t.message.trim()}]),
        );
    }
    Value::Object(tool)
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// One tool in VAPI's JSON.
pub fn tool(t: &Tool, tools_server_url: &str) -> Value {
    let url = t.url.trim();
    match t.kind {
        ToolKind::EndCall => with_message(
            object(json!({"type": "endCall", "function": function_block(t, false)})),
            t,
        ),
        ToolKind::TransferCall => with_message(
            object(json!({
                "type": "transferCall",
                "function": function_block(t, false),
                "destinations": [{
                    "type": "number",
                    "number": t.transfer_number.trim(),
                    "description": t.description.trim(),
                    "transferPlan": {"mode": match t.transfer_mode {
                        TransferMode::Cold => "blind-transfer",
                        TransferMode::Warm => "warm-transfer-say-summary",
                    }},
                }],
            })),
            t,
        ),
        ToolKind::Dtmf => {
            object(json!({"type": "dtmf", "function": function_block(t, false)})).into()
        }
        ToolKind::Handoff => object(json!({
            "type": "handoff",
            "function": function_block(t, true),
            "destinations": [{
                "type": "assistant",
                "assistantId": t.assistant_id.trim(),
                "description": t.description.trim(),
            }],
        }))
        .into(),
        ToolKind::ApiRequest => {
            let mut headers = Map::new();
            for h in &t.headers {
                headers.insert(
                    h.name.trim().to_owned(),
                    json!({"type": "string", "value": h.value}),
                );
            }
            let mut tool = object(json!({
                "type": "apiRequest",
                "name": t.name.trim(),
                "description": t.description.trim(),
                "method": t.method,
                "url": url,
                "timeoutSeconds": t.timeout_seconds.unwrap_or(20),
                "body": t.parameters_json(),
            }));
            if !headers.is_empty() {
                tool.insert(
                    "headers".into(),
                    json!({"type": "object", "properties": headers}),
                );
            }
            with_message(tool, t)
        }
        ToolKind::Function => {
            let server = if url.is_empty() {
                tools_server_url.trim()
            } else {
                url
            };
            with_message(
                object(json!({
                    "type": "function",
                    "async": t.run_async,
                    "function": function_block(t, true),
                    "server": {
                        "url": server,
                        "timeoutSeconds": t.timeout_seconds.unwrap_or(20),
                    },
                })),
                t,
            )
        }
        ToolKind::Code => with_message(
            object(json!({
                "type": "code",
                "function": function_block(t, true),
                "code": t.code,
            })),
            t,
        ),
        ToolKind::Bash => json!({
            "type": "bash", "subType": "bash_20241022", "name": "bash",
            "server": {"url": url},
        }),
        ToolKind::Computer => json!({
            "type": "computer", "subType": "computer_20241022", "name": "computer",
            "displayWidthPx": 1024, "displayHeightPx": 768,
            "server": {"url": url},
        }),
        ToolKind::TextEditor => json!({
            "type": "textEditor", "subType": "text_editor_20241022", "name": "str_replace_editor",
            "server": {"url": url},
        }),
        ToolKind::Query => json!({
            "type": "query",
            "function": function_block(t, false),
            "knowledgeBases": [{
                "provider": "google",
                "name": t.name.trim(),
                "description": t.description.trim(),
                "fileIds": t.file_ids.split(',').map(str::trim).filter(|f| !f.is_empty()).collect::<Vec<_>>(),
            }],
        }),
        ToolKind::Mcp => json!({
            "type": "mcp",
            "function": function_block(t, false),
            "server": {"url": url},
        }),
        kind => {
            let vapi_type = match kind {
                ToolKind::GoogleCalendarCreateEvent => "google.calendar.event.create",
                ToolKind::GoogleCalendarCheckAvailability => "google.calendar.availability.check",
                ToolKind::GoogleSheetsRowAppend => "google.sheets.row.append",
                ToolKind::SlackSendMessage => "slack.message.send",
                ToolKind::Sms => "sms",
                ToolKind::GhlCalendarAvailability => "gohighlevel.calendar.availability.check",
                ToolKind::GhlCalendarEventCreate => "gohighlevel.calendar.event.create",
                ToolKind::GhlContactCreate => "gohighlevel.contact.create",
                ToolKind::GhlContactGet => "gohighlevel.contact.get",
                // Retell-only kinds never reach here: validation refuses them for VAPI.
                _ => "function",
            };
            with_message(
                object(json!({"type": vapi_type, "function": function_block(t, false)})),
                t,
            )
        }
    }
}
