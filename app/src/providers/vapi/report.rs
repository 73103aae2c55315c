//! What VAPI reports: a call as `GET /call/{id}` answers it, and its webhook events.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::calls::model::{CallDirection, CallStatus};
use crate::providers::webhook::{self, WebhookError, WebhookEvent};
use crate::providers::{CallRecord, Turn};

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
        Some("queued" | "scheduled") => CallStatus::Initiated,
        Some("ringing") => CallStatus::Ringing,
        Some("in-progress" | "forwarding") => CallStatus::InProgress,
        Some("ended") => match end_reason.as_deref() {
            Some("customer-did-not-answer") => CallStatus::NoAnswer,
            Some("customer-busy") => CallStatus::Busy,
            Some(r) if r.contains("error") || r.contains("failed") => CallStatus::Failed,
            _ => CallStatus::Completed,
        },
        _ => CallStatus::Initiated,
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
        status,
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
            Some("inboundPhoneCall") => Some(CallDirection::Inbound),
            Some("outboundPhoneCall") => Some(CallDirection::Outbound),
            Some("webCall") => Some(CallDirection::Web),
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
        callback_request: call
            .pointer("/analysis/structuredData/callback_request")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned),
        do_not_call: call.pointer("/analysis/structuredData/do_not_call")
            == Some(&Value::Bool(true)),
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
