//! What Retell refuses in a Retell LLM: unknown fields, models, ranges, and its tools'
//! types and keys.

use serde_json::Value;

use crate::check::Checker;

const LLM_KEYS: [&str; 16] = [
    "model",
    "s2s_model",
    "model_temperature",
    "model_high_priority",
    "tool_call_strict_mode",
    "general_prompt",
    "begin_message",
    "start_speaker",
    "begin_after_user_silence_ms",
    "general_tools",
    "states",
    "starting_state",
    "default_dynamic_variables",
    "knowledge_base_ids",
    "kb_config",
    "mcps",
];

const MODELS: [&str; 12] = [
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "claude-4.5-sonnet",
    "claude-4.5-haiku",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
];

pub fn check_llm(body: &Value) -> Vec<String> {
    let mut c = Checker::default();
    let Some(map) = c.object(body, "") else {
        return c.errors;
    };
    for key in map.keys() {
        if !LLM_KEYS.contains(&key.as_str()) {
            c.errors.push(format!("Unknown field: {key}"));
        }
    }
    c.one_of(map, "model", &MODELS, "");
    c.range(map, "model_temperature", 0.0, 1.0, "");
    c.one_of(map, "start_speaker", &["user", "agent"], "");
    c.string(map, "general_prompt", "");
    if let Some(defaults) = map
        .get("default_dynamic_variables")
        .and_then(|v| c.object(v, "default_dynamic_variables."))
    {
        for (k, v) in defaults {
            if !v.is_string() {
                c.errors
                    .push(format!("default_dynamic_variables.{k} must be a string"));
            }
        }
    }
    if let Some(tools) = map.get("general_tools") {
        match tools.as_array() {
            Some(tools) => {
                let mut names: Vec<&str> = vec![];
                for (i, t) in tools.iter().enumerate() {
                    check_tool(&mut c, t, &format!("general_tools[{i}]."));
                    if let Some(name) = t.get("name").and_then(Value::as_str) {
                        if names.contains(&name) {
                            c.errors
                                .push(format!("general_tools[{i}].name must be unique: {name}"));
                        }
                        names.push(name);
                    }
                }
            }
            None => c.errors.push("general_tools must be an array".into()),
        }
    }
    c.errors
}

fn tool_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "end_call" => &[
            "name",
            "description",
            "speak_during_execution",
            "execution_message_description",
            "execution_message_type",
        ],
        "transfer_call" => &[
            "name",
            "description",
            "transfer_destination",
            "transfer_option",
            "custom_sip_headers",
            "ignore_e164_validation",
            "speak_during_execution",
            "execution_message_description",
            "execution_message_type",
        ],
        "press_digit" => &["name", "description", "delay_ms"],
        "check_availability_cal" | "book_appointment_cal" => &[
            "name",
            "description",
            "cal_api_key",
            "event_type_id",
            "timezone",
        ],
        "send_sms" => &[
            "name",
            "description",
            "sms_content",
            "speak_during_execution",
            "execution_message_description",
            "execution_message_type",
        ],
        "custom" => &[
            "name",
            "description",
            "url",
            "method",
            "headers",
            "query_params",
            "parameters",
            "response_variables",
            "speak_during_execution",
            "speak_after_execution",
            "execution_message_description",
            "execution_message_type",
            "timeout_ms",
            "args_at_root",
        ],
        _ => return None,
    })
}

fn check_tool(c: &mut Checker, tool: &Value, path: &str) {
    let Some(t) = c.object(tool, path) else {
        return;
    };
    let kind = t.get("type").and_then(Value::as_str).unwrap_or_default();
    let Some(keys) = tool_keys(kind) else {
        c.errors
            .push(format!("{path}type is not a valid tool type: {kind}"));
        return;
    };
    for key in t.keys() {
        if key != "type" && !keys.contains(&key.as_str()) {
            c.errors.push(format!("{path}unknown field: {key}"));
        }
    }
    c.required(t, "name", path);
    c.function_name(t, "name", path);
    c.string(t, "description", path);
    c.one_of(
        t,
        "execution_message_type",
        &["prompt", "static_text"],
        path,
    );
    match kind {
        "transfer_call" => {
            let ok = c.required(t, "transfer_destination", path)
                & c.required(t, "transfer_option", path);
            if !ok {
                return;
            }
            if let Some(d) = t
                .get("transfer_destination")
                .and_then(|v| c.object(v, &format!("{path}transfer_destination.")))
            {
                let dp = format!("{path}transfer_destination.");
                match d.get("type").and_then(Value::as_str) {
                    Some("predefined") => {
                        c.required(d, "number", &dp);
                        c.e164(d, "number", &dp);
                    }
                    Some("inferred") => {
                        c.required(d, "prompt", &dp);
                    }
                    _ => c
                        .errors
                        .push(format!("{dp}type must be predefined or inferred")),
                }
            }
            if let Some(o) = t
                .get("transfer_option")
                .and_then(|v| c.object(v, &format!("{path}transfer_option.")))
            {
                c.one_of(
                    o,
                    "type",
                    &["cold_transfer", "warm_transfer", "agentic_warm_transfer"],
                    &format!("{path}transfer_option."),
                );
            }
        }
        "check_availability_cal" | "book_appointment_cal" => {
            c.required(t, "cal_api_key", path);
            c.required(t, "event_type_id", path);
        }
        "send_sms" => {
            if c.required(t, "sms_content", path)
                && let Some(s) = t
                    .get("sms_content")
                    .and_then(|v| c.object(v, &format!("{path}sms_content.")))
            {
                let sp = format!("{path}sms_content.");
                match s.get("type").and_then(Value::as_str) {
                    Some("predefined") => {
                        c.required(s, "content", &sp);
                    }
                    Some("inferred") => {
                        c.required(s, "prompt", &sp);
                    }
                    _ => c
                        .errors
                        .push(format!("{sp}type must be predefined or inferred")),
                }
            }
        }
        "custom" => {
            c.required(t, "url", path);
            c.required(t, "description", path);
            c.required(t, "speak_after_execution", path);
            c.required(t, "speak_during_execution", path);
            c.url(t, "url", path);
            c.one_of(
                t,
                "method",
                &["GET", "POST", "PUT", "PATCH", "DELETE"],
                path,
            );
            c.range(t, "timeout_ms", 1000.0, 600000.0, path);
            c.object_schema(t, "parameters", path);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn llms_refuse_unknown_fields_and_bad_tools() {
        let errors = check_llm(&json!({
            "model": "gpt-4o-latest",
            "model_temperature": 1.5,
            "prompt": "x",
            "general_tools": [{"type": "custom", "name": "book", "url": "https://x.example.com/t"}],
        }));
        assert!(errors.iter().any(|e| e == "Unknown field: prompt"));
        assert!(errors.iter().any(|e| e.starts_with("model must be one of")));
        assert!(
            errors
                .iter()
                .any(|e| e == "model_temperature must not be greater than 1")
        );
        assert!(
            errors
                .iter()
                .any(|e| e == "general_tools[0].description should not be empty")
        );
    }
}
