//! What the integrations pages show: never a key, only its last four characters.

use serde::{Deserialize, Serialize};

use crate::names::stored_enum;
use uuid::Uuid;

stored_enum! {
    /// Who runs an agent's calls: one of the voice providers an organisation can connect,
    /// or the built-in Sandbox.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AgentProvider {
        /// Built in: simulated calls, no keys needed.
        Sandbox = "sandbox",
        Vapi = "vapi",
        Retell = "retell",
    }
}

impl AgentProvider {
    pub fn label(self) -> &'static str {
        match self {
            Self::Sandbox => "Sandbox",
            Self::Vapi => "VAPI",
            Self::Retell => "Retell AI",
        }
    }

    pub fn blurb(self) -> &'static str {
        match self {
            Self::Sandbox => "Simulated calls, no keys needed. Try everything first.",
            Self::Vapi => "Flexible assistants with the widest tool set.",
            Self::Retell => "Natural voices and low latency.",
        }
    }

    /// The integration whose key this provider needs (none for Sandbox).
    pub fn integration(self) -> Option<Provider> {
        match self {
            Self::Sandbox => None,
            Self::Vapi => Some(Provider::Vapi),
            Self::Retell => Some(Provider::Retell),
        }
    }
}

stored_enum! {
    /// A provider an organisation can connect.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Provider {
        Vapi = "vapi",
        Retell = "retell",
        Algolia = "algolia",
    }
}

impl Provider {
    pub fn label(self) -> &'static str {
        match self {
            Self::Vapi => "VAPI",
            Self::Retell => "Retell AI",
            Self::Algolia => "Algolia",
        }
    }

    /// What the secret key is called for this provider, for forms and errors.
    pub fn secret_label(self) -> &'static str {
        match self {
            Self::Vapi => "Private API key",
            Self::Retell => "API key",
            Self::Algolia => "Admin API key",
        }
    }
}

/// An integration as lists and forms show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationSummary {
    pub id: Uuid,
    pub provider: Provider,
    pub name: String,
    pub secret_last4: String,
    pub public_last4: Option<String>,
    /// Algolia's application id (not a secret).
    pub app_id: Option<String>,
    /// Where test calls are placed from (VAPI phone-number id, Retell number).
    pub outbound_number: Option<String>,
    /// The provider account's limit of calls at once, shared by every workspace the
    /// integration is assigned to (campaigns keep under it); none when not given.
    pub concurrent_calls: Option<u32>,
    pub is_default: bool,
    pub is_active: bool,
    pub assigned_workspaces: u64,
}

/// Which integration a workspace of the organisation uses for each provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAssignments {
    pub workspace_id: Uuid,
    pub workspace_name: String,
    pub assigned: Vec<(Provider, Uuid)>,
}
