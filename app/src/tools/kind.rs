//! The kinds of tool an agent can use during a call: what each is called, which
//! providers run it, which fields it uses and how the editor groups it.

use serde::{Deserialize, Serialize};

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
