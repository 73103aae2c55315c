//! Call events the providers post to us, and how each proves a request is its own:
//! - VAPI sends back, in `x-vapi-secret`, the per-workspace secret we put in the
//!   assistant's `server.headers` (compared in constant time);
//! - Retell signs the raw body with the API key: `x-retell-signature: v=<ms>,d=<hex>`, the
//!   hex HMAC-SHA256 of the body followed by the decimal milliseconds, within 5 minutes;
//! - Sandbox signs the same way as Retell, with the workspace's webhook secret as the key,
//!   in `x-sandbox-signature`.
//!
//! Each provider's body is read into a `CallRecord`, so one ingestion path serves them all.

use hmac::{KeyInit as _, Mac};
use serde::{Deserialize, Serialize};

use super::CallRecord;

/// What a webhook said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WebhookEvent {
    /// News about a call: its status, and once it has ended, what was said and what it cost.
    Call(Box<CallRecord>),
    /// An event we do not act on; its type, for the log.
    Ignored(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// Not shown to come from the provider (401; nothing is done).
    Unauthorized(&'static str),
    /// Cannot be read (400; nothing is done).
    Malformed(String),
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unauthorized(why) => f.write_str(why),
            Self::Malformed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for WebhookError {}

/// How far a signature's time may be from ours, either way.
pub const SIGNATURE_TOLERANCE_MS: i64 = 5 * 60 * 1000;

fn mac(key: &str, body: &[u8], at_ms: i64) -> hmac::Hmac<sha2::Sha256> {
    // HMAC takes keys of any length.
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    mac.update(at_ms.to_string().as_bytes());
    mac
}

/// The signature header value for `body` sent at `at_ms`: `v=<ms>,d=<hex>`.
pub fn sign(key: &str, body: &[u8], at_ms: i64) -> String {
    let digest = mac(key, body, at_ms).finalize().into_bytes();
    format!("v={at_ms},d={}", hex::encode(digest))
}

/// Checks a `v=<ms>,d=<hex>` signature of `body` made with `key`, at most five minutes
/// from `now_ms`.
pub fn verify_signature(
    header: Option<&str>,
    key: &str,
    body: &[u8],
    now_ms: i64,
) -> Result<(), WebhookError> {
    let header = header.ok_or(WebhookError::Unauthorized(
        "the signature header is missing",
    ))?;
    let (at, digest) = header
        .trim()
        .strip_prefix("v=")
        .and_then(|rest| rest.split_once(",d="))
        .ok_or(WebhookError::Unauthorized(
            "the signature is not of the form v=<ms>,d=<hex>",
        ))?;
    let at_ms: i64 = at
        .parse()
        .map_err(|_| WebhookError::Unauthorized("the signature's time is not a number"))?;
    let digest = hex::decode(digest.to_ascii_lowercase())
        .ok()
        .filter(|d| d.len() == 32)
        .ok_or(WebhookError::Unauthorized(
            "the signature's digest is not 64 hex digits",
        ))?;
    if (now_ms - at_ms).abs() > SIGNATURE_TOLERANCE_MS {
        return Err(WebhookError::Unauthorized(
            "the signature is more than five minutes old",
        ));
    }
    mac(key, body, at_ms)
        .verify_slice(&digest)
        .map_err(|_| WebhookError::Unauthorized("the signature does not match the body"))
}

/// Checks a shared secret sent back verbatim, in constant time.
pub fn verify_shared_secret(header: Option<&str>, expected: &str) -> Result<(), WebhookError> {
    let given = header.ok_or(WebhookError::Unauthorized("the secret header is missing"))?;
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    let differ = a.len() != b.len() || a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) != 0;
    if differ || expected.is_empty() {
        return Err(WebhookError::Unauthorized("the secret does not match"));
    }
    Ok(())
}

/// The body as a JSON object, or why not.
pub fn json_object(
    body: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, WebhookError> {
    match serde_json::from_slice(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(WebhookError::Malformed(
            "the body is not a JSON object".into(),
        )),
        Err(e) => Err(WebhookError::Malformed(format!(
            "the body is not JSON ({e})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::model::{CallDirection, CallStatus};

    const NOW: i64 = 1_767_225_600_123;

    #[test]
    fn signatures_are_retells_scheme() {
        // HMAC-SHA256(key, body + ms), as Retell's SDKs compute it.
        let signed = sign("key_abc", br#"{"event":"call_ended"}"#, NOW);
        assert!(signed.starts_with("v=1767225600123,d="));
        assert_eq!(signed.len(), "v=1767225600123,d=".len() + 64);
        let body = br#"{"event":"call_ended"}"#;
        assert_eq!(
            verify_signature(Some(&signed), "key_abc", body, NOW),
            Ok(())
        );
        assert_eq!(
            verify_signature(Some(&signed), "key_abc", body, NOW + 299_000),
            Ok(())
        );
        assert_eq!(
            verify_signature(
                Some(
                    &signed
                        .to_uppercase()
                        .replace("V=", "v=")
                        .replace(",D=", ",d=")
                ),
                "key_abc",
                body,
                NOW
            ),
            Ok(()),
            "hex in either case"
        );
    }

    #[test]
    fn bad_signatures_say_what_is_wrong() {
        let body = br#"{"event":"call_ended"}"#;
        let signed = sign("key_abc", body, NOW);
        let refused =
            |header: Option<&str>, key: &str, body: &[u8], now: i64| match verify_signature(
                header, key, body, now,
            ) {
                Err(WebhookError::Unauthorized(why)) => why,
                other => panic!("accepted: {other:?}"),
            };
        assert!(refused(None, "key_abc", body, NOW).contains("missing"));
        assert!(refused(Some("sha256=abc"), "key_abc", body, NOW).contains("form"));
        assert!(refused(Some(&signed), "key_other", body, NOW).contains("does not match"));
        assert!(
            refused(
                Some(&signed),
                "key_abc",
                b"{\"event\":\"call_started\"}",
                NOW
            )
            .contains("does not match")
        );
        assert!(refused(Some(&signed), "key_abc", body, NOW + 301_000).contains("five minutes"));
        assert!(refused(Some("v=12,d=zz"), "key_abc", body, 12).contains("hex"));
        assert!(refused(Some("v=x,d=00"), "key_abc", body, NOW).contains("number"));
    }

    #[test]
    fn shared_secrets_must_match_exactly() {
        assert_eq!(verify_shared_secret(Some("s3cret"), "s3cret"), Ok(()));
        for given in [
            None,
            Some(""),
            Some("s3cre"),
            Some("s3cret "),
            Some("S3cret"),
        ] {
            assert!(verify_shared_secret(given, "s3cret").is_err(), "{given:?}");
        }
        assert!(
            verify_shared_secret(Some(""), "").is_err(),
            "no secret, no entry"
        );
    }

    #[test]
    fn bodies_must_be_json_objects() {
        assert!(json_object(b"{}").is_ok());
        for body in [&b"[]"[..], b"null", b"not json", b""] {
            assert!(matches!(json_object(body), Err(WebhookError::Malformed(_))));
        }
    }

    fn call_of(event: Result<WebhookEvent, WebhookError>) -> CallRecord {
        match event {
            Ok(WebhookEvent::Call(call)) => *call,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn a_vapi_end_of_call_report_completes_its_call() {
        // The example report of reference/providers.md §1.8.
        let body = br#"{"message":{"type":"end-of-call-report","timestamp":1767225600000,"endedReason":"customer-ended-call",
 "startedAt":"2026-01-01T00:00:05.000Z","endedAt":"2026-01-01T00:02:10.000Z","cost":0.142,
 "costs":[{"type":"vapi","subType":"normal","minutes":2.08,"cost":0.104}],
 "artifact":{"transcript":"AI: Hi...\nUser: ...","messages":[{"role":"bot","message":"Hi, Acme Dental.","time":1767225605000,
   "endTime":1767225607000,"secondsFromStart":0.5},{"role":"user","message":"I need a cleaning.","secondsFromStart":3.1}],
   "recordingUrl":"https://storage.vapi.ai/mono.wav","stereoRecordingUrl":"https://storage.vapi.ai/stereo.wav"},
 "analysis":{"summary":"Caller booked a cleaning.","successEvaluation":"true"},
 "call":{"id":"9e0f0000-0000-4000-8000-000000000001","orgId":"o","type":"outboundPhoneCall","status":"in-progress","assistantId":"a-1"},
 "assistant":{"name":"Acme Front Desk"},
 "customer":{"number":"+15551234567"}}}"#;
        let call = call_of(crate::providers::vapi::parse_webhook(body));
        assert_eq!(call.external_id, "9e0f0000-0000-4000-8000-000000000001");
        assert_eq!(call.agent_external_id.as_deref(), Some("a-1"));
        assert_eq!(call.status, CallStatus::Completed);
        assert_eq!(call.duration_seconds, 125);
        assert_eq!(call.cost_cents, 14);
        assert_eq!(call.transcript.len(), 2);
        assert_eq!(call.transcript[0].role, "agent");
        assert_eq!(call.transcript[1].text, "I need a cleaning.");
        assert_eq!(
            call.recording_url.as_deref(),
            Some("https://storage.vapi.ai/mono.wav")
        );
        assert_eq!(call.summary.as_deref(), Some("Caller booked a cleaning."));
        assert_eq!(call.direction, Some(CallDirection::Outbound));
        assert_eq!(call.customer_number.as_deref(), Some("+15551234567"));
        assert_eq!(call.successful, Some(true));
        assert_eq!(call.end_reason.as_deref(), Some("customer-ended-call"));
    }

    #[test]
    fn vapi_status_updates_move_calls_and_other_messages_are_ignored() {
        let update = br#"{"message":{"type":"status-update","status":"in-progress","call":{"id":"c-1","type":"webCall","status":"queued"}}}"#;
        let call = call_of(crate::providers::vapi::parse_webhook(update));
        assert_eq!(
            (call.status, call.direction),
            (CallStatus::InProgress, Some(CallDirection::Web))
        );
        let busy = br#"{"message":{"type":"status-update","status":"ended","endedReason":"customer-busy","call":{"id":"c-1"}}}"#;
        assert_eq!(
            call_of(crate::providers::vapi::parse_webhook(busy)).status,
            CallStatus::Busy
        );
        let speech = br#"{"message":{"type":"speech-update","status":"started","role":"user"}}"#;
        assert_eq!(
            crate::providers::vapi::parse_webhook(speech),
            Ok(WebhookEvent::Ignored("speech-update".into()))
        );
        for (body, why) in [
            (&br#"{"type":"status-update"}"#[..], "message"),
            (br#"{"message":{"status":"ended"}}"#, "type"),
            (
                br#"{"message":{"type":"status-update","call":{"id":"c"}}}"#,
                "status",
            ),
            (br#"{"message":{"type":"end-of-call-report"}}"#, "call"),
            (
                br#"{"message":{"type":"end-of-call-report","call":{"id":""}}}"#,
                "call.id",
            ),
            (b"<xml/>", "JSON"),
        ] {
            match crate::providers::vapi::parse_webhook(body) {
                Err(WebhookError::Malformed(m)) => assert!(m.contains(why), "{m}"),
                other => panic!("read: {other:?}"),
            }
        }
    }

    #[test]
    fn retell_events_carry_the_call() {
        let ended = br#"{"event":"call_ended","call":{"call_type":"phone_call","call_id":"call_1","agent_id":"agent_1","agent_version":1,
 "call_status":"ended","direction":"inbound","from_number":"+15551234567","to_number":"+14155550100",
 "start_timestamp":1767225605000,"end_timestamp":1767225730000,"duration_ms":125000,"disconnection_reason":"user_hangup",
 "transcript_object":[{"role":"agent","content":"Hello","words":[{"word":"Hello","start":0.4,"end":0.9}]}],
 "recording_url":"https://example.com/r.wav","call_cost":{"combined_cost":41.5}}}"#;
        let call = call_of(crate::providers::retell::parse_webhook(ended));
        assert_eq!(
            (
                call.external_id.as_str(),
                call.status.as_str(),
                call.duration_seconds,
                call.cost_cents
            ),
            ("call_1", "completed", 125, 42)
        );
        assert_eq!(
            call.customer_number.as_deref(),
            Some("+15551234567"),
            "the caller"
        );
        assert_eq!(call.direction, Some(CallDirection::Inbound));
        assert_eq!(call.sentiment, None, "call_ended has no analysis");
        let analyzed = br#"{"event":"call_analyzed","call":{"call_id":"call_1","call_status":"ended","call_type":"web_call",
 "call_analysis":{"call_summary":"Booked.","user_sentiment":"Positive","call_successful":true}}}"#;
        let call = call_of(crate::providers::retell::parse_webhook(analyzed));
        assert_eq!(call.sentiment.as_deref(), Some("positive"));
        assert_eq!(call.successful, Some(true));
        assert_eq!(call.direction, Some(CallDirection::Web));
        assert_eq!(
            crate::providers::retell::parse_webhook(br#"{"event":"transcript_updated","call":{}}"#),
            Ok(WebhookEvent::Ignored("transcript_updated".into()))
        );
        assert!(crate::providers::retell::parse_webhook(br#"{"event":"call_ended"}"#).is_err());
        assert!(crate::providers::retell::parse_webhook(br#"{"call":{"call_id":"x"}}"#).is_err());
    }

    #[test]
    fn sandbox_events_round_trip() {
        let call = CallRecord {
            external_id: "sbx_call_1".into(),
            status: CallStatus::Completed,
            duration_seconds: 42,
            ..CallRecord::default()
        };
        let body = crate::providers::sandbox::event_body(&call);
        assert_eq!(
            call_of(crate::providers::sandbox::parse_webhook(&body)),
            call
        );
        assert!(crate::providers::sandbox::parse_webhook(br#"{"call":{"status":1}}"#).is_err());
    }
}
