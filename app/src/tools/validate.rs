//! Checking an agent's tools for its provider, with a message per field.

use super::kind::ToolKind;
use super::model::{HTTP_METHODS, Tool};
use crate::error::{AddFieldError, FieldErrors};
use crate::integrations::model::AgentProvider;
use crate::phone::E164;

/// Whether `name` is a tool or function name: `^[a-zA-Z_][a-zA-Z0-9_]*$`, at most 64.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64
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
            errors.add(format!("tools.{i}.{field}"), message);
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
                        errors.add(
                            format!("tools.{i}.headers.{h}"),
                            "Header names use letters, digits, - and _.",
                        );
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
            ToolKind::TransferCall if E164::parse(tool.transfer_number.trim()).is_none() => {
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
    use crate::tools::model::DEFAULT_PARAMETERS;

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
