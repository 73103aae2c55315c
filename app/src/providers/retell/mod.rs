//! Retell (`https://api.retellai.com`, Bearer API key, snake_case JSON, errors as
//! `{"status": "error", "message": "..."}`, missing objects as 422).
//!
//! An agent is a Retell LLM (prompt, model, tools) plus an agent (voice, language, webhook)
//! that uses it. The LLM is made first; its id is kept even if the agent step then fails,
//! so the next sync reuses it instead of leaving one behind.

//!
//! The client is here; what is sent (`agent`: the LLM, its tools and the agent) and what
//! is read back (`report`: calls and webhook events) are mapped in their own modules.

mod agent;
mod report;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::error::ProviderError;
use super::http::{Kept, ProviderHttp, string_field};
use super::webhook::{self, WebhookError, WebhookEvent};
use super::{AgentSpec, CallRecord, ExternalRef, PhoneCallRequest, VoiceProvider, WebCallSession};
use crate::agents::model::Voice;
use crate::integrations::model::Provider;

pub use agent::{agent_body, llm_body, tool, tools};
pub use report::{call_record, parse_webhook};

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

fn is_missing(e: &ProviderError) -> bool {
    matches!(e.status, Some(404 | 422))
}

impl VoiceProvider for Retell {
    async fn sync_agent(
        &self,
        spec: &AgentSpec<'_>,
        ids: &mut ExternalRef,
    ) -> Result<(), ProviderError> {
        let key = &self.secret;
        // The LLM first: its id is kept even if the agent step then fails.
        let llm = Kept {
            update: ids
                .llm_id
                .as_ref()
                .map(|id| format!("/update-retell-llm/{id}")),
            create: "/create-retell-llm",
            id_field: "llm_id",
        };
        let body = llm_body(spec);
        if let Some(id) = self
            .http
            .update_or_create(llm, key, &body, messages, is_missing)
            .await?
        {
            ids.llm_id = Some(id);
        }
        let llm_id = ids.llm_id.clone().unwrap_or_default();
        let agent = Kept {
            update: ids
                .agent_id
                .as_ref()
                .map(|id| format!("/update-agent/{id}")),
            create: "/create-agent",
            id_field: "agent_id",
        };
        let body = agent_body(spec, &llm_id);
        if let Some(id) = self
            .http
            .update_or_create(agent, key, &body, messages, is_missing)
            .await?
        {
            ids.agent_id = Some(id);
        }
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
            .ok_or_else(|| ProviderError::not_synced(Provider::Retell))?;
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
            .ok_or_else(|| ProviderError::not_synced(Provider::Retell))?;
        let mut body = json!({
            "from_number": call.from,
            "to_number": super::vapi::normalize_number(&call.to_number),
            "override_agent_id": agent_id,
            "metadata": {
                "agent_id": call.agent_id.to_string(),
                "workspace_id": call.workspace_id.to_string(),
            },
        });
        if let Some(key) = call.attempt_key {
            body["metadata"]["attempt_key"] = json!(key.to_string());
        }
        let mut variables: serde_json::Map<String, serde_json::Value> = call
            .variables
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        if let Some(name) = &call.customer_name {
            variables
                .entry("customer_name")
                .or_insert_with(|| json!(name));
        }
        if !variables.is_empty() {
            body["retell_llm_dynamic_variables"] = variables.into();
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

    async fn find_call(
        &self,
        ids: &ExternalRef,
        attempt_key: Uuid,
        _since: DateTime<Utc>,
    ) -> Result<Option<String>, ProviderError> {
        // A call not yet connected has no start time to bound by: the key finds it.
        let agent_id = ids
            .agent_id
            .clone()
            .ok_or_else(|| ProviderError::not_synced(Provider::Retell))?;
        let body = json!({
            "filter_criteria": {
                "agent_id": [agent_id],
                "metadata.attempt_key": [attempt_key.to_string()],
            },
            "limit": 10,
        });
        // A read, however it is sent: safe to repeat.
        let calls = self
            .http
            .json_read(
                Method::POST,
                "/v2/list-calls",
                &self.secret,
                Some(&body),
                messages,
            )
            .await?;
        Ok(calls
            .as_array()
            .and_then(|calls| calls.first())
            .and_then(|c| c.get("call_id").and_then(Value::as_str))
            .map(str::to_owned))
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
