//! VAPI (`https://api.vapi.ai`, Bearer private key, camelCase JSON, NestJS-style errors:
//! `{"message": string | [string], "error", "statusCode"}`).
//!
//! An agent is one assistant. Its tools travel inline in `model.tools` (VAPI accepts the
//! same tool JSON there as at `POST /tool`), so a sync is one request and no saved tool can
//! be left behind when an agent changes or is deleted.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::error::ProviderError;
use super::http::ProviderHttp;
use super::webhook::{self, WebhookError, WebhookEvent};
use super::{
    AgentSpec, CallRecord, ExternalRef, Keys, PhoneCallRequest, Turn, VoiceProvider,
    WebCallSession, voices,
};
use crate::agents::model::{Direction, Voice, language_model};
use crate::integrations::model::Provider;
use crate::tools::model::{Tool, ToolKind, TransferMode};

pub const DEFAULT_BASE_URL: &str = "https://api.vapi.ai";

/// The events our webhook handles.
pub const SERVER_MESSAGES: [&str; 3] = ["status-update", "end-of-call-report", "tool-calls"];

pub struct Vapi {
    pub http: ProviderHttp,
    pub keys: Keys,
}

/// Checks a private key by listing one assistant.
pub async fn check_key(http: &ProviderHttp, secret: &str) -> Result<(), ProviderError> {
    http.json(Method::GET, "/assistant?limit=1", secret, None, messages)
        .await
        .map(|_| ())
}

/// The messages of a VAPI error body; `message` is a string or a list of strings.
pub fn messages(body: &Value) -> Vec<String> {
    match body.get("message") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => vec![],
    }
}

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

/// VAPI's customer number: digits with a leading `+` (`00` becomes `+`).
pub fn normalize_number(number: &str) -> String {
    let cleaned: String = number
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    if let Some(rest) = cleaned.strip_prefix("00") {
        format!("+{rest}")
    } else if cleaned.starts_with('+') {
        cleaned
    } else {
        format!("+{cleaned}")
    }
}

fn is_missing(e: &ProviderError) -> bool {
    e.status == Some(404)
}

impl VoiceProvider for Vapi {
    async fn sync_agent(
        &self,
        spec: &AgentSpec<'_>,
        ids: &mut ExternalRef,
    ) -> Result<(), ProviderError> {
        let body = assistant_body(spec);
        let secret = &self.keys.secret;
        if let Some(id) = &ids.agent_id {
            match self
                .http
                .json(
                    Method::PATCH,
                    &format!("/assistant/{id}"),
                    secret,
                    Some(&body),
                    messages,
                )
                .await
            {
                Ok(_) => return Ok(()),
                // Deleted at VAPI: create it again below.
                Err(e) if is_missing(&e) => ids.agent_id = None,
                Err(e) => return Err(e),
            }
        }
        let created = self
            .http
            .json(Method::POST, "/assistant", secret, Some(&body), messages)
            .await?;
        ids.agent_id = Some(string_field(&created, "id", Provider::Vapi)?);
        Ok(())
    }

    async fn delete_agent(&self, ids: &ExternalRef) -> Result<(), ProviderError> {
        let Some(id) = &ids.agent_id else {
            return Ok(());
        };
        match self
            .http
            .json(
                Method::DELETE,
                &format!("/assistant/{id}"),
                &self.keys.secret,
                None,
                messages,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_missing(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn list_voices(&self) -> Result<Vec<Voice>, ProviderError> {
        Ok(voices::elevenlabs())
    }

    async fn create_web_call(&self, ids: &ExternalRef) -> Result<WebCallSession, ProviderError> {
        let assistant_id = ids
            .agent_id
            .clone()
            .ok_or_else(|| not_synced(Provider::Vapi))?;
        let public_key = self.keys.public.clone().ok_or_else(|| ProviderError {
            provider: Provider::Vapi,
            status: None,
            kind: super::error::ProviderErrorKind::Rejected(vec![
                "the VAPI integration has no public key; web calls need one".into(),
            ]),
        })?;
        Ok(WebCallSession::Vapi {
            public_key,
            assistant_id,
            api_base_url: self.http.base_url.clone(),
        })
    }

    async fn create_phone_call(
        &self,
        ids: &ExternalRef,
        call: &PhoneCallRequest,
    ) -> Result<String, ProviderError> {
        let assistant_id = ids
            .agent_id
            .clone()
            .ok_or_else(|| not_synced(Provider::Vapi))?;
        let mut customer = json!({"number": normalize_number(&call.to_number)});
        if let Some(name) = &call.customer_name {
            customer["name"] = json!(name);
        }
        let body = json!({
            "assistantId": assistant_id,
            "phoneNumberId": call.from,
            "customer": customer,
            "assistantOverrides": {
                "metadata": {
                    "agentId": call.agent_id.to_string(),
                    "workspaceId": call.workspace_id.to_string(),
                },
            },
        });
        let created = self
            .http
            .json(
                Method::POST,
                "/call",
                &self.keys.secret,
                Some(&body),
                messages,
            )
            .await?;
        string_field(&created, "id", Provider::Vapi)
    }

    async fn get_call(&self, call_id: &str) -> Result<CallRecord, ProviderError> {
        let call = self
            .http
            .json(
                Method::GET,
                &format!("/call/{call_id}"),
                &self.keys.secret,
                None,
                messages,
            )
            .await?;
        Ok(call_record(&call))
    }

    async fn agent_webhook_url(&self, ids: &ExternalRef) -> Result<Option<String>, ProviderError> {
        let Some(id) = &ids.agent_id else {
            return Ok(None);
        };
        let assistant = self
            .http
            .json(
                Method::GET,
                &format!("/assistant/{id}"),
                &self.keys.secret,
                None,
                messages,
            )
            .await?;
        Ok(assistant
            .pointer("/server/url")
            .and_then(Value::as_str)
            .map(str::to_owned))
    }

    fn verify_webhook(
        &self,
        headers: &::http::HeaderMap,
        _body: &[u8],
        shared_secret: &str,
        _now: DateTime<Utc>,
    ) -> Result<(), WebhookError> {
        webhook::verify_shared_secret(super::header(headers, "x-vapi-secret"), shared_secret)
    }

    fn parse_webhook(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        parse_webhook(body)
    }
}

pub(super) fn not_synced(provider: Provider) -> ProviderError {
    ProviderError {
        provider,
        status: None,
        kind: super::error::ProviderErrorKind::Rejected(vec![
            "the agent has not been synced yet; save it or press Resync first".into(),
        ]),
    }
}

pub(super) fn string_field(
    value: &Value,
    field: &str,
    provider: Provider,
) -> Result<String, ProviderError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ProviderError {
            provider,
            status: None,
            kind: super::error::ProviderErrorKind::Unexpected(format!("no {field} in the answer")),
        })
}

fn time(value: &Value, field: &str) -> Option<DateTime<Utc>> {
    value
        .get(field)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// A VAPI `Call` in our terms: transcript and recording from `artifact`.
pub fn call_record(call: &Value) -> CallRecord {
    let started_at = time(call, "startedAt");
    let ended_at = time(call, "endedAt");
    let duration_seconds = match (started_at, ended_at) {
        // Out of i32's range reads as the largest, which `CallRecord::check` refuses.
        (Some(s), Some(e)) if e > s => i32::try_from((e - s).num_seconds()).unwrap_or(i32::MAX),
        _ => 0,
    };
    let end_reason = call
        .get("endedReason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let status = match call.get("status").and_then(Value::as_str) {
        Some("queued" | "scheduled") => "initiated",
        Some("ringing") => "ringing",
        Some("in-progress" | "forwarding") => "in_progress",
        Some("ended") => match end_reason.as_deref() {
            Some("customer-did-not-answer") => "no_answer",
            Some("customer-busy") => "busy",
            Some(r) if r.contains("error") || r.contains("failed") => "failed",
            _ => "completed",
        },
        _ => "initiated",
    };
    let transcript = call
        .pointer("/artifact/messages")
        .and_then(Value::as_array)
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| {
                    let role = match m.get("role").and_then(Value::as_str)? {
                        "assistant" | "bot" => "agent",
                        "user" => "user",
                        _ => return None,
                    };
                    Some(Turn {
                        role: role.into(),
                        text: m.get("message").and_then(Value::as_str)?.to_owned(),
                        seconds: m
                            .get("secondsFromStart")
                            .and_then(Value::as_f64)
                            .unwrap_or(0.0) as f32,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    CallRecord {
        external_id: call
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        agent_external_id: call
            .get("assistantId")
            .and_then(Value::as_str)
            .map(str::to_owned),
        status: status.into(),
        started_at,
        ended_at,
        duration_seconds,
        transcript,
        recording_url: call
            .pointer("/artifact/recordingUrl")
            .and_then(Value::as_str)
            .map(str::to_owned),
        summary: call
            .pointer("/analysis/summary")
            .and_then(Value::as_str)
            .map(str::to_owned),
        cost_cents: call
            .get("cost")
            .and_then(Value::as_f64)
            .map(|usd| (usd * 100.0).round() as i64)
            .unwrap_or(0),
        end_reason,
        direction: match call.get("type").and_then(Value::as_str) {
            Some("inboundPhoneCall") => Some("inbound".into()),
            Some("outboundPhoneCall") => Some("outbound".into()),
            Some("webCall") => Some("web".into()),
            _ => None,
        },
        customer_number: call
            .pointer("/customer/number")
            .and_then(Value::as_str)
            .map(str::to_owned),
        sentiment: None,
        // A pass/fail rubric answers "true" or "false"; other rubrics are not a yes or no.
        successful: match call.pointer("/analysis/successEvaluation") {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if s == "true" => Some(true),
            Some(Value::String(s)) if s == "false" => Some(false),
            _ => None,
        },
    }
}

/// Fields of an `end-of-call-report` that complete the call it carries.
const REPORT_FIELDS: [&str; 7] = [
    "endedReason",
    "startedAt",
    "endedAt",
    "cost",
    "artifact",
    "analysis",
    "customer",
];

/// Reads a VAPI server message. `status-update` and `end-of-call-report` are news about the
/// call they carry; the report's own fields (ended reason, times, cost, artifact, analysis)
/// complete that call. Other types are acknowledged and ignored.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let malformed = |why: &str| WebhookError::Malformed(why.to_owned());
    let envelope = webhook::json_object(body)?;
    let message = envelope
        .get("message")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("the body has no `message` object"))?;
    let kind = message
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("`message.type` is missing"))?;
    if !matches!(kind, "status-update" | "end-of-call-report") {
        return Ok(WebhookEvent::Ignored(kind.to_owned()));
    }
    let mut call = message
        .get("call")
        .filter(|c| c.is_object())
        .cloned()
        .ok_or_else(|| malformed("`message.call` is missing"))?;
    if call
        .get("id")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(malformed("`message.call.id` is missing"));
    }
    if kind == "status-update" {
        let status = message
            .get("status")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("`message.status` is missing"))?;
        call["status"] = status.into();
        if let Some(reason) = message.get("endedReason") {
            call["endedReason"] = reason.clone();
        }
    } else {
        call["status"] = "ended".into();
        for field in REPORT_FIELDS {
            if let Some(value) = message.get(field) {
                call[field] = value.clone();
            }
        }
    }
    Ok(WebhookEvent::Call(Box::new(call_record(&call))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_numbers_are_normalized() {
        assert_eq!(normalize_number("+1 (415) 555-0100"), "+14155550100");
        assert_eq!(normalize_number("0044 20 7946 0958"), "+442079460958");
        assert_eq!(normalize_number("14155550100"), "+14155550100");
    }
}
