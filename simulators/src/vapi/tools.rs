//! What VAPI accepts in an assistant's tools: the keys of each tool type and their values.

use serde_json::Value;

use super::assistant::check_server;
use crate::check::Checker;

const TRANSFER_MODES: [&str; 6] = [
    "blind-transfer",
    "blind-transfer-add-summary-to-sip-header",
    "warm-transfer-say-message",
    "warm-transfer-say-summary",
    "warm-transfer-wait-for-operator-to-speak-first-and-then-say-message",
    "warm-transfer-wait-for-operator-to-speak-first-and-then-say-summary",
];

/// The keys each tool type accepts, besides `type`.
fn tool_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "endCall" => &["function", "messages", "rejectionPlan"],
        "dtmf" => &[
            "function",
            "messages",
            "rejectionPlan",
            "sipInfoDtmfEnabled",
        ],
        "transferCall" | "handoff" => &["function", "messages", "rejectionPlan", "destinations"],
        "function" => &[
            "function",
            "messages",
            "rejectionPlan",
            "server",
            "async",
            "variableExtractionPlan",
        ],
        "apiRequest" => &[
            "name",
            "description",
            "method",
            "url",
            "headers",
            "body",
            "timeoutSeconds",
            "credentialId",
            "backoffPlan",
            "variableExtractionPlan",
            "messages",
            "rejectionPlan",
        ],
        "code" => &[
            "function",
            "messages",
            "rejectionPlan",
            "code",
            "environmentVariables",
            "timeoutSeconds",
        ],
        "bash" | "textEditor" => &["subType", "name", "server", "function", "messages"],
        "computer" => &[
            "subType",
            "name",
            "server",
            "function",
            "messages",
            "displayWidthPx",
            "displayHeightPx",
            "displayNumber",
        ],
        "query" => &["function", "messages", "knowledgeBases", "rejectionPlan"],
        "mcp" => &[
            "function",
            "messages",
            "server",
            "metadata",
            "rejectionPlan",
        ],
        "google.calendar.event.create"
        | "google.calendar.availability.check"
        | "google.sheets.row.append"
        | "slack.message.send"
        | "sms"
        | "gohighlevel.calendar.availability.check"
        | "gohighlevel.calendar.event.create"
        | "gohighlevel.contact.create"
        | "gohighlevel.contact.get" => &["function", "messages", "metadata", "rejectionPlan"],
        _ => return None,
    })
}

pub(super) fn check_tool(c: &mut Checker, tool: &Value, path: &str) {
    let Some(t) = c.object(tool, path) else {
        return;
    };
    let kind = t.get("type").and_then(Value::as_str).unwrap_or_default();
    let Some(keys) = tool_keys(kind) else {
        c.errors
            .push(format!("{path}type must be a valid tool type"));
        return;
    };
    let mut allowed = vec!["type"];
    allowed.extend_from_slice(keys);
    c.only(t, &allowed, path);
    if let Some(f) = t
        .get("function")
        .and_then(|v| c.object(v, &format!("{path}function.")))
    {
        let fp = format!("{path}function.");
        c.only(f, &["name", "description", "parameters", "strict"], &fp);
        c.required(f, "name", &fp);
        c.function_name(f, "name", &fp);
        c.string(f, "description", &fp);
        c.object_schema(f, "parameters", &fp);
    }
    if kind == "function" {
        if !t.contains_key("function") {
            c.errors.push(format!("{path}function should not be empty"));
        }
        c.boolean(t, "async", path);
    }
    if let Some(server) = t
        .get("server")
        .and_then(|v| c.object(v, &format!("{path}server.")))
    {
        check_server(c, server, &format!("{path}server."));
    }
    if let Some(messages) = t.get("messages").and_then(Value::as_array) {
        for (i, m) in messages.iter().enumerate() {
            let mp = format!("{path}messages.{i}.");
            if let Some(m) = c.object(m, &mp) {
                c.only(
                    m,
                    &[
                        "type",
                        "content",
                        "contents",
                        "blocking",
                        "conditions",
                        "timingMilliseconds",
                        "role",
                        "end",
                    ],
                    &mp,
                );
                c.one_of(
                    m,
                    "type",
                    &[
                        "request-start",
                        "request-complete",
                        "request-failed",
                        "request-response-delayed",
                    ],
                    &mp,
                );
            }
        }
    }
    match kind {
        "apiRequest" => {
            c.required(t, "method", path);
            c.required(t, "url", path);
            c.one_of(
                t,
                "method",
                &["POST", "GET", "PUT", "PATCH", "DELETE"],
                path,
            );
            c.url(t, "url", path);
            c.function_name(t, "name", path);
            c.range(t, "timeoutSeconds", 1.0, 300.0, path);
            c.object_schema(t, "body", path);
            c.object_schema(t, "headers", path);
        }
        "transferCall" | "handoff" => {
            if let Some(destinations) = t.get("destinations").and_then(Value::as_array) {
                for (i, d) in destinations.iter().enumerate() {
                    let dp = format!("{path}destinations.{i}.");
                    let Some(d) = c.object(d, &dp) else { continue };
                    match d.get("type").and_then(Value::as_str) {
                        Some("number") => {
                            c.only(
                                d,
                                &[
                                    "type",
                                    "number",
                                    "extension",
                                    "callerId",
                                    "message",
                                    "description",
                                    "transferPlan",
                                    "numberE164CheckEnabled",
                                ],
                                &dp,
                            );
                            c.required(d, "number", &dp);
                            c.e164(d, "number", &dp);
                            if let Some(plan) = d
                                .get("transferPlan")
                                .and_then(|v| c.object(v, &format!("{dp}transferPlan.")))
                            {
                                let pp = format!("{dp}transferPlan.");
                                c.only(
                                    plan,
                                    &[
                                        "mode",
                                        "message",
                                        "sipVerb",
                                        "summaryPlan",
                                        "holdAudioUrl",
                                        "transferCompleteAudioUrl",
                                        "twiml",
                                        "timeout",
                                    ],
                                    &pp,
                                );
                                c.one_of(plan, "mode", &TRANSFER_MODES, &pp);
                            }
                        }
                        Some("sip") => {
                            c.only(
                                d,
                                &[
                                    "type",
                                    "sipUri",
                                    "sipHeaders",
                                    "message",
                                    "description",
                                    "transferPlan",
                                ],
                                &dp,
                            );
                            c.required(d, "sipUri", &dp);
                        }
                        Some("assistant") => {
                            c.only(
                                d,
                                &[
                                    "type",
                                    "assistantName",
                                    "assistantId",
                                    "message",
                                    "description",
                                    "transferMode",
                                    "variableExtractionPlan",
                                ],
                                &dp,
                            );
                            if !d.contains_key("assistantName") && !d.contains_key("assistantId") {
                                c.errors
                                    .push(format!("{dp}assistantId should not be empty"));
                            }
                        }
                        _ => c.errors.push(format!(
                            "{dp}type must be one of the following values: number, sip, assistant"
                        )),
                    }
                }
            }
        }
        "code" => {
            c.required(t, "code", path);
            c.string(t, "code", path);
        }
        "bash" | "computer" | "textEditor" => {
            c.required(t, "subType", path);
            c.required(t, "name", path);
            let sub = match kind {
                "bash" => "bash_20241022",
                "computer" => "computer_20241022",
                _ => "text_editor_20241022",
            };
            c.one_of(t, "subType", &[sub], path);
        }
        "query" => {
            if let Some(kbs) = t.get("knowledgeBases").and_then(Value::as_array) {
                for (i, kb) in kbs.iter().enumerate() {
                    let kp = format!("{path}knowledgeBases.{i}.");
                    if let Some(kb) = c.object(kb, &kp) {
                        c.only(
                            kb,
                            &["provider", "model", "name", "description", "fileIds"],
                            &kp,
                        );
                        c.required(kb, "name", &kp);
                        c.required(kb, "description", &kp);
                        c.string_array(kb, "fileIds", &kp);
                    }
                }
            }
        }
        "mcp" if !t.contains_key("server") => {
            c.errors.push(format!("{path}server should not be empty"));
        }
        _ => {}
    }
}
