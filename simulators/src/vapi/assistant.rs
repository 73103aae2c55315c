//! What VAPI's DTO validation refuses in an assistant: unknown properties at every
//! level, values out of range; its tools in `tools`.

use serde_json::{Map, Value};

use super::tools::check_tool;
use crate::check::Checker;

pub(super) const ASSISTANT_KEYS: [&str; 30] = [
    "name",
    "firstMessage",
    "firstMessageMode",
    "firstMessageInterruptionsEnabled",
    "model",
    "voice",
    "transcriber",
    "server",
    "serverMessages",
    "clientMessages",
    "metadata",
    "endCallMessage",
    "endCallPhrases",
    "voicemailMessage",
    "voicemailDetection",
    "maxDurationSeconds",
    "silenceTimeoutSeconds",
    "backgroundSound",
    "backgroundDenoisingEnabled",
    "modelOutputInMessagesEnabled",
    "analysisPlan",
    "artifactPlan",
    "startSpeakingPlan",
    "stopSpeakingPlan",
    "monitorPlan",
    "hooks",
    "credentialIds",
    "compliancePlan",
    "transportConfigurations",
    "keypadInputPlan",
];

const SERVER_MESSAGES: [&str; 19] = [
    "conversation-update",
    "end-of-call-report",
    "function-call",
    "hang",
    "language-changed",
    "language-change-detected",
    "model-output",
    "phone-call-control",
    "speech-update",
    "status-update",
    "transcript",
    "transcript[transcriptType=\"final\"]",
    "tool-calls",
    "transfer-destination-request",
    "transfer-update",
    "user-interrupted",
    "voice-input",
    "assistant.started",
    "chat.created",
];

const MODEL_PROVIDERS: [&str; 12] = [
    "openai",
    "anthropic",
    "google",
    "groq",
    "custom-llm",
    "deep-seek",
    "xai",
    "vapi",
    "together-ai",
    "perplexity-ai",
    "deepinfra",
    "openrouter",
];

/// Checks an assistant body (create or update) like VAPI's DTO validation.
pub fn check_assistant(body: &Value) -> Vec<String> {
    let mut c = Checker::default();
    let Some(map) = c.object(body, "") else {
        return c.errors;
    };
    c.only(map, &ASSISTANT_KEYS, "");
    c.string(map, "name", "");
    if map
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.chars().count() > 40)
    {
        c.errors
            .push("name must be shorter than or equal to 40 characters".into());
    }
    c.string(map, "firstMessage", "");
    c.one_of(
        map,
        "firstMessageMode",
        &[
            "assistant-speaks-first",
            "assistant-speaks-first-with-model-generated-message",
            "assistant-waits-for-user",
        ],
        "",
    );
    c.range(map, "maxDurationSeconds", 10.0, 43200.0, "");
    c.string_array(map, "endCallPhrases", "");
    if let Some(list) = map.get("serverMessages") {
        match list.as_array() {
            Some(items)
                if items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| SERVER_MESSAGES.contains(&s))) => {}
            _ => c.errors.push(format!(
                "each value in serverMessages must be one of the following values: {}",
                SERVER_MESSAGES.join(", ")
            )),
        }
    }
    if let Some(model) = map.get("model").and_then(|v| c.object(v, "model.")) {
        check_model(&mut c, model);
    }
    if let Some(voice) = map.get("voice").and_then(|v| c.object(v, "voice.")) {
        c.required(voice, "provider", "voice.");
        c.required(voice, "voiceId", "voice.");
        if voice.get("provider").and_then(Value::as_str) == Some("11labs") {
            c.only(
                voice,
                &[
                    "provider",
                    "voiceId",
                    "model",
                    "stability",
                    "similarityBoost",
                    "style",
                    "useSpeakerBoost",
                    "speed",
                    "optimizeStreamingLatency",
                    "enableSsmlParsing",
                    "language",
                    "chunkPlan",
                    "fallbackPlan",
                    "cachingEnabled",
                    "autoMode",
                ],
                "voice.",
            );
            c.range(voice, "stability", 0.0, 1.0, "voice.");
            c.range(voice, "similarityBoost", 0.0, 1.0, "voice.");
            c.range(voice, "speed", 0.7, 1.2, "voice.");
        }
    }
    if let Some(t) = map
        .get("transcriber")
        .and_then(|v| c.object(v, "transcriber."))
    {
        c.required(t, "provider", "transcriber.");
        c.only(
            t,
            &[
                "provider",
                "model",
                "language",
                "smartFormat",
                "keywords",
                "keyterm",
                "endpointing",
                "numerals",
                "confidenceThreshold",
                "fallbackPlan",
            ],
            "transcriber.",
        );
    }
    if let Some(server) = map.get("server").and_then(|v| c.object(v, "server.")) {
        check_server(&mut c, server, "server.");
    }
    if let Some(plan) = map
        .get("artifactPlan")
        .and_then(|v| c.object(v, "artifactPlan."))
    {
        c.only(
            plan,
            &[
                "recordingEnabled",
                "recordingFormat",
                "videoRecordingEnabled",
                "pcapEnabled",
                "transcriptPlan",
                "recordingPath",
                "structuredOutputIds",
                "loggingEnabled",
            ],
            "artifactPlan.",
        );
        c.boolean(plan, "recordingEnabled", "artifactPlan.");
    }
    if let Some(plan) = map
        .get("analysisPlan")
        .and_then(|v| c.object(v, "analysisPlan."))
    {
        c.only(
            plan,
            &[
                "summaryPlan",
                "structuredDataPlan",
                "structuredDataMultiPlan",
                "successEvaluationPlan",
                "minMessagesThreshold",
            ],
            "analysisPlan.",
        );
        for key in ["summaryPlan", "structuredDataPlan", "successEvaluationPlan"] {
            let path = format!("analysisPlan.{key}.");
            if let Some(inner) = plan.get(key).and_then(|v| c.object(v, &path)) {
                c.only(
                    inner,
                    &["enabled", "messages", "timeoutSeconds", "rubric", "schema"],
                    &path,
                );
                c.boolean(inner, "enabled", &path);
                if let Some(schema) = inner.get("schema") {
                    check_schema(&mut c, schema, &format!("{path}schema."));
                }
            }
        }
    }
    if let Some(metadata) = map.get("metadata") {
        c.object(metadata, "metadata.");
    }
    c.errors
}

/// A JSON schema as VAPI takes one (`JsonSchema`): a `type` it knows, `properties` of an
/// object each a schema in turn, `items` of an array.
fn check_schema(c: &mut Checker, schema: &Value, path: &str) {
    let Some(map) = c.object(schema, path) else {
        return;
    };
    c.only(
        map,
        &[
            "type",
            "description",
            "properties",
            "items",
            "required",
            "enum",
            "title",
        ],
        path,
    );
    let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
    if !["string", "number", "integer", "boolean", "array", "object"].contains(&kind) {
        c.errors.push(format!(
            "{path}type must be one of the following values: string, number, integer, boolean, array, object"
        ));
    }
    c.string(map, "description", path);
    if let Some(properties) = map.get("properties")
        && let Some(props) = c.object(properties, &format!("{path}properties."))
    {
        for (name, inner) in props {
            check_schema(c, inner, &format!("{path}properties.{name}."));
        }
    }
    if let Some(items) = map.get("items") {
        check_schema(c, items, &format!("{path}items."));
    }
}

pub(super) fn check_server(c: &mut Checker, server: &Map<String, Value>, path: &str) {
    c.only(
        server,
        &[
            "url",
            "headers",
            "timeoutSeconds",
            "credentialId",
            "backoffPlan",
            "staticIpAddressesEnabled",
            "encryptedPaths",
        ],
        path,
    );
    c.url(server, "url", path);
    c.range(server, "timeoutSeconds", 1.0, 300.0, path);
    if let Some(headers) = server
        .get("headers")
        .and_then(|v| c.object(v, &format!("{path}headers.")))
    {
        for (k, v) in headers {
            if !v.is_string() {
                c.errors.push(format!("{path}headers.{k} must be a string"));
            }
        }
    }
}

fn check_model(c: &mut Checker, model: &Map<String, Value>) {
    let p = "model.";
    c.only(
        model,
        &[
            "provider",
            "model",
            "messages",
            "tools",
            "toolIds",
            "temperature",
            "maxTokens",
            "knowledgeBase",
            "knowledgeBaseId",
            "emotionRecognitionEnabled",
            "numFastTurns",
        ],
        p,
    );
    c.required(model, "provider", p);
    c.required(model, "model", p);
    c.one_of(model, "provider", &MODEL_PROVIDERS, p);
    c.range(model, "temperature", 0.0, 2.0, p);
    c.range(model, "maxTokens", 50.0, 10000.0, p);
    c.string_array(model, "toolIds", p);
    if let Some(messages) = model.get("messages").and_then(Value::as_array) {
        for (i, m) in messages.iter().enumerate() {
            let path = format!("model.messages.{i}.");
            if let Some(m) = c.object(m, &path) {
                c.only(m, &["role", "content"], &path);
                c.one_of(
                    m,
                    "role",
                    &["assistant", "function", "user", "system", "tool"],
                    &path,
                );
                c.string(m, "content", &path);
            }
        }
    }
    if let Some(tools) = model.get("tools").and_then(Value::as_array) {
        for (i, t) in tools.iter().enumerate() {
            check_tool(c, t, &format!("model.tools.{i}."));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_properties_are_refused_at_every_level() {
        let errors = check_assistant(&json!({
            "name": "x",
            "serverUrl": "https://old.example.com",
            "model": {"provider": "openai", "model": "gpt-4o", "maxTokens": 10,
                       "tools": [{"type": "endCall", "serverUrl": "https://x.example.com"}]},
        }));
        assert!(errors.contains(&"property serverUrl should not exist".to_owned()));
        assert!(errors.contains(&"model.tools.0.property serverUrl should not exist".to_owned()));
        assert!(errors.contains(&"model.maxTokens must not be less than 50".to_owned()));
    }

    #[test]
    fn a_well_formed_assistant_passes() {
        let errors = check_assistant(&json!({
            "name": "Front desk",
            "firstMessage": "Hi",
            "model": {"provider": "openai", "model": "gpt-4o", "messages": [{"role": "system", "content": "You help."}],
                       "tools": [{"type": "transferCall", "destinations": [{"type": "number", "number": "+14155550100"}]}]},
            "voice": {"provider": "11labs", "voiceId": "21m00Tcm4TlvDq8ikWAM", "speed": 1.0},
            "server": {"url": "https://app.example.com/api/webhooks/vapi", "headers": {"x-vapi-secret": "s"}},
            "serverMessages": ["status-update", "end-of-call-report"],
        }));
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn structured_data_schemas_are_checked() {
        let errors = check_assistant(&json!({
            "analysisPlan": {"structuredDataPlan": {"enabled": "yes", "schema": {
                "type": "object",
                "properties": {"when": {"type": "date"}, "ok": {"type": "boolean", "format": "x"}},
            }}},
        }));
        assert_eq!(
            errors,
            [
                "analysisPlan.structuredDataPlan.enabled must be a boolean value",
                "analysisPlan.structuredDataPlan.schema.properties.ok.property format should not exist",
                "analysisPlan.structuredDataPlan.schema.properties.when.type must be one of the following values: string, number, integer, boolean, array, object",
            ]
        );
    }
}
