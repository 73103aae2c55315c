//! Function tools an agent can use during a call, in one provider-neutral shape. Each kind
//! says which providers run it; `providers::vapi` and `providers::retell` map them to each
//! provider's JSON. One flat struct (rather than an enum of structs) keeps the editor simple:
//! it shows the fields the kind uses and the rest stay empty.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::integrations::model::AgentProvider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolKind {
    EndCall,
    TransferCall,
    Dtmf,
    Handoff,
    ApiRequest,
    Function,
    Code,
    Bash,
    Computer,
    TextEditor,
    Query,
    GoogleCalendarCreateEvent,
    GoogleCalendarCheckAvailability,
    GoogleSheetsRowAppend,
    SlackSendMessage,
    Sms,
    GhlCalendarAvailability,
    GhlCalendarEventCreate,
    GhlContactCreate,
    GhlContactGet,
    Mcp,
    CalCheckAvailability,
    CalBookAppointment,
}

/// Groups for the "add tool" menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolCategory {
    CallControl,
    Api,
    Code,
    Data,
    Calendar,
    Messaging,
    Crm,
}

impl ToolCategory {
    pub fn label(self) -> &'static str {
        match self {
            Self::CallControl => "Call control",
            Self::Api => "APIs and functions",
            Self::Code => "Code",
            Self::Data => "Knowledge",
            Self::Calendar => "Calendars",
            Self::Messaging => "Messaging",
            Self::Crm => "CRM",
        }
    }
}

const ALL_PROVIDERS: &[AgentProvider] = &[
    AgentProvider::Sandbox,
    AgentProvider::Vapi,
    AgentProvider::Retell,
];
const VAPI_ONLY: &[AgentProvider] = &[AgentProvider::Sandbox, AgentProvider::Vapi];
const RETELL_ONLY: &[AgentProvider] = &[AgentProvider::Sandbox, AgentProvider::Retell];

impl ToolKind {
    pub const ALL: [Self; 23] = [
        Self::EndCall,
        Self::TransferCall,
        Self::Dtmf,
        Self::Handoff,
        Self::Function,
        Self::ApiRequest,
        Self::Code,
        Self::Bash,
        Self::Computer,
        Self::TextEditor,
        Self::Query,
        Self::GoogleCalendarCreateEvent,
        Self::GoogleCalendarCheckAvailability,
        Self::CalCheckAvailability,
        Self::CalBookAppointment,
        Self::GhlCalendarAvailability,
        Self::GhlCalendarEventCreate,
        Self::GoogleSheetsRowAppend,
        Self::SlackSendMessage,
        Self::Sms,
        Self::GhlContactCreate,
        Self::GhlContactGet,
        Self::Mcp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndCall => "end_call",
            Self::TransferCall => "transfer_call",
            Self::Dtmf => "dtmf",
            Self::Handoff => "handoff",
            Self::ApiRequest => "api_request",
            Self::Function => "function",
            Self::Code => "code",
            Self::Bash => "bash",
            Self::Computer => "computer",
            Self::TextEditor => "text_editor",
            Self::Query => "query",
            Self::GoogleCalendarCreateEvent => "google_calendar_create_event",
            Self::GoogleCalendarCheckAvailability => "google_calendar_check_availability",
            Self::GoogleSheetsRowAppend => "google_sheets_row_append",
            Self::SlackSendMessage => "slack_send_message",
            Self::Sms => "sms",
            Self::GhlCalendarAvailability => "ghl_calendar_availability",
            Self::GhlCalendarEventCreate => "ghl_calendar_event_create",
            Self::GhlContactCreate => "ghl_contact_create",
            Self::GhlContactGet => "ghl_contact_get",
            Self::Mcp => "mcp",
            Self::CalCheckAvailability => "cal_check_availability",
            Self::CalBookAppointment => "cal_book_appointment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::EndCall => "End call",
            Self::TransferCall => "Transfer call",
            Self::Dtmf => "Press keypad digits (DTMF)",
            Self::Handoff => "Hand off to another assistant",
            Self::ApiRequest => "API request",
            Self::Function => "Custom function",
            Self::Code => "Run code",
            Self::Bash => "Bash shell",
            Self::Computer => "Computer use",
            Self::TextEditor => "Text editor",
            Self::Query => "Knowledge query",
            Self::GoogleCalendarCreateEvent => "Google Calendar: create event",
            Self::GoogleCalendarCheckAvailability => "Google Calendar: check availability",
            Self::GoogleSheetsRowAppend => "Google Sheets: append row",
            Self::SlackSendMessage => "Slack: send message",
            Self::Sms => "Send SMS",
            Self::GhlCalendarAvailability => "GoHighLevel: calendar availability",
            Self::GhlCalendarEventCreate => "GoHighLevel: book calendar event",
            Self::GhlContactCreate => "GoHighLevel: create contact",
            Self::GhlContactGet => "GoHighLevel: look up contact",
            Self::Mcp => "MCP server",
            Self::CalCheckAvailability => "Cal.com: check availability",
            Self::CalBookAppointment => "Cal.com: book appointment",
        }
    }

    /// What the tool does, for the editor.
    pub fn hint(self) -> &'static str {
        match self {
            Self::EndCall => "Lets the agent hang up when the conversation is over.",
            Self::TransferCall => "Transfers the caller to a phone number.",
            Self::Dtmf => "Lets the agent press keys to navigate phone menus.",
            Self::Handoff => "Passes the call to another VAPI assistant.",
            Self::ApiRequest => {
                "Calls an HTTP endpoint directly with the values the agent collected."
            }
            Self::Function => {
                "Sends the function's arguments to your server and speaks its answer."
            }
            Self::Code => "Runs a short script on the provider with the arguments.",
            Self::Bash => "Runs shell commands through your server.",
            Self::Computer => "Controls a remote desktop through your server.",
            Self::TextEditor => "Edits files through your server.",
            Self::Query => "Searches files uploaded to the provider.",
            Self::GoogleCalendarCreateEvent => {
                "Books an event in the Google Calendar connected at VAPI."
            }
            Self::GoogleCalendarCheckAvailability => {
                "Checks free slots in the connected Google Calendar."
            }
            Self::GoogleSheetsRowAppend => "Adds a row to the connected Google Sheet.",
            Self::SlackSendMessage => "Posts a message to the connected Slack workspace.",
            Self::Sms => "Texts the caller.",
            Self::GhlCalendarAvailability => {
                "Checks availability in the connected GoHighLevel calendar."
            }
            Self::GhlCalendarEventCreate => "Books an appointment in GoHighLevel.",
            Self::GhlContactCreate => "Creates a GoHighLevel contact.",
            Self::GhlContactGet => "Finds a GoHighLevel contact.",
            Self::Mcp => "Gives the agent every tool of an MCP server.",
            Self::CalCheckAvailability => "Checks open slots of a Cal.com event type.",
            Self::CalBookAppointment => "Books a Cal.com event for the caller.",
        }
    }

    pub fn category(self) -> ToolCategory {
        match self {
            Self::EndCall | Self::TransferCall | Self::Dtmf | Self::Handoff => {
                ToolCategory::CallControl
            }
            Self::ApiRequest | Self::Function | Self::Mcp => ToolCategory::Api,
            Self::Code | Self::Bash | Self::Computer | Self::TextEditor => ToolCategory::Code,
            Self::Query => ToolCategory::Data,
            Self::GoogleCalendarCreateEvent
            | Self::GoogleCalendarCheckAvailability
            | Self::CalCheckAvailability
            | Self::CalBookAppointment
            | Self::GhlCalendarAvailability
            | Self::GhlCalendarEventCreate => ToolCategory::Calendar,
            Self::GoogleSheetsRowAppend | Self::SlackSendMessage | Self::Sms => {
                ToolCategory::Messaging
            }
            Self::GhlContactCreate | Self::GhlContactGet => ToolCategory::Crm,
        }
    }

    /// The providers that can run this tool (Sandbox simulates every one).
    pub fn providers(self) -> &'static [AgentProvider] {
        match self {
            Self::EndCall
            | Self::TransferCall
            | Self::Dtmf
            | Self::Function
            | Self::ApiRequest
            | Self::Sms => ALL_PROVIDERS,
            Self::CalCheckAvailability | Self::CalBookAppointment => RETELL_ONLY,
            _ => VAPI_ONLY,
        }
    }

    pub fn supports(self, provider: AgentProvider) -> bool {
        self.providers().contains(&provider)
    }

    /// The name a new tool of this kind gets.
    pub fn default_name(self) -> &'static str {
        match self {
            Self::EndCall => "end_call",
            Self::TransferCall => "transfer_to_human",
            Self::Dtmf => "press_digits",
            Self::Handoff => "handoff",
            Self::ApiRequest => "api_request",
            Self::Function => "my_function",
            Self::Code => "run_code",
            Self::Bash => "bash",
            Self::Computer => "computer",
            Self::TextEditor => "str_replace_editor",
            Self::Query => "search_knowledge",
            Self::GoogleCalendarCreateEvent => "book_calendar_event",
            Self::GoogleCalendarCheckAvailability => "check_calendar",
            Self::GoogleSheetsRowAppend => "log_to_sheet",
            Self::SlackSendMessage => "notify_slack",
            Self::Sms => "send_sms",
            Self::GhlCalendarAvailability => "ghl_check_availability",
            Self::GhlCalendarEventCreate => "ghl_book_appointment",
            Self::GhlContactCreate => "ghl_create_contact",
            Self::GhlContactGet => "ghl_find_contact",
            Self::Mcp => "mcp_tools",
            Self::CalCheckAvailability => "check_availability",
            Self::CalBookAppointment => "book_appointment",
        }
    }

    /// Whether the tool takes JSON-schema parameters the user writes.
    pub fn has_parameters(self) -> bool {
        matches!(
            self,
            Self::Function | Self::ApiRequest | Self::Code | Self::Handoff
        )
    }

    /// Whether the tool needs a URL (and which one the field means).
    pub fn url_label(self) -> Option<&'static str> {
        match self {
            Self::ApiRequest => Some("Request URL"),
            Self::Function => Some("Server URL (leave empty to use the agent's tools server)"),
            Self::Bash | Self::Computer | Self::TextEditor => Some("Server URL"),
            Self::Mcp => Some("MCP server URL"),
            _ => None,
        }
    }
}

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

/// Whether `name` is a tool or function name: `^[a-zA-Z_][a-zA-Z0-9_]*$`, at most 64.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64
}

/// Whether `text` looks like an E.164 number: `+` then 7 to 15 digits, not starting with 0.
pub fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

fn is_http_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.len() > 10
        && text.len() <= 2000
        && !text.contains(char::is_whitespace)
}

/// Checks every tool for `provider`, adding messages under `tools.{i}.{field}`.
/// `tools_server_url` is the agent's fallback URL for custom functions.
pub fn validate_tools(
    tools: &[Tool],
    provider: AgentProvider,
    tools_server_url: &str,
    errors: &mut FieldErrors,
) {
    let mut seen: Vec<String> = vec![];
    for (i, tool) in tools.iter().enumerate() {
        let mut add = |field: &str, message: String| {
            errors
                .entry(format!("tools.{i}.{field}"))
                .or_default()
                .push(message);
        };
        let kind = tool.kind;
        if !kind.supports(provider) {
            add(
                "kind",
                format!(
                    "{} cannot run “{}” tools. Remove it or choose another provider.",
                    provider.label(),
                    kind.label()
                ),
            );
        }
        let name = tool.name.trim();
        if !is_identifier(name) {
            add(
                "name",
                "Use letters, digits and underscores (at most 64), not starting with a digit."
                    .into(),
            );
        } else if seen.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            add("name", format!("Another tool is already called {name}."));
        } else {
            seen.push(name.to_owned());
        }
        let description = tool.description.trim();
        let needs_description = !matches!(kind, ToolKind::EndCall | ToolKind::Dtmf);
        if needs_description && description.is_empty() {
            add(
                "description",
                "Say when the agent should use this tool; the model reads it.".into(),
            );
        }
        if description.chars().count() > 1000 {
            add(
                "description",
                "Keep the description under 1,000 characters.".into(),
            );
        }
        if tool.message.chars().count() > 500 {
            add("message", "Keep the message under 500 characters.".into());
        }
        if kind.has_parameters() {
            check_parameters(&tool.parameters, &mut add);
        }
        if let Some(t) = tool.timeout_seconds
            && !(1..=300).contains(&t)
        {
            add("timeout_seconds", "Choose 1 to 300 seconds.".into());
        }
        let url = tool.url.trim();
        match kind {
            ToolKind::ApiRequest => {
                if !is_http_url(url) {
                    add("url", "Give the full http(s):// address to call.".into());
                }
                if !HTTP_METHODS.contains(&tool.method.as_str()) {
                    add("method", "Choose GET, POST, PUT, PATCH or DELETE.".into());
                }
                for (h, header) in tool.headers.iter().enumerate() {
                    let valid = !header.name.is_empty()
                        && header
                            .name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    if !valid {
                        errors
                            .entry(format!("tools.{i}.headers.{h}"))
                            .or_default()
                            .push("Header names use letters, digits, - and _.".into());
                    }
                }
            }
            ToolKind::Function => {
                let fallback = tools_server_url.trim();
                if url.is_empty() && fallback.is_empty() {
                    add(
                        "url",
                        "Where should the arguments go? Give this function a server URL or set the agent's tools server URL.".into(),
                    );
                } else if !url.is_empty() && !is_http_url(url) {
                    add(
                        "url",
                        "Give the full http(s):// address of your server.".into(),
                    );
                }
            }
            ToolKind::Bash | ToolKind::Computer | ToolKind::TextEditor | ToolKind::Mcp
                if !is_http_url(url) =>
            {
                add(
                    "url",
                    "Give the full http(s):// address of the server.".into(),
                );
            }
            ToolKind::TransferCall if !is_e164(tool.transfer_number.trim()) => {
                add(
                    "transfer_number",
                    "Give the number in international format, like +14155550100.".into(),
                );
            }
            ToolKind::Handoff if tool.assistant_id.trim().is_empty() => {
                add(
                    "assistant_id",
                    "Give the id of the VAPI assistant to hand off to.".into(),
                );
            }
            ToolKind::Code => {
                if tool.code.trim().is_empty() {
                    add("code", "Write the code to run.".into());
                } else if tool.code.len() > 20_000 {
                    add("code", "Keep the code under 20,000 characters.".into());
                }
            }
            ToolKind::Query if tool.file_ids.split(',').all(|f| f.trim().is_empty()) => {
                add(
                    "file_ids",
                    "List the provider file ids to search, separated by commas.".into(),
                );
            }
            ToolKind::CalCheckAvailability | ToolKind::CalBookAppointment => {
                if tool.cal_api_key.trim().len() < 8 {
                    add("cal_api_key", "Paste the Cal.com API key.".into());
                }
                let event = tool.event_type_id.trim();
                if event.is_empty() || !event.chars().all(|c| c.is_ascii_digit()) {
                    add(
                        "event_type_id",
                        "Give the numeric Cal.com event type id.".into(),
                    );
                }
                if tool.timezone.trim().is_empty() {
                    add(
                        "timezone",
                        "Give the timezone, like America/New_York.".into(),
                    );
                }
            }
            ToolKind::Sms if tool.sms_text.chars().count() > 1600 => {
                add("sms_text", "Keep the text under 1,600 characters.".into());
            }
            _ => {}
        }
    }
}

/// The parameters must be a JSON object schema: `{"type": "object", "properties": {...}}`.
fn check_parameters(text: &str, add: &mut impl FnMut(&str, String)) {
    if text.trim().is_empty() {
        return;
    }
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            add(
                "parameters",
                format!(
                    "This is not valid JSON (line {}, column {}).",
                    e.line(),
                    e.column()
                ),
            );
            return;
        }
    };
    if value.get("type").and_then(|t| t.as_str()) != Some("object") {
        add(
            "parameters",
            "The schema must be an object: {\"type\": \"object\", \"properties\": {…}}.".into(),
        );
        return;
    }
    let properties = value.get("properties");
    if properties.is_some_and(|p| !p.is_object()) {
        add("parameters", "\"properties\" must be an object.".into());
        return;
    }
    if let Some(required) = value.get("required") {
        let names: Option<Vec<&str>> = required
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect());
        match names {
            None => add("parameters", "\"required\" must be a list of names.".into()),
            Some(names) => {
                for name in names {
                    if properties.and_then(|p| p.get(name)).is_none() {
                        add(
                            "parameters",
                            format!("\"{name}\" is required but not among the properties."),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_for(tool: Tool, provider: AgentProvider) -> FieldErrors {
        let mut errors = FieldErrors::new();
        validate_tools(&[tool], provider, "", &mut errors);
        errors
    }

    #[test]
    fn identifiers_follow_the_function_name_rule() {
        assert!(is_identifier("book_appointment"));
        assert!(is_identifier("_x9"));
        assert!(!is_identifier("9lives"));
        assert!(!is_identifier("book-appointment"));
        assert!(!is_identifier(""));
        assert!(!is_identifier(&"a".repeat(65)));
    }

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+14155550100"));
        assert!(!is_e164("14155550100"));
        assert!(!is_e164("+0123456789"));
        assert!(!is_e164("+141555"));
        assert!(is_e164("+1415555"));
        assert!(!is_e164("+1 415 555 0100"));
    }

    #[test]
    fn a_tool_the_provider_cannot_run_is_refused() {
        let errors = errors_for(Tool::new(ToolKind::Bash), AgentProvider::Retell);
        assert!(errors["tools.0.kind"][0].contains("Retell AI cannot run"));
        let mut cal = Tool::new(ToolKind::CalBookAppointment);
        cal.description = "Book".into();
        let errors = errors_for(cal, AgentProvider::Vapi);
        assert!(errors.contains_key("tools.0.kind"));
    }

    #[test]
    fn parameter_schemas_are_checked() {
        let mut tool = Tool::new(ToolKind::Function);
        tool.description = "Look up an order".into();
        tool.url = "https://example.com/tools".into();
        tool.parameters = "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\", \"date\"]}".into();
        let errors = errors_for(tool.clone(), AgentProvider::Vapi);
        assert_eq!(
            errors["tools.0.parameters"],
            vec!["\"date\" is required but not among the properties.".to_owned()]
        );
        tool.parameters = "{\"type\": ".into();
        let errors = errors_for(tool.clone(), AgentProvider::Vapi);
        assert!(errors["tools.0.parameters"][0].starts_with("This is not valid JSON"));
        tool.parameters = DEFAULT_PARAMETERS.into();
        assert!(errors_for(tool, AgentProvider::Retell).is_empty());
    }

    #[test]
    fn functions_need_a_url_of_their_own_or_the_agents() {
        let mut tool = Tool::new(ToolKind::Function);
        tool.description = "Look up an order".into();
        assert!(errors_for(tool.clone(), AgentProvider::Vapi).contains_key("tools.0.url"));
        let mut errors = FieldErrors::new();
        validate_tools(
            &[tool],
            AgentProvider::Vapi,
            "https://hooks.example.com",
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn duplicate_names_and_bad_transfer_numbers() {
        let mut a = Tool::new(ToolKind::TransferCall);
        a.description = "To a person".into();
        a.transfer_number = "555-0100".into();
        let b = Tool::new(ToolKind::TransferCall);
        let mut errors = FieldErrors::new();
        validate_tools(&[a, b], AgentProvider::Vapi, "", &mut errors);
        assert!(errors.contains_key("tools.0.transfer_number"));
        assert!(errors["tools.1.name"][0].contains("already called"));
    }

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in ToolKind::ALL {
            assert_eq!(ToolKind::parse(kind.as_str()), Some(kind));
            assert!(kind.supports(AgentProvider::Sandbox));
        }
    }
}
