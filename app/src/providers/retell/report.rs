//! What Retell reports: a call as `GET /v2/get-call/{id}` answers it, and its webhook
//! events.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use crate::calls::model::{CallDirection, CallStatus};
use crate::providers::webhook::{self, WebhookError, WebhookEvent};
use crate::providers::{CallRecord, Turn};

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
        (_, Some("dial_no_answer")) => CallStatus::NoAnswer,
        (_, Some("dial_busy")) => CallStatus::Busy,
        (_, Some(r)) if r.starts_with("error") || r == "dial_failed" => CallStatus::Failed,
        (Some("registered"), _) => CallStatus::Initiated,
        (Some("ongoing"), _) => CallStatus::InProgress,
        (Some("ended"), _) => CallStatus::Completed,
        (Some("error" | "not_connected"), _) => CallStatus::Failed,
        _ => CallStatus::Initiated,
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
        status,
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
            Some("web_call") => Some(CallDirection::Web),
            _ => match call.get("direction").and_then(Value::as_str) {
                Some("inbound") => Some(CallDirection::Inbound),
                Some("outbound") => Some(CallDirection::Outbound),
                _ => None,
            },
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
        callback_request: call
            .pointer("/call_analysis/custom_analysis_data/callback_request")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned),
        do_not_call: call.pointer("/call_analysis/custom_analysis_data/do_not_call")
            == Some(&Value::Bool(true)),
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
