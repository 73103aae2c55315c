//! Sandbox: the built-in provider. It needs no keys and no network: agents "sync" at once,
//! and calls are simulated here, with a conversation built from the agent's greeting,
//! prompt, knowledge, tools and variables, so every screen can be tried on a fresh install.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::ProviderError;
use super::webhook::{self, WebhookError, WebhookEvent};
use super::{
    AgentSpec, CallRecord, ExternalRef, PhoneCallRequest, Turn, VoiceProvider, WebCallSession,
    voices,
};
use crate::agents::model::{AgentConfig, Direction, Voice};
use crate::calls::model::{CallDirection, CallStatus};
use crate::integrations::model::Provider;
use crate::tools::kind::ToolKind;

pub struct Sandbox;

impl VoiceProvider for Sandbox {
    async fn sync_agent(
        &self,
        spec: &AgentSpec<'_>,
        ids: &mut ExternalRef,
    ) -> Result<(), ProviderError> {
        if ids.agent_id.is_none() {
            ids.agent_id = Some(format!("sbx_agent_{}", spec.agent_id.simple()));
        }
        Ok(())
    }

    async fn delete_agent(&self, _ids: &ExternalRef) -> Result<(), ProviderError> {
        Ok(())
    }

    async fn list_voices(&self) -> Result<Vec<Voice>, ProviderError> {
        Ok(voices::elevenlabs())
    }

    async fn create_web_call(&self, _ids: &ExternalRef) -> Result<WebCallSession, ProviderError> {
        Ok(WebCallSession::Sandbox {
            call_id: new_call_id(),
        })
    }

    async fn create_phone_call(
        &self,
        _ids: &ExternalRef,
        _call: &PhoneCallRequest,
    ) -> Result<String, ProviderError> {
        Ok(new_call_id())
    }

    async fn find_call(
        &self,
        _ids: &ExternalRef,
        attempt_key: Uuid,
        _since: DateTime<Utc>,
    ) -> Result<Option<String>, ProviderError> {
        // A campaign's Sandbox call is named after its attempt, and exists once recorded.
        Ok(Some(campaign_call_id(attempt_key)))
    }

    async fn get_call(&self, _call_id: &str) -> Result<CallRecord, ProviderError> {
        // Sandbox calls are stored as they are simulated; there is nothing to fetch.
        Err(ProviderError {
            provider: Provider::Vapi,
            status: Some(404),
            kind: super::error::ProviderErrorKind::Rejected(vec![
                "Sandbox calls are stored when they are simulated".into(),
            ]),
        })
    }

    async fn agent_webhook_url(&self, _ids: &ExternalRef) -> Result<Option<String>, ProviderError> {
        Ok(None)
    }

    fn verify_webhook(
        &self,
        headers: &::http::HeaderMap,
        body: &[u8],
        shared_secret: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WebhookError> {
        webhook::verify_signature(
            super::header(headers, SIGNATURE_HEADER),
            shared_secret,
            body,
            now.timestamp_millis(),
        )
    }

    fn parse_webhook(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        parse_webhook(body)
    }
}

/// Where Sandbox events carry their signature.
pub const SIGNATURE_HEADER: &str = "x-sandbox-signature";

/// A Sandbox event: the call as a `CallRecord`, under `call`.
pub fn event_body(call: &CallRecord) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "call": call })).unwrap_or_default()
}

/// Reads a Sandbox event (`event_body`).
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let envelope = webhook::json_object(body)?;
    let call = envelope
        .get("call")
        .cloned()
        .ok_or_else(|| WebhookError::Malformed("`call` is missing".into()))?;
    let record: CallRecord = serde_json::from_value(call)
        .map_err(|e| WebhookError::Malformed(format!("`call` is not a call ({e})")))?;
    if record.external_id.is_empty() {
        return Err(WebhookError::Malformed(
            "`call.external_id` is empty".into(),
        ));
    }
    Ok(WebhookEvent::Call(Box::new(record)))
}

/// A simulated call that has just ended, as Sandbox reports it.
pub fn finished_call(
    call_id: &str,
    agent_external_id: Option<String>,
    direction: CallDirection,
    customer_number: Option<String>,
    turns: &[Turn],
    summary: String,
) -> CallRecord {
    let duration_seconds = duration_seconds(turns);
    let ended_at = chrono::Utc::now();
    CallRecord {
        external_id: call_id.to_owned(),
        agent_external_id,
        status: CallStatus::Completed,
        started_at: Some(ended_at - chrono::Duration::seconds(i64::from(duration_seconds))),
        ended_at: Some(ended_at),
        duration_seconds,
        transcript: turns.to_vec(),
        recording_url: None,
        summary: Some(summary),
        cost_cents: 0,
        end_reason: Some("customer-ended-call".into()),
        direction: Some(direction),
        customer_number,
        sentiment: Some("positive".into()),
        successful: Some(true),
        callback_request: None,
        do_not_call: false,
    }
}

/// The id of the Sandbox call of a campaign attempt: one per attempt key.
pub fn campaign_call_id(attempt_key: Uuid) -> String {
    format!("sbx_call_{}", attempt_key.simple())
}

pub fn new_call_id() -> String {
    format!("sbx_call_{}", Uuid::now_v7().simple())
}

/// Sample values for the standard variables in simulated calls.
const SAMPLES: [(&str, &str); 5] = [
    ("first_name", "Alex"),
    ("last_name", "Morgan"),
    ("email", "alex.morgan@example.com"),
    ("company", "Northwind"),
    ("phone_number", "+15555550123"),
];

/// Replaces `{{name}}` with the sample or default value it has (unknown names are left).
pub fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        let value = values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| SAMPLES.iter().find(|(k, _)| *k == name).map(|(_, v)| *v));
        match value {
            Some(v) if !v.is_empty() => out.push_str(v),
            _ => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The first sentence of `text` (at most 200 characters).
fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .find(['.', '!', '?', '\n'])
        .map(|i| i + 1)
        .unwrap_or(text.len());
    text[..end]
        .chars()
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A simulated call of an agent: the turns, in order, with their times.
pub fn conversation(
    name: &str,
    direction: Direction,
    config: &AgentConfig,
    documents: &[(String, String)],
    values: &[(String, String)],
) -> Vec<Turn> {
    let mut turns: Vec<Turn> = vec![];
    let mut clock = 0.5_f32;
    let mut say = |role: &str, text: String| {
        let words = text.split_whitespace().count() as f32;
        turns.push(Turn {
            role: role.into(),
            text: text.clone(),
            seconds: (clock * 10.0).round() / 10.0,
        });
        clock += 1.2 + words / 2.6;
    };
    match direction {
        Direction::Inbound => say("agent", fill(config.first_message.trim(), values)),
        Direction::Outbound => {
            say("user", "Hello?".into());
            say(
                "agent",
                fill(
                    &format!("Hi {{{{first_name}}}}, this is {name}. Do you have a minute?"),
                    values,
                ),
            );
            say("user", "Sure, go ahead.".into());
        }
    }
    match documents.first() {
        Some((title, content)) => {
            say("user", format!("I have a question about {}.", title.trim()));
            let answer = first_sentence(content);
            say(
                "agent",
                if answer.is_empty() {
                    format!("Happy to help with {}.", title.trim())
                } else {
                    format!("Of course. {answer}")
                },
            );
        }
        None => {
            say("user", "Can you tell me what you can help me with?".into());
            let about = first_sentence(&fill(&config.system_prompt, values));
            say(
                "agent",
                if about.is_empty() {
                    "I can answer your questions and take care of requests.".into()
                } else {
                    format!("Sure. {about}")
                },
            );
        }
    }
    if let Some(tool) = config
        .tools
        .iter()
        .find(|t| t.enabled && t.kind != ToolKind::EndCall)
    {
        say("user", "Could you take care of that for me now?".into());
        let message = tool.message.trim();
        say(
            "agent",
            if message.is_empty() {
                "One moment while I do that.".into()
            } else {
                message.to_owned()
            },
        );
        say("tool", format!("{} → ok", tool.name.trim()));
        say("agent", "All done. Is there anything else?".into());
    }
    say("user", "No, that's all. Thank you!".into());
    say("agent", "You're welcome. Have a great day, goodbye!".into());
    turns
}

/// The call's length: the last turn's start plus time to say it.
pub fn duration_seconds(turns: &[Turn]) -> i32 {
    turns
        .last()
        .map(|t| t.seconds + 1.0 + t.text.split_whitespace().count() as f32 / 2.6)
        .map(|s| s.ceil() as i32)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::model::Tool;

    #[test]
    fn variables_are_filled_with_defaults_then_samples() {
        let values = vec![("plan".to_owned(), "Pro".to_owned())];
        assert_eq!(
            fill(
                "Hi {{first_name}}, your {{ plan }} plan; {{unknown}} {{",
                &values
            ),
            "Hi Alex, your Pro plan; {{unknown}} {{"
        );
    }

    #[test]
    fn a_conversation_uses_greeting_knowledge_and_tools() {
        let mut config = AgentConfig {
            first_message: "Thanks for calling {{company}}!".into(),
            system_prompt: "You book appointments.".into(),
            ..AgentConfig::default()
        };
        let mut tool = Tool::new(ToolKind::Function);
        tool.name = "book_slot".into();
        config.tools.push(tool);
        let docs = vec![(
            "Opening hours".to_owned(),
            "We open at 9am. Closed Sundays.".to_owned(),
        )];
        let turns = conversation("Ava", Direction::Inbound, &config, &docs, &[]);
        assert_eq!(turns[0].text, "Thanks for calling Northwind!");
        assert!(turns.iter().any(|t| t.text.contains("We open at 9am.")));
        assert!(
            turns
                .iter()
                .any(|t| t.role == "tool" && t.text.starts_with("book_slot"))
        );
        assert!(turns.windows(2).all(|w| w[0].seconds < w[1].seconds));
        assert!(duration_seconds(&turns) > 10);
    }

    #[test]
    fn outbound_calls_wait_for_the_person() {
        let turns = conversation(
            "Ava",
            Direction::Outbound,
            &AgentConfig::default(),
            &[],
            &[],
        );
        assert_eq!(turns[0].role, "user");
        assert!(turns[1].text.contains("this is Ava"));
    }
}
