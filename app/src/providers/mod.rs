//! Voice providers behind one interface, `VoiceProvider`: sync and delete an agent, list
//! voices, start a web or phone call, read a call, and check where its webhooks go.
//! Three implementations: VAPI and Retell over HTTP (base URLs from configuration, so tests
//! point them at loopback simulators) and Sandbox, which needs no keys and simulates calls
//! in-process. `Voice` picks one for an agent.

pub mod algolia;
pub mod analysis;
pub mod breaker;
pub mod error;
pub mod http;
pub mod retell;
pub mod sandbox;
pub mod vapi;
pub mod voices;
pub mod webhook;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::agents::model::{AgentConfig, AgentProvider, Direction, Voice as VoiceOption};
pub use crate::calls::model::Turn;
use crate::calls::model::{CallDirection, CallStatus};
use crate::config::ProviderUrls;
use error::ProviderError;
use http::ProviderHttp;
use webhook::{WebhookError, WebhookEvent};

/// What a provider is told about an agent.
#[derive(Debug, Clone)]
pub struct AgentSpec<'a> {
    pub agent_id: Uuid,
    pub workspace_id: Uuid,
    pub name: &'a str,
    pub direction: Direction,
    pub config: &'a AgentConfig,
    /// The system prompt with the linked knowledge appended.
    pub prompt: String,
    /// Where the provider sends call events for this workspace.
    pub webhook_url: String,
    /// Sent by VAPI in `x-vapi-secret` with each event, so we know it is VAPI.
    pub webhook_secret: String,
    /// Defaults of the agent's and workspace's variables.
    pub variable_defaults: Vec<(String, String)>,
}

/// The provider's ids for an agent. Sync fills them in as it goes, so ids of objects that
/// were created before a later step failed are kept and reused by the next attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalRef {
    pub agent_id: Option<String>,
    /// Retell's LLM (response engine).
    pub llm_id: Option<String>,
}

/// What the browser needs to start a test call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WebCallSession {
    /// VAPI's web SDK starts the assistant with the public key.
    Vapi {
        public_key: String,
        assistant_id: String,
        api_base_url: String,
    },
    /// The browser joins Retell's LiveKit room at `url` with a short-lived token.
    Retell {
        call_id: String,
        access_token: String,
        url: String,
    },
    /// Sandbox: the call is simulated on the server.
    Sandbox { call_id: String },
}

/// An outbound call to place.
#[derive(Debug, Clone)]
pub struct PhoneCallRequest {
    pub to_number: String,
    pub customer_name: Option<String>,
    /// VAPI: the phone-number id to call from; Retell: the E.164 number to call from.
    pub from: String,
    pub workspace_id: Uuid,
    pub agent_id: Uuid,
    /// Values for the agent's `{{placeholders}}`.
    pub variables: Vec<(String, String)>,
    /// A campaign attempt's key: the provider keeps it with the call, so whether the
    /// attempt's call exists can be asked (`find_call`).
    pub attempt_key: Option<Uuid>,
}

/// The most a provider may say one call cost it (cents): $10,000.
pub const MAX_PROVIDER_COST_CENTS: i64 = 1_000_000;

/// A call as any provider reports it, in our units.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CallRecord {
    pub external_id: String,
    /// The provider's id of the agent (VAPI assistant) that took the call.
    pub agent_external_id: Option<String>,
    pub status: CallStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_seconds: i32,
    pub transcript: Vec<Turn>,
    pub recording_url: Option<String>,
    pub summary: Option<String>,
    pub cost_cents: i64,
    pub end_reason: Option<String>,
    /// When the provider says.
    pub direction: Option<CallDirection>,
    /// The other party's number (the caller on inbound calls, the called on outbound).
    pub customer_number: Option<String>,
    /// positive, neutral or negative, when the provider has analysed the call.
    pub sentiment: Option<String>,
    /// Whether the call achieved its goal, when the provider has evaluated it.
    pub successful: Option<bool>,
    /// When the person asked to be called back, in their words (the call's analysis).
    #[serde(default)]
    pub callback_request: Option<String>,
    /// The person asked not to be called again (the call's analysis).
    #[serde(default)]
    pub do_not_call: bool,
}

impl CallRecord {
    /// Refuses a report whose figures cannot be true: a duration outside 0 to 24 hours, or
    /// a cost below zero or above $10,000. Such a report is stored nowhere.
    pub fn check(&self) -> Result<(), String> {
        use crate::billing::model::MAX_CALL_SECONDS;
        if !(0..=MAX_CALL_SECONDS).contains(&self.duration_seconds) {
            return Err(format!(
                "the call's duration ({} s) is outside 0 to {MAX_CALL_SECONDS} s",
                self.duration_seconds
            ));
        }
        if !(0..=MAX_PROVIDER_COST_CENTS).contains(&self.cost_cents) {
            return Err(format!(
                "the call's cost ({} cents) is outside 0 to {MAX_PROVIDER_COST_CENTS} cents",
                self.cost_cents
            ));
        }
        Ok(())
    }
}

/// One interface for every voice provider.
pub trait VoiceProvider {
    /// Creates or updates the agent at the provider, filling `ids` as objects are made.
    fn sync_agent(
        &self,
        spec: &AgentSpec<'_>,
        ids: &mut ExternalRef,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send;

    /// Deletes the agent (and its LLM); already gone counts as done.
    fn delete_agent(
        &self,
        ids: &ExternalRef,
    ) -> impl Future<Output = Result<(), ProviderError>> + Send;

    fn list_voices(&self) -> impl Future<Output = Result<Vec<VoiceOption>, ProviderError>> + Send;

    fn create_web_call(
        &self,
        ids: &ExternalRef,
    ) -> impl Future<Output = Result<WebCallSession, ProviderError>> + Send;

    /// Places a phone call; returns the provider's call id.
    fn create_phone_call(
        &self,
        ids: &ExternalRef,
        call: &PhoneCallRequest,
    ) -> impl Future<Output = Result<String, ProviderError>> + Send;

    fn get_call(
        &self,
        call_id: &str,
    ) -> impl Future<Output = Result<CallRecord, ProviderError>> + Send;

    /// The id of the call placed with `attempt_key` for the agent since `since`, if the
    /// provider has one: how a placement interrupted before its answer was kept learns
    /// whether the call exists.
    fn find_call(
        &self,
        ids: &ExternalRef,
        attempt_key: Uuid,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<String>, ProviderError>> + Send;

    /// The webhook URL the provider has for the agent, if any.
    fn agent_webhook_url(
        &self,
        ids: &ExternalRef,
    ) -> impl Future<Output = Result<Option<String>, ProviderError>> + Send;

    /// Checks that a webhook request came from the provider (`webhook` explains each
    /// provider's proof); `shared_secret` is the workspace's webhook secret.
    fn verify_webhook(
        &self,
        headers: &::http::HeaderMap,
        body: &[u8],
        shared_secret: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WebhookError>;

    /// Reads a verified webhook body.
    fn parse_webhook(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError>;
}

/// The HTTP clients of the providers, made once per process so connections, retries and
/// circuit breakers are shared by every request.
#[derive(Debug, Clone)]
pub struct ProviderClients {
    pub vapi: ProviderHttp,
    pub retell: ProviderHttp,
    /// The LiveKit server Retell's browser calls join.
    pub retell_web_call: String,
}

impl ProviderClients {
    pub fn new(urls: &ProviderUrls) -> Result<Self, ProviderError> {
        use crate::integrations::model::Provider;
        Ok(Self {
            vapi: ProviderHttp::new(Provider::Vapi, &urls.vapi)?,
            retell: ProviderHttp::new(Provider::Retell, &urls.retell)?,
            retell_web_call: urls.retell_web_call.clone(),
        })
    }
}

/// The provider of one agent, with the workspace's keys.
pub enum Voice {
    Sandbox(sandbox::Sandbox),
    Vapi(vapi::Vapi),
    Retell(retell::Retell),
}

/// Keys of the integration assigned to the workspace for the agent's provider.
#[derive(Debug, Clone)]
pub struct Keys {
    pub secret: String,
    pub public: Option<String>,
    /// The integration's shared outbound number (VAPI phone-number id, Retell number).
    pub outbound_number: Option<String>,
}

impl Voice {
    /// The provider for `provider`; VAPI and Retell need the workspace's keys.
    pub fn new(
        provider: AgentProvider,
        clients: &ProviderClients,
        keys: Option<Keys>,
    ) -> Option<Self> {
        match (provider, keys) {
            (AgentProvider::Sandbox, _) => Some(Self::Sandbox(sandbox::Sandbox)),
            (AgentProvider::Vapi, Some(keys)) => Some(Self::Vapi(vapi::Vapi {
                http: clients.vapi.clone(),
                keys,
            })),
            (AgentProvider::Retell, Some(keys)) => Some(Self::Retell(retell::Retell {
                http: clients.retell.clone(),
                secret: keys.secret,
                web_call_url: clients.retell_web_call.clone(),
            })),
            _ => None,
        }
    }
}

macro_rules! dispatch {
    ($self:ident, $p:ident => $call:expr) => {
        match $self {
            Voice::Sandbox($p) => $call.await,
            Voice::Vapi($p) => $call.await,
            Voice::Retell($p) => $call.await,
        }
    };
}

impl VoiceProvider for Voice {
    async fn sync_agent(
        &self,
        spec: &AgentSpec<'_>,
        ids: &mut ExternalRef,
    ) -> Result<(), ProviderError> {
        dispatch!(self, p => p.sync_agent(spec, ids))
    }

    async fn delete_agent(&self, ids: &ExternalRef) -> Result<(), ProviderError> {
        dispatch!(self, p => p.delete_agent(ids))
    }

    async fn list_voices(&self) -> Result<Vec<VoiceOption>, ProviderError> {
        dispatch!(self, p => p.list_voices())
    }

    async fn create_web_call(&self, ids: &ExternalRef) -> Result<WebCallSession, ProviderError> {
        dispatch!(self, p => p.create_web_call(ids))
    }

    async fn create_phone_call(
        &self,
        ids: &ExternalRef,
        call: &PhoneCallRequest,
    ) -> Result<String, ProviderError> {
        dispatch!(self, p => p.create_phone_call(ids, call))
    }

    async fn get_call(&self, call_id: &str) -> Result<CallRecord, ProviderError> {
        dispatch!(self, p => p.get_call(call_id))
    }

    async fn find_call(
        &self,
        ids: &ExternalRef,
        attempt_key: Uuid,
        since: DateTime<Utc>,
    ) -> Result<Option<String>, ProviderError> {
        dispatch!(self, p => p.find_call(ids, attempt_key, since))
    }

    async fn agent_webhook_url(&self, ids: &ExternalRef) -> Result<Option<String>, ProviderError> {
        dispatch!(self, p => p.agent_webhook_url(ids))
    }

    fn verify_webhook(
        &self,
        headers: &::http::HeaderMap,
        body: &[u8],
        shared_secret: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WebhookError> {
        match self {
            Voice::Sandbox(p) => p.verify_webhook(headers, body, shared_secret, now),
            Voice::Vapi(p) => p.verify_webhook(headers, body, shared_secret, now),
            Voice::Retell(p) => p.verify_webhook(headers, body, shared_secret, now),
        }
    }

    fn parse_webhook(&self, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        match self {
            Voice::Sandbox(p) => p.parse_webhook(body),
            Voice::Vapi(p) => p.parse_webhook(body),
            Voice::Retell(p) => p.parse_webhook(body),
        }
    }
}

/// A header's value as text, if present and readable.
fn header<'a>(headers: &'a ::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The knowledge block appended to a prompt: each active linked document as a section.
pub fn prompt_with_knowledge(prompt: &str, documents: &[(String, String)]) -> String {
    if documents.is_empty() {
        return prompt.trim_end().to_owned();
    }
    let mut out = prompt.trim_end().to_owned();
    out.push_str("\n\n--- KNOWLEDGE BASE ---\n");
    out.push_str("Answer from the documents below when they cover the question.\n");
    for (title, content) in documents {
        out.push_str("\n## ");
        out.push_str(title.trim());
        out.push('\n');
        out.push_str(content.trim());
        out.push('\n');
    }
    out.push_str("--- END KNOWLEDGE BASE ---");
    out
}
