//! VAPI (`https://api.vapi.ai`, Bearer private key, camelCase JSON, NestJS-style errors:
//! `{"message": string | [string], "error", "statusCode"}`).
//!
//! An agent is one assistant. Its tools travel inline in `model.tools` (VAPI accepts the
//! same tool JSON there as at `POST /tool`), so a sync is one request and no saved tool can
//! be left behind when an agent changes or is deleted.
//!
//! The client is here; what is sent (`assistant`: the assistant and its tools) and what is
//! read back (`report`: calls and webhook events) are mapped in their own modules.

mod assistant;
mod report;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::error::ProviderError;
use super::http::{Kept, ProviderHttp, string_field};
use super::webhook::{self, WebhookError, WebhookEvent};
use super::{
    AgentSpec, CallRecord, ExternalRef, Keys, PhoneCallRequest, VoiceProvider, WebCallSession,
    voices,
};
use crate::agents::model::Voice;
use crate::integrations::model::Provider;

pub use assistant::{assistant_body, tool, tools};
pub use report::{call_record, parse_webhook};

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
        let kept = Kept {
            update: ids.agent_id.as_ref().map(|id| format!("/assistant/{id}")),
            create: "/assistant",
            id_field: "id",
        };
        let body = assistant_body(spec);
        let secret = &self.keys.secret;
        if let Some(id) = self
            .http
            .update_or_create(kept, secret, &body, messages, is_missing)
            .await?
        {
            ids.agent_id = Some(id);
        }
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
            .ok_or_else(|| ProviderError::not_synced(Provider::Vapi))?;
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
            .ok_or_else(|| ProviderError::not_synced(Provider::Vapi))?;
        let mut customer = json!({"number": normalize_number(&call.to_number)});
        if let Some(name) = &call.customer_name {
            customer["name"] = json!(name);
        }
        let mut overrides = json!({
            "metadata": {
                "agentId": call.agent_id.to_string(),
                "workspaceId": call.workspace_id.to_string(),
            },
        });
        if let Some(key) = call.attempt_key {
            overrides["metadata"]["attemptKey"] = json!(key.to_string());
        }
        if !call.variables.is_empty() {
            overrides["variableValues"] = call
                .variables
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
        let body = json!({
            "assistantId": assistant_id,
            "phoneNumberId": call.from,
            "customer": customer,
            "assistantOverrides": overrides,
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

    async fn find_call(
        &self,
        ids: &ExternalRef,
        attempt_key: Uuid,
        since: DateTime<Utc>,
    ) -> Result<Option<String>, ProviderError> {
        let assistant_id = ids
            .agent_id
            .clone()
            .ok_or_else(|| ProviderError::not_synced(Provider::Vapi))?;
        // VAPI keeps no key of ours on a call but the overrides it was placed with: list
        // the assistant's calls since the attempt began and look for ours.
        let since = (since - chrono::Duration::minutes(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let path = format!(
            "/call?assistantId={}&createdAtGt={}&limit=1000",
            crate::text::percent_encode(&assistant_id, b""),
            crate::text::percent_encode(&since, b"")
        );
        let calls = self
            .http
            .json(Method::GET, &path, &self.keys.secret, None, messages)
            .await?;
        let key = attempt_key.to_string();
        Ok(calls.as_array().and_then(|calls| {
            calls
                .iter()
                .find(|c| {
                    c.pointer("/assistantOverrides/metadata/attemptKey")
                        .and_then(Value::as_str)
                        == Some(key.as_str())
                })
                .and_then(|c| c.get("id").and_then(Value::as_str).map(str::to_owned))
        }))
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
