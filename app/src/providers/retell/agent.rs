//! What Retell is sent for an agent: a Retell LLM (prompt, model, tools) and an agent
//! (voice, language, webhook) that uses it.

use serde_json::{Map, Value, json};

use crate::agents::model::{Direction, language_model};
use crate::providers::AgentSpec;
use crate::tools::kind::ToolKind;
use crate::tools::model::{Tool, TransferMode};

/// The Retell LLM JSON for an agent (`POST /create-retell-llm`, `PATCH /update-retell-llm`).
pub fn llm_body(spec: &AgentSpec<'_>) -> Value {
    let c = spec.config;
    let lm = language_model(&c.model).unwrap_or(&crate::agents::model::MODELS[0]);
    let mut body = Map::new();
    body.insert("model".into(), json!(lm.retell_model));
    // Retell's temperature goes from 0 to 1.
    body.insert(
        "model_temperature".into(),
        json!((f64::from(c.temperature.min(1.0)) * 100.0).round() / 100.0),
    );
    body.insert("general_prompt".into(), json!(spec.prompt));
    match spec.direction {
        Direction::Inbound => {
            body.insert("start_speaker".into(), json!("agent"));
            body.insert("begin_message".into(), json!(c.first_message.trim()));
        }
        Direction::Outbound => {
            // An empty begin message makes the agent wait for the person to speak.
            body.insert("start_speaker".into(), json!("user"));
            body.insert("begin_message".into(), json!(""));
        }
    }
    body.insert(
        "general_tools".into(),
        Value::Array(tools(&c.tools, &c.tools_server_url)),
    );
    if !spec.variable_defaults.is_empty() {
        let defaults: Map<String, Value> = spec
            .variable_defaults
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        body.insert("default_dynamic_variables".into(), Value::Object(defaults));
    }
    Value::Object(body)
}

/// The agent JSON (`POST /create-agent`, `PATCH /update-agent`).
pub fn agent_body(spec: &AgentSpec<'_>, llm_id: &str) -> Value {
    let c = spec.config;
    json!({
        "agent_name": spec.name,
        "response_engine": {"type": "retell-llm", "llm_id": llm_id},
        "voice_id": c.voice_id,
        "voice_speed": (f64::from(c.voice_speed) * 100.0).round() / 100.0,
        "language": language(&c.language),
        "max_call_duration_ms": u64::from(c.max_duration_seconds) * 1000,
        "webhook_url": spec.webhook_url,
        "post_call_analysis_data": crate::providers::analysis::retell_post_call_analysis_data(),
    })
}

/// Retell's name for a language: Latin American Spanish is `es-419`.
fn language(code: &str) -> &str {
    match code {
        "es-MX" => "es-419",
        other => other,
    }
}

/// The LLM's tools: every enabled tool, and `end_call` when the agent has none.
pub fn tools(list: &[Tool], tools_server_url: &str) -> Vec<Value> {
    let mut out: Vec<Value> = list
        .iter()
        .filter(|t| t.enabled)
        .filter_map(|t| tool(t, tools_server_url))
        .collect();
    if !list
        .iter()
        .any(|t| t.enabled && t.kind == ToolKind::EndCall)
    {
        out.push(json!({
            "type": "end_call",
            "name": "end_call",
            "description": "End the call when the conversation is complete or the person asks to hang up.",
        }));
    }
    out
}

fn described(t: &Tool, fallback: &str) -> String {
    let d = t.description.trim();
    if d.is_empty() {
        fallback.into()
    } else {
        d.into()
    }
}

fn speaking(tool: &mut Map<String, Value>, t: &Tool) {
    let message = t.message.trim();
    tool.insert("speak_during_execution".into(), json!(!message.is_empty()));
    tool.insert("speak_after_execution".into(), json!(true));
    if !message.is_empty() {
        tool.insert("execution_message_description".into(), json!(message));
        tool.insert("execution_message_type".into(), json!("static_text"));
    }
}

/// One tool in Retell's JSON; `None` for kinds Retell cannot run (validation refuses those
/// before a sync, so this only guards).
pub fn tool(t: &Tool, tools_server_url: &str) -> Option<Value> {
    let name = t.name.trim();
    let value = match t.kind {
        ToolKind::EndCall => json!({
            "type": "end_call",
            "name": name,
            "description": described(t, "End the call when the conversation is complete."),
        }),
        ToolKind::TransferCall => json!({
            "type": "transfer_call",
            "name": name,
            "description": described(t, "Transfer the call to a person."),
            "transfer_destination": {"type": "predefined", "number": t.transfer_number.trim()},
            "transfer_option": {"type": match t.transfer_mode {
                TransferMode::Cold => "cold_transfer",
                TransferMode::Warm => "warm_transfer",
            }},
        }),
        ToolKind::Dtmf => json!({
            "type": "press_digit",
            "name": name,
            "description": described(t, "Press keypad digits to navigate a phone menu."),
        }),
        ToolKind::Function | ToolKind::ApiRequest => {
            let url = if t.url.trim().is_empty() {
                tools_server_url.trim()
            } else {
                t.url.trim()
            };
            let mut tool = Map::new();
            tool.insert("type".into(), json!("custom"));
            tool.insert("name".into(), json!(name));
            tool.insert("description".into(), json!(t.description.trim()));
            tool.insert("url".into(), json!(url));
            tool.insert(
                "method".into(),
                json!(if t.kind == ToolKind::ApiRequest {
                    t.method.as_str()
                } else {
                    "POST"
                }),
            );
            if !t.headers.is_empty() {
                let headers: Map<String, Value> = t
                    .headers
                    .iter()
                    .map(|h| (h.name.trim().to_owned(), json!(h.value)))
                    .collect();
                tool.insert("headers".into(), Value::Object(headers));
            }
            tool.insert("parameters".into(), t.parameters_json());
            tool.insert(
                "timeout_ms".into(),
                json!(u64::from(t.timeout_seconds.unwrap_or(20)) * 1000),
            );
            speaking(&mut tool, t);
            Value::Object(tool)
        }
        ToolKind::CalCheckAvailability | ToolKind::CalBookAppointment => {
            let event_type_id: Value = t
                .event_type_id
                .trim()
                .parse::<u64>()
                .map(|n| json!(n))
                .unwrap_or_else(|_| json!(t.event_type_id.trim()));
            json!({
                "type": if t.kind == ToolKind::CalCheckAvailability {
                    "check_availability_cal"
                } else {
                    "book_appointment_cal"
                },
                "name": name,
                "description": described(t, "Find or book a time in the calendar."),
                "cal_api_key": t.cal_api_key.trim(),
                "event_type_id": event_type_id,
                "timezone": t.timezone.trim(),
            })
        }
        ToolKind::Sms => {
            let content = if t.sms_text.trim().is_empty() {
                json!({"type": "inferred", "prompt": described(t, "Text the caller a short summary.")})
            } else {
                json!({"type": "predefined", "content": t.sms_text.trim()})
            };
            json!({
                "type": "send_sms",
                "name": name,
                "description": described(t, "Text the caller."),
                "sms_content": content,
            })
        }
        _ => return None,
    };
    // Call-control tools can say something while they run, as functions can.
    let value = match (t.kind, value) {
        (ToolKind::EndCall | ToolKind::TransferCall | ToolKind::Sms, Value::Object(mut map))
            if !t.message.trim().is_empty() =>
        {
            speaking(&mut map, t);
            map.remove("speak_after_execution");
            Value::Object(map)
        }
        (_, value) => value,
    };
    Some(value)
}
