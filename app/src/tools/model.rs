//! Function tools an agent can use during a call, in one provider-neutral shape;
//! `providers::vapi` and `providers::retell` map them to each provider's JSON. One flat
//! struct (rather than an enum of structs) keeps the editor simple: it shows the fields the
//! kind uses (`tools::kind`) and the rest stay empty.

use serde::{Deserialize, Serialize};

use super::kind::ToolKind;

/// An HTTP header an API-request tool sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolHeader {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferMode {
    /// The caller is put through at once.
    #[default]
    Cold,
    /// The agent briefs the person first.
    Warm,
}

/// One tool of an agent. Fields a kind does not use stay empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub kind: ToolKind,
    /// What the model calls it: letters, digits and `_`, not starting with a digit.
    pub name: String,
    pub description: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// JSON schema of the arguments, as written (an object schema).
    #[serde(default)]
    pub parameters: String,
    #[serde(default)]
    pub url: String,
    /// API request: GET, POST, PUT, PATCH or DELETE.
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub headers: Vec<ToolHeader>,
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
    /// Function: the call goes on while the server works.
    #[serde(default)]
    pub run_async: bool,
    /// Said while the tool runs.
    #[serde(default)]
    pub message: String,
    /// Transfer: E.164 number.
    #[serde(default)]
    pub transfer_number: String,
    #[serde(default)]
    pub transfer_mode: TransferMode,
    /// Handoff: the VAPI assistant id.
    #[serde(default)]
    pub assistant_id: String,
    /// Code: the TypeScript the provider runs with the arguments.
    #[serde(default)]
    pub code: String,
    /// Query: provider file ids, comma separated.
    #[serde(default)]
    pub file_ids: String,
    /// Cal.com: API key, event type and timezone.
    #[serde(default)]
    pub cal_api_key: String,
    #[serde(default)]
    pub event_type_id: String,
    #[serde(default)]
    pub timezone: String,
    /// SMS: fixed text; empty lets the agent write it.
    #[serde(default)]
    pub sms_text: String,
}

fn yes() -> bool {
    true
}

pub const HTTP_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
pub const DEFAULT_PARAMETERS: &str =
    "{\n  \"type\": \"object\",\n  \"properties\": {},\n  \"required\": []\n}";

impl Tool {
    /// A new tool of `kind` with its defaults filled in.
    pub fn new(kind: ToolKind) -> Self {
        Self {
            kind,
            name: kind.default_name().to_owned(),
            description: String::new(),
            enabled: true,
            parameters: if kind.has_parameters() {
                DEFAULT_PARAMETERS.to_owned()
            } else {
                String::new()
            },
            url: String::new(),
            method: if kind == ToolKind::ApiRequest {
                "POST".into()
            } else {
                String::new()
            },
            headers: vec![],
            timeout_seconds: None,
            run_async: false,
            message: String::new(),
            transfer_number: String::new(),
            transfer_mode: TransferMode::Cold,
            assistant_id: String::new(),
            code: String::new(),
            file_ids: String::new(),
            cal_api_key: String::new(),
            event_type_id: String::new(),
            timezone: String::new(),
            sms_text: String::new(),
        }
    }

    /// The parameters schema as JSON (an empty object schema when none was written).
    pub fn parameters_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.parameters)
            .unwrap_or_else(|_| serde_json::json!({"type": "object", "properties": {}}))
    }
}
