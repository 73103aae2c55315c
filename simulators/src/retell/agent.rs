//! What Retell refuses in an agent: unknown fields, languages, voices it does not have,
//! ranges, and an LLM the key cannot see.

use serde_json::{Value, json};

use crate::check::Checker;

const AGENT_KEYS: [&str; 40] = [
    "agent_name",
    "response_engine",
    "voice_id",
    "voice_model",
    "voice_temperature",
    "voice_speed",
    "volume",
    "responsiveness",
    "interruption_sensitivity",
    "enable_backchannel",
    "backchannel_frequency",
    "backchannel_words",
    "reminder_trigger_ms",
    "reminder_max_count",
    "ambient_sound",
    "ambient_sound_volume",
    "language",
    "webhook_url",
    "webhook_events",
    "webhook_timeout_ms",
    "boosted_keywords",
    "enable_transcription_formatting",
    "opt_out_sensitive_data_storage",
    "pronunciation_dictionary",
    "normalize_for_speech",
    "end_call_after_silence_ms",
    "max_call_duration_ms",
    "voicemail_option",
    "post_call_analysis_data",
    "post_call_analysis_model",
    "analysis_summary_prompt",
    "begin_message_delay_ms",
    "ring_duration_ms",
    "stt_mode",
    "denoising_mode",
    "data_storage_setting",
    "pii_config",
    "timezone",
    "version_description",
    "is_public",
];

const LANGUAGES: [&str; 16] = [
    "en-US", "en-IN", "en-GB", "en-AU", "en-NZ", "de-DE", "es-ES", "es-419", "hi-IN", "fr-FR",
    "fr-CA", "ja-JP", "pt-PT", "pt-BR", "zh-CN", "it-IT",
];

pub(super) fn voices() -> Value {
    json!([
        {"voice_id": "11labs-Adrian", "voice_name": "Adrian", "provider": "elevenlabs", "gender": "male", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/adrian.wav"},
        {"voice_id": "11labs-Anna", "voice_name": "Anna", "provider": "elevenlabs", "gender": "female", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/anna.wav"},
        {"voice_id": "11labs-Brian", "voice_name": "Brian", "provider": "elevenlabs", "gender": "male", "accent": "American", "age": "Middle Aged", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/brian.wav"},
        {"voice_id": "11labs-Dorothy", "voice_name": "Dorothy", "provider": "elevenlabs", "gender": "female", "accent": "British", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/dorothy.wav"},
        {"voice_id": "11labs-Lily", "voice_name": "Lily", "provider": "elevenlabs", "gender": "female", "accent": "British", "age": "Middle Aged", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/lily.wav"},
        {"voice_id": "openai-Alloy", "voice_name": "Alloy", "provider": "openai", "gender": "female", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/alloy.wav"},
        {"voice_id": "retell-Cimo", "voice_name": "Cimo", "provider": "platform", "gender": "female", "accent": "American", "age": "Young", "preview_audio_url": "https://retell-utils-public.s3.us-west-2.amazonaws.com/cimo.wav"},
    ])
}

pub fn check_agent(body: &Value, creating: bool, llms: &[String]) -> Vec<String> {
    let mut c = Checker::default();
    let Some(map) = c.object(body, "") else {
        return c.errors;
    };
    for key in map.keys() {
        if !AGENT_KEYS.contains(&key.as_str()) {
            c.errors.push(format!("Unknown field: {key}"));
        }
    }
    if creating {
        c.required(map, "response_engine", "");
        c.required(map, "voice_id", "");
    }
    if let Some(engine) = map
        .get("response_engine")
        .and_then(|v| c.object(v, "response_engine."))
    {
        match engine.get("type").and_then(Value::as_str) {
            Some("retell-llm") => {
                let id = engine
                    .get("llm_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if !llms.iter().any(|l| l == id) {
                    c.errors
                        .push(format!("response_engine.llm_id not found: {id}"));
                }
            }
            Some("custom-llm" | "conversation-flow") => {}
            _ => c.errors.push(
                "response_engine.type must be one of retell-llm, custom-llm, conversation-flow"
                    .into(),
            ),
        }
    }
    if let Some(voice) = map.get("voice_id") {
        let known = voices();
        let ok = voice.as_str().is_some_and(|v| {
            known
                .as_array()
                .is_some_and(|list| list.iter().any(|k| k["voice_id"] == v))
        });
        if !ok {
            c.errors
                .push(format!("voice_id is not a valid voice: {voice}"));
        }
    }
    c.range(map, "voice_speed", 0.5, 2.0, "");
    c.range(map, "voice_temperature", 0.0, 2.0, "");
    c.range(map, "max_call_duration_ms", 60000.0, 7200000.0, "");
    c.one_of(map, "language", &LANGUAGES, "");
    if let Some(url) = map.get("webhook_url")
        && !url.is_null()
    {
        c.url(map, "webhook_url", "");
    }
    if let Some(fields) = map.get("post_call_analysis_data") {
        check_analysis_data(&mut c, fields);
    }
    c.errors
}

/// `post_call_analysis_data`: an array of `{type, name, description}` (string fields may
/// give `examples`, enum fields must give `choices`).
fn check_analysis_data(c: &mut Checker, fields: &Value) {
    let Some(list) = fields.as_array() else {
        c.errors
            .push("post_call_analysis_data must be an array".into());
        return;
    };
    for (i, field) in list.iter().enumerate() {
        let path = format!("post_call_analysis_data.{i}.");
        let Some(f) = c.object(field, &path) else {
            continue;
        };
        let kind = f.get("type").and_then(Value::as_str).unwrap_or_default();
        let allowed: &[&str] = match kind {
            "string" => &["type", "name", "description", "examples", "required"],
            "enum" => &["type", "name", "description", "choices", "required"],
            "boolean" | "number" => &["type", "name", "description", "required"],
            _ => {
                c.errors.push(format!(
                    "{path}type must be one of string, enum, boolean, number"
                ));
                continue;
            }
        };
        c.only(f, allowed, &path);
        for key in ["name", "description"] {
            if c.required(f, key, &path) {
                c.string(f, key, &path);
            }
        }
        if kind == "enum" && !f.get("choices").is_some_and(Value::is_array) {
            c.errors.push(format!("{path}choices must be an array"));
        }
        if let Some(examples) = f.get("examples")
            && !examples
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string))
        {
            c.errors
                .push(format!("{path}examples must be an array of strings"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_need_a_known_llm_and_voice() {
        let errors = check_agent(
            &json!({"response_engine": {"type": "retell-llm", "llm_id": "llm_x"}, "voice_id": "21m00Tcm4TlvDq8ikWAM", "language": "es-MX"}),
            true,
            &[],
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn post_call_analysis_fields_are_checked() {
        let errors = check_agent(
            &json!({"post_call_analysis_data": [
                {"type": "string", "name": "when", "description": "d", "examples": [3]},
                {"type": "date", "name": "x", "description": "d"},
                {"type": "enum", "name": "mood", "description": "d"},
                {"type": "boolean", "description": "d", "colour": "red"},
            ]}),
            false,
            &[],
        );
        assert_eq!(
            errors,
            [
                "post_call_analysis_data.0.examples must be an array of strings",
                "post_call_analysis_data.1.type must be one of string, enum, boolean, number",
                "post_call_analysis_data.2.choices must be an array",
                "post_call_analysis_data.3.property colour should not exist",
                "post_call_analysis_data.3.name should not be empty",
            ]
        );
    }
}
