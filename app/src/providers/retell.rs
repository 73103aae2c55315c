//! Retell (`https://api.retellai.com`, Bearer API key, snake_case JSON, errors as
//! `{"status": "error", "message": "..."}`, missing objects as 422).
//!
//! An agent is a Retell LLM (prompt, model, tools) plus an agent (voice, language, webhook)
//! that uses it. The LLM is made first; its id is kept even if the agent step then fails,
//! so the next sync reuses it instead of leaving one behind.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::error::ProviderError;
use super::http::ProviderHttp;
use super::vapi::{not_synced, string_field};
use super::webhook::{self, WebhookError, WebhookEvent};
use super::{
    AgentSpec, CallRecord, ExternalRef, PhoneCallRequest, Turn, VoiceProvider, WebCallSession,
};
use crate::agents::model::{Direction, Voice, language_model};
use crate::integrations::model::Provider;
use crate::tools::model::{Tool, ToolKind, TransferMode};

pub const DEFAULT_BASE_URL: &str = "https://api.retellai.com";

pub struct Retell {
    pub http: ProviderHttp,
    pub secret: String,
    /// The LiveKit server web calls join.
    pub web_call_url: String,
}

/// Checks an API key by listing agents.
pub async fn check_key(http: &ProviderHttp, secret: &str) -> Result<(), ProviderError> {
    http.json(Method::GET, "/list-agents", secret, None, messages)
        .await
        .map(|_| ())
}

pub fn messages(body: &Value) -> Vec<String> {
    body.get("message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .into_iter()
        .collect()
}

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

fn is_missing(e: &ProviderError) -> bool {
    matches!(e.status, Some(404 | 422))
}

impl VoiceProvider for Retell {
    async fn sync_agent(
        &self,
        spec: &AgentSpec<'_>,
        ids: &mut ExternalRef,
    ) -> Result<(), ProviderError> {
        let llm = llm_body(spec);
        let key = &self.secret;
        if let Some(llm_id) = &ids.llm_id {
            match self
                .http
                .json(
                    Method::PATCH,
                    &format!("/update-retell-llm/{llm_id}"),
                    key,
                    Some(&llm),
                    messages,
                )
                .await
            {
                Ok(_) => {}
                Err(e) if is_missing(&e) => ids.llm_id = None,
                Err(e) => return Err(e),
            }
        }
        if ids.llm_id.is_none() {
            let created = self
                .http
                .json(
                    Method::POST,
                    "/create-retell-llm",
                    key,
                    Some(&llm),
                    messages,
                )
                .await?;
            ids.llm_id = Some(string_field(&created, "llm_id", Provider::Retell)?);
        }
        let llm_id = ids.llm_id.clone().unwrap_or_default();
        let agent = agent_body(spec, &llm_id);
        if let Some(agent_id) = &ids.agent_id {
            match self
                .http
                .json(
                    Method::PATCH,
                    &format!("/update-agent/{agent_id}"),
                    key,
                    Some(&agent),
                    messages,
                )
                .await
            {
                Ok(_) => return Ok(()),
                Err(e) if is_missing(&e) => ids.agent_id = None,
                Err(e) => return Err(e),
            }
        }
        let created = self
            .http
            .json(Method::POST, "/create-agent", key, Some(&agent), messages)
            .await?;
        ids.agent_id = Some(string_field(&created, "agent_id", Provider::Retell)?);
        Ok(())
    }

    async fn delete_agent(&self, ids: &ExternalRef) -> Result<(), ProviderError> {
        let key = &self.secret;
        if let Some(agent_id) = &ids.agent_id {
            match self
                .http
                .json(
                    Method::DELETE,
                    &format!("/delete-agent/{agent_id}"),
                    key,
                    None,
                    messages,
                )
                .await
            {
                Err(e) if !is_missing(&e) => return Err(e),
                _ => {}
            }
        }
        if let Some(llm_id) = &ids.llm_id {
            match self
                .http
                .json(
                    Method::DELETE,
                    &format!("/delete-retell-llm/{llm_id}"),
                    key,
                    None,
                    messages,
                )
                .await
            {
                Err(e) if !is_missing(&e) => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    async fn list_voices(&self) -> Result<Vec<Voice>, ProviderError> {
        let list = self
            .http
            .json(Method::GET, "/list-voices", &self.secret, None, messages)
            .await?;
        Ok(list
            .as_array()
            .map(|voices| {
                voices
                    .iter()
                    .filter(|v| v.get("provider").and_then(Value::as_str) == Some("elevenlabs"))
                    .filter_map(|v| {
                        let text = |f: &str| v.get(f).and_then(Value::as_str).map(str::to_owned);
                        Some(Voice {
                            id: text("voice_id")?,
                            name: text("voice_name")?,
                            gender: text("gender").unwrap_or_default(),
                            accent: text("accent").unwrap_or_default(),
                            description: text("age")
                                .map(|a| format!("{a} voice"))
                                .unwrap_or_default(),
                            preview_url: text("preview_audio_url"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn create_web_call(&self, ids: &ExternalRef) -> Result<WebCallSession, ProviderError> {
        let agent_id = ids
            .agent_id
            .clone()
            .ok_or_else(|| not_synced(Provider::Retell))?;
        let created = self
            .http
            .json(
                Method::POST,
                "/v2/create-web-call",
                &self.secret,
                Some(&json!({"agent_id": agent_id})),
                messages,
            )
            .await?;
        Ok(WebCallSession::Retell {
            call_id: string_field(&created, "call_id", Provider::Retell)?,
            access_token: string_field(&created, "access_token", Provider::Retell)?,
            url: self.web_call_url.clone(),
        })
    }

    async fn create_phone_call(
        &self,
        ids: &ExternalRef,
        call: &PhoneCallRequest,
    ) -> Result<String, ProviderError> {
        let agent_id = ids
            .agent_id
            .clone()
            .ok_or_else(|| not_synced(Provider::Retell))?;
        let mut body = json!({
            "from_number": call.from,
            "to_number": super::vapi::normalize_number(&call.to_number),
            "override_agent_id": agent_id,
            "metadata": {
                "agent_id": call.agent_id.to_string(),
                "workspace_id": call.workspace_id.to_string(),
            },
        });
        if let Some(name) = &call.customer_name {
            body["retell_llm_dynamic_variables"] = json!({"customer_name": name});
        }
        let created = self
            .http
            .json(
                Method::POST,
                "/v2/create-phone-call",
                &self.secret,
                Some(&body),
                messages,
            )
            .await?;
        string_field(&created, "call_id", Provider::Retell)
    }

    async fn get_call(&self, call_id: &str) -> Result<CallRecord, ProviderError> {
        let call = self
            .http
            .json(
                Method::GET,
                &format!("/v2/get-call/{call_id}"),
                &self.secret,
                None,
                messages,
            )
            .await?;
        Ok(call_record(&call))
    }

    async fn agent_webhook_url(&self, ids: &ExternalRef) -> Result<Option<String>, ProviderError> {
        let Some(agent_id) = &ids.agent_id else {
            return Ok(None);
        };
        let agent = self
            .http
            .json(
                Method::GET,
                &format!("/get-agent/{agent_id}"),
                &self.secret,
                None,
                messages,
            )
            .await?;
        Ok(agent
            .get("webhook_url")
            .and_then(Value::as_str)
            .map(str::to_owned))
    }

    fn verify_webhook(
        &self,
        headers: &::http::HeaderMap,
        body: &[u8],
        _shared_secret: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WebhookError> {
        webhook::verify_signature(
            super::header(headers, "x-retell-signature"),
            &self.secret,
            body,
            now.timestamp_millis(),
        )
    }

    fn parse_webhook(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        parse_webhook(body)
    }
}

fn millis(value: &Value, field: &str) -> Option<DateTime<Utc>> {
    value
        .get(field)
        .and_then(Value::as_i64)
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
}

/// A Retell call in our terms (ms timestamps, cents).
pub fn call_record(call: &Value) -> CallRecord {
    let reason = call
        .get("disconnection_reason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let status = match (
        call.get("call_status").and_then(Value::as_str),
        reason.as_deref(),
    ) {
        (_, Some("dial_no_answer")) => "no_answer",
        (_, Some("dial_busy")) => "busy",
        (_, Some(r)) if r.starts_with("error") || r == "dial_failed" => "failed",
        (Some("registered"), _) => "initiated",
        (Some("ongoing"), _) => "in_progress",
        (Some("ended"), _) => "completed",
        (Some("error" | "not_connected"), _) => "failed",
        _ => "initiated",
    };
    let transcript = call
        .get("transcript_object")
        .and_then(Value::as_array)
        .map(|turns| {
            turns
                .iter()
                .filter_map(|t| {
                    let role = match t.get("role").and_then(Value::as_str)? {
                        "agent" => "agent",
                        "user" => "user",
                        _ => return None,
                    };
                    let seconds = t
                        .pointer("/words/0/start")
                        .and_then(Value::as_f64)
                        .unwrap_or(0.0) as f32;
                    Some(Turn {
                        role: role.into(),
                        text: t.get("content").and_then(Value::as_str)?.to_owned(),
                        seconds,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    CallRecord {
        external_id: call
            .get("call_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        agent_external_id: call
            .get("agent_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        status: status.into(),
        started_at: millis(call, "start_timestamp"),
        ended_at: millis(call, "end_timestamp"),
        duration_seconds: call
            .get("duration_ms")
            .and_then(Value::as_i64)
            // Out of i32's range reads as the largest, which `CallRecord::check` refuses.
            .map(|ms| i32::try_from(ms / 1000).unwrap_or(i32::MAX))
            .unwrap_or(0),
        transcript,
        recording_url: call
            .get("recording_url")
            .and_then(Value::as_str)
            .map(str::to_owned),
        summary: call
            .pointer("/call_analysis/call_summary")
            .and_then(Value::as_str)
            .map(str::to_owned),
        cost_cents: call
            .pointer("/call_cost/combined_cost")
            .and_then(Value::as_f64)
            .map(|c| c.round() as i64)
            .unwrap_or(0),
        end_reason: reason,
        direction: match call.get("call_type").and_then(Value::as_str) {
            Some("web_call") => Some("web".into()),
            _ => call
                .get("direction")
                .and_then(Value::as_str)
                .filter(|d| matches!(*d, "inbound" | "outbound"))
                .map(str::to_owned),
        },
        customer_number: match call.get("direction").and_then(Value::as_str) {
            Some("inbound") => call.get("from_number"),
            _ => call.get("to_number"),
        }
        .and_then(Value::as_str)
        .map(str::to_owned),
        sentiment: match call
            .pointer("/call_analysis/user_sentiment")
            .and_then(Value::as_str)
        {
            Some("Positive") => Some("positive".into()),
            Some("Neutral") => Some("neutral".into()),
            Some("Negative") => Some("negative".into()),
            _ => None,
        },
        successful: call
            .pointer("/call_analysis/call_successful")
            .and_then(Value::as_bool),
    }
}

/// Reads a Retell webhook: `call_started`, `call_ended` and `call_analyzed` carry the call
/// object; other events are acknowledged and ignored.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let malformed = |why: &str| WebhookError::Malformed(why.to_owned());
    let envelope = webhook::json_object(body)?;
    let event = envelope
        .get("event")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("`event` is missing"))?;
    if !matches!(event, "call_started" | "call_ended" | "call_analyzed") {
        return Ok(WebhookEvent::Ignored(event.to_owned()));
    }
    let call = envelope
        .get("call")
        .filter(|c| c.is_object())
        .ok_or_else(|| malformed("`call` is missing"))?;
    if call
        .get("call_id")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(malformed("`call.call_id` is missing"));
    }
    Ok(WebhookEvent::Call(Box::new(call_record(call))))
}
