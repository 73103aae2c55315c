//! Agents as pages and server functions see them: the provider, direction and sync state,
//! the settings the wizard edits (`AgentConfig`), the options it offers and the outcomes of
//! test calls and syncs. Their validation is `agents::validate`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calls::model::{CallDirection, CallStatus};
pub use crate::integrations::model::AgentProvider;
use crate::names::stored_enum;
use crate::tools::model::Tool;
use crate::variables::model::Variable;

stored_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Direction {
        /// Answers calls; speaks first with its greeting.
        Inbound = "inbound",
        /// Places calls; waits for the person to speak.
        Outbound = "outbound",
    }
}

impl Direction {
    pub fn label(self) -> &'static str {
        CallDirection::from(self).label()
    }
}

/// An agent's calls go the agent's way unless the provider says otherwise.
impl From<Direction> for CallDirection {
    fn from(direction: Direction) -> Self {
        match direction {
            Direction::Inbound => Self::Inbound,
            Direction::Outbound => Self::Outbound,
        }
    }
}

stored_enum! {
    /// Whether the provider has the agent as it is saved here.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SyncStatus {
        /// No key is assigned for the provider, so nothing was sent.
        NotSynced = "not_synced",
        /// Saved here; the provider has not confirmed yet (or a change awaits a resync).
        Pending = "pending",
        Synced = "synced",
        /// The provider refused or could not be reached; `last_sync_error` says why.
        Error = "error",
    }
}

impl SyncStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotSynced => "Not synced",
            Self::Pending => "Syncing",
            Self::Synced => "Synced",
            Self::Error => "Sync error",
        }
    }
}

/// The voice new VAPI and Sandbox agents start with (ElevenLabs "Rachel").
pub const DEFAULT_VOICE: &str = "21m00Tcm4TlvDq8ikWAM";
/// The voice new Retell agents start with.
pub const DEFAULT_RETELL_VOICE: &str = "11labs-Adrian";

/// Languages the wizard offers (BCP 47).
pub const LANGUAGES: [(&str, &str); 10] = [
    ("en-US", "English (US)"),
    ("en-GB", "English (UK)"),
    ("es-ES", "Spanish (Spain)"),
    ("es-MX", "Spanish (Mexico)"),
    ("fr-FR", "French"),
    ("de-DE", "German"),
    ("it-IT", "Italian"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("ja-JP", "Japanese"),
    ("zh-CN", "Chinese (Mandarin)"),
];

/// A language model the agent can think with, and its name at each provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageModel {
    pub id: &'static str,
    pub label: &'static str,
    /// VAPI's `model.provider` and `model.model`.
    pub vapi_provider: &'static str,
    pub vapi_model: &'static str,
    /// Retell's `model`.
    pub retell_model: &'static str,
}

pub const MODELS: [LanguageModel; 6] = [
    LanguageModel {
        id: "gpt-4.1",
        label: "GPT-4.1",
        vapi_provider: "openai",
        vapi_model: "gpt-4.1",
        retell_model: "gpt-4.1",
    },
    LanguageModel {
        id: "gpt-4.1-mini",
        label: "GPT-4.1 mini (fast)",
        vapi_provider: "openai",
        vapi_model: "gpt-4.1-mini",
        retell_model: "gpt-4.1-mini",
    },
    LanguageModel {
        id: "gpt-4o",
        label: "GPT-4o",
        vapi_provider: "openai",
        vapi_model: "gpt-4o",
        retell_model: "gpt-4.1",
    },
    LanguageModel {
        id: "gpt-4o-mini",
        label: "GPT-4o mini",
        vapi_provider: "openai",
        vapi_model: "gpt-4o-mini",
        retell_model: "gpt-4.1-mini",
    },
    LanguageModel {
        id: "claude-sonnet",
        label: "Claude Sonnet",
        vapi_provider: "anthropic",
        vapi_model: "claude-sonnet-4-20250514",
        retell_model: "claude-4.5-sonnet",
    },
    LanguageModel {
        id: "gemini-flash",
        label: "Gemini Flash",
        vapi_provider: "google",
        vapi_model: "gemini-2.5-flash",
        retell_model: "gemini-2.5-flash",
    },
];

pub fn language_model(id: &str) -> Option<&'static LanguageModel> {
    MODELS.iter().find(|m| m.id == id)
}

/// How the agent sounds, thinks and behaves; stored as the agent's `config` JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentConfig {
    pub language: String,
    /// A voice of the provider's catalogue (`providers::voices`).
    pub voice_id: String,
    /// 0.5 (slow) to 2 (fast).
    pub voice_speed: f32,
    /// 0 to 1.
    pub voice_stability: f32,
    /// 0 to 1.
    pub voice_similarity: f32,
    pub system_prompt: String,
    /// Inbound agents only: the first thing the agent says.
    pub first_message: String,
    /// One of `MODELS`.
    pub model: String,
    /// 0 to 2.
    pub temperature: f32,
    /// 1 to 4096.
    pub max_tokens: u32,
    /// 60 to 3600.
    pub max_duration_seconds: u32,
    #[serde(default)]
    pub end_call_phrases: Vec<String>,
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// Where custom functions send their arguments unless a tool names its own URL.
    #[serde(default)]
    pub tools_server_url: String,
    /// The agent's own `{{variables}}`.
    #[serde(default)]
    pub variables: Vec<Variable>,
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self {
            language: "en-US".into(),
            voice_id: String::new(),
            voice_speed: 1.0,
            voice_stability: 0.5,
            voice_similarity: 0.75,
            system_prompt: String::new(),
            first_message: String::new(),
            model: "gpt-4.1".into(),
            temperature: 0.7,
            max_tokens: 250,
            max_duration_seconds: 600,
            end_call_phrases: vec![],
            tools: vec![],
            tools_server_url: String::new(),
            variables: vec![],
        }
    }
}

/// What the create and edit forms send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDraft {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub provider: AgentProvider,
    pub direction: Direction,
    #[serde(default)]
    pub allow_outbound: bool,
    pub config: AgentConfig,
    #[serde(default)]
    pub knowledge_document_ids: Vec<Uuid>,
}

impl AgentDraft {
    pub fn new(provider: AgentProvider) -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            provider,
            direction: Direction::Inbound,
            allow_outbound: false,
            config: AgentConfig::default(),
            knowledge_document_ids: vec![],
        }
    }
}

/// An agent card in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSummary {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub provider: AgentProvider,
    pub direction: Direction,
    pub allow_outbound: bool,
    pub is_active: bool,
    pub sync_status: SyncStatus,
    pub last_sync_error: Option<String>,
    pub needs_resync: bool,
    pub voice_name: String,
    pub model_label: String,
    pub tool_count: usize,
    pub total_calls: i32,
    pub total_seconds: i64,
    pub total_cost_cents: i64,
    pub last_call_at: Option<DateTime<Utc>>,
}

/// A linked knowledge document, as the agent page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedDocument {
    pub id: Uuid,
    pub title: String,
    pub document_type: crate::knowledge::model::DocumentType,
    pub is_active: bool,
}

/// Everything the agent page and the edit form need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDetail {
    pub summary: AgentSummary,
    pub draft: AgentDraft,
    pub documents: Vec<LinkedDocument>,
    pub external_id: Option<String>,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Where the provider sends this agent's call events.
    pub webhook_url: String,
    /// Whether a key for the provider is assigned to the workspace.
    pub has_key: bool,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// What the agent form needs besides the agent: voices per provider, documents, variables,
/// and which providers have keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentFormOptions {
    pub providers: Vec<ProviderOption>,
    pub documents: Vec<LinkedDocument>,
    pub workspace_variables: Vec<Variable>,
    pub webhook_base: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderOption {
    pub provider: AgentProvider,
    /// Whether the workspace has a key for it (Sandbox always does).
    pub has_key: bool,
    pub voices: Vec<Voice>,
    /// Why the voices could not be listed, if they could not.
    pub voices_error: Option<String>,
}

/// The voices `provider` offers in the form (none when it has no key or could not list them).
pub fn voices_of(options: &AgentFormOptions, provider: AgentProvider) -> &[Voice] {
    options
        .providers
        .iter()
        .find(|p| p.provider == provider)
        .map(|p| p.voices.as_slice())
        .unwrap_or_default()
}

/// The voice a new agent of `provider` starts with: the house default when the provider
/// offers it, else its first voice.
pub fn default_voice(options: &AgentFormOptions, provider: AgentProvider) -> String {
    default_voice_among(voices_of(options, provider), provider)
}

/// [`default_voice`] among `voices`, the provider's catalogue.
pub fn default_voice_among(voices: &[Voice], provider: AgentProvider) -> String {
    let preferred = match provider {
        AgentProvider::Retell => DEFAULT_RETELL_VOICE,
        _ => DEFAULT_VOICE,
    };
    voices
        .iter()
        .find(|v| v.id == preferred)
        .or(voices.first())
        .map_or_else(|| preferred.to_owned(), |v| v.id.clone())
}

/// A voice of a provider's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    pub id: String,
    pub name: String,
    /// `male` or `female`.
    pub gender: String,
    pub accent: String,
    pub description: String,
    pub preview_url: Option<String>,
}

/// How a test call starts in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TestCallStart {
    /// Simulated on the server and already stored; the page plays the turns back.
    Sandbox {
        conversation_id: Uuid,
        turns: Vec<crate::calls::model::Turn>,
        duration_seconds: i32,
    },
    /// The browser places the call through the provider's media stack.
    Browser(WebCallLaunch),
}

/// What the browser's call module (`frontend/js/web-calls.js`) needs, in the JSON shape it
/// reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
pub enum WebCallLaunch {
    /// VAPI's web SDK creates the call with the public key and joins it on Daily.
    #[serde(rename_all = "camelCase")]
    Vapi {
        public_key: String,
        assistant_id: String,
        api_base_url: String,
    },
    /// The call exists at Retell already; the browser joins its LiveKit room at `url`.
    #[serde(rename_all = "camelCase")]
    Retell {
        call_id: String,
        access_token: String,
        url: String,
    },
}

impl WebCallLaunch {
    pub fn provider(&self) -> AgentProvider {
        match self {
            Self::Vapi { .. } => AgentProvider::Vapi,
            Self::Retell { .. } => AgentProvider::Retell,
        }
    }
}

/// Where a browser test call stands after the server has asked the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestCallState {
    pub conversation_id: Uuid,
    pub status: CallStatus,
    pub duration_seconds: i32,
}

/// What a "call me" test call did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CallMeOutcome {
    /// Sandbox: the call was simulated and stored.
    Simulated {
        conversation_id: Uuid,
        to: String,
        turns: Vec<crate::calls::model::Turn>,
        duration_seconds: i32,
    },
    /// The provider is placing the call.
    Placed {
        call_id: String,
        from: String,
        to: String,
    },
}

/// The result of a sync, resync or webhook repair, per agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncOutcome {
    pub agent_id: Uuid,
    pub name: String,
    pub status: SyncStatus,
    pub message: Option<String>,
}

/// The webhook address an agent has at its provider compared to the one it should have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCheck {
    pub agent_id: Uuid,
    pub name: String,
    pub provider: AgentProvider,
    pub expected: String,
    pub actual: Option<String>,
    pub state: WebhookState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookState {
    Ok,
    Mismatch,
    NotSynced,
    /// The provider could not be asked.
    Unknown,
    /// Sandbox agents need no webhook.
    Builtin,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_module_gets_the_shape_it_reads() {
        // `frontend/js/web-calls.js` reads these names.
        let vapi = WebCallLaunch::Vapi {
            public_key: "pk".into(),
            assistant_id: "a-1".into(),
            api_base_url: "https://api.vapi.ai".into(),
        };
        assert_eq!(
            serde_json::to_value(&vapi).expect("json"),
            serde_json::json!({"provider": "vapi", "publicKey": "pk", "assistantId": "a-1", "apiBaseUrl": "https://api.vapi.ai"})
        );
        let retell = WebCallLaunch::Retell {
            call_id: "c".into(),
            access_token: "t".into(),
            url: "wss://x".into(),
        };
        assert_eq!(
            serde_json::to_value(&retell).expect("json"),
            serde_json::json!({"provider": "retell", "callId": "c", "accessToken": "t", "url": "wss://x"})
        );
        // `frontend/js/test-call.js` reads the launch under `Browser`.
        let start = TestCallStart::Browser(retell);
        assert_eq!(
            serde_json::to_value(&start).expect("json")["Browser"]["provider"],
            "retell"
        );
    }
}
