//! Checking an agent draft against the product's limits (Appendix B), reported per field
//! so the form can put each message beside its input.

use super::model::{AgentDraft, Direction, LANGUAGES, language_model};
use crate::error::{AddFieldError, FieldErrors};
use crate::tools::validate::validate_tools;
use crate::variables::model::{VariableCategory, validate_variable};

pub const NAME_MAX: usize = 40;
pub const PROMPT_MAX: usize = 50_000;
pub const FIRST_MESSAGE_MAX: usize = 1_000;

/// Checks a draft; `workspace_variables` are the names the workspace already defines (an
/// agent variable may not repeat one). `voice_ok` says whether the voice is in the
/// provider's catalogue (the server knows; the browser passes `true`).
pub fn validate_draft(
    draft: &AgentDraft,
    workspace_variables: &[&str],
    voice_ok: bool,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let name = draft.name.trim();
    if name.is_empty() {
        errors.add("name", "Give the agent a name.");
    } else if name.chars().count() > NAME_MAX {
        errors.add("name", "Keep the name to 40 characters or fewer.");
    }
    if draft.description.chars().count() > 1000 {
        errors.add(
            "description",
            "Keep the description under 1,000 characters.",
        );
    }
    let c = &draft.config;
    if !LANGUAGES.iter().any(|(code, _)| *code == c.language) {
        errors.add("config.language", "Choose one of the listed languages.");
    }
    if c.voice_id.trim().is_empty() {
        errors.add("config.voice_id", "Choose a voice.");
    } else if !voice_ok {
        errors.add(
            "config.voice_id",
            "That voice is not in this provider's catalogue. Choose another.",
        );
    }
    if !(0.5..=2.0).contains(&c.voice_speed) {
        errors.add("config.voice_speed", "Speed goes from 0.5 to 2.");
    }
    if !(0.0..=1.0).contains(&c.voice_stability) {
        errors.add("config.voice_stability", "Stability goes from 0 to 1.");
    }
    if !(0.0..=1.0).contains(&c.voice_similarity) {
        errors.add("config.voice_similarity", "Similarity goes from 0 to 1.");
    }
    let prompt = c.system_prompt.trim();
    if prompt.is_empty() {
        errors.add(
            "config.system_prompt",
            "Tell the agent who it is and what to do.",
        );
    } else if prompt.chars().count() > PROMPT_MAX {
        errors.add(
            "config.system_prompt",
            "Keep the prompt under 50,000 characters.",
        );
    }
    match draft.direction {
        Direction::Inbound if c.first_message.trim().is_empty() => errors.add(
            "config.first_message",
            "Inbound agents answer with a greeting. Write what the agent says first.",
        ),
        _ if c.first_message.chars().count() > FIRST_MESSAGE_MAX => errors.add(
            "config.first_message",
            "Keep the greeting under 1,000 characters.",
        ),
        _ => {}
    }
    if language_model(&c.model).is_none() {
        errors.add("config.model", "Choose one of the listed models.");
    }
    if !(0.0..=2.0).contains(&c.temperature) {
        errors.add("config.temperature", "Temperature goes from 0 to 2.");
    }
    if !(1..=4096).contains(&c.max_tokens) {
        errors.add("config.max_tokens", "Max tokens goes from 1 to 4,096.");
    }
    if !(60..=3600).contains(&c.max_duration_seconds) {
        errors.add(
            "config.max_duration_seconds",
            "Calls can last from 60 to 3,600 seconds.",
        );
    }
    if c.end_call_phrases.len() > 20
        || c.end_call_phrases
            .iter()
            .any(|p| p.trim().is_empty() || p.chars().count() > 100)
    {
        errors.add(
            "config.end_call_phrases",
            "Up to 20 phrases of at most 100 characters each.",
        );
    }
    let url = c.tools_server_url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        errors.add(
            "config.tools_server_url",
            "Give the full http(s):// address of your tools server.",
        );
    }
    if c.tools.len() > 30 {
        errors.add("config.tools", "An agent can have at most 30 tools.");
    }
    validate_tools(&c.tools, draft.provider, url, &mut errors);
    let mut taken: Vec<&str> = workspace_variables.to_vec();
    for (i, variable) in c.variables.iter().enumerate() {
        validate_variable(variable, &taken, &format!("variables.{i}."), &mut errors);
        if variable.category != VariableCategory::Agent {
            errors.add(
                format!("variables.{i}.category"),
                "Agent variables belong to the agent category.",
            );
        }
        taken.push(variable.name.trim());
    }
    if draft.knowledge_document_ids.len() > 50 {
        errors.add("knowledge_document_ids", "Link at most 50 documents.");
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::model::AgentProvider;
    use crate::tools::kind::ToolKind;
    use crate::tools::model::Tool;
    use crate::variables::model::Variable;

    fn good() -> AgentDraft {
        let mut d = AgentDraft::new(AgentProvider::Vapi);
        d.name = "Front desk".into();
        d.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
        d.config.system_prompt = "You answer calls for Acme.".into();
        d.config.first_message = "Hi, Acme here.".into();
        d
    }

    #[test]
    fn a_complete_draft_passes() {
        assert!(validate_draft(&good(), &[], true).is_empty());
    }

    #[test]
    fn limits_are_reported_per_field() {
        let mut d = good();
        d.name = "x".repeat(41);
        d.config.temperature = 2.5;
        d.config.max_tokens = 0;
        d.config.max_duration_seconds = 30;
        d.config.voice_speed = 3.0;
        d.config.model = "gpt-9".into();
        let errors = validate_draft(&d, &[], false);
        for field in [
            "name",
            "config.temperature",
            "config.max_tokens",
            "config.max_duration_seconds",
            "config.voice_speed",
            "config.model",
            "config.voice_id",
        ] {
            assert!(
                errors.contains_key(field),
                "{field} missing from {errors:?}"
            );
        }
    }

    #[test]
    fn only_inbound_agents_need_a_greeting() {
        let mut d = good();
        d.config.first_message.clear();
        assert!(validate_draft(&d, &[], true).contains_key("config.first_message"));
        d.direction = Direction::Outbound;
        assert!(validate_draft(&d, &[], true).is_empty());
    }

    #[test]
    fn agent_variables_may_not_repeat_workspace_ones() {
        let mut d = good();
        d.config.variables = vec![Variable {
            name: "plan".into(),
            description: String::new(),
            default_value: String::new(),
            is_required: false,
            category: VariableCategory::Agent,
        }];
        assert!(validate_draft(&d, &["plan"], true).contains_key("variables.0.name"));
        assert!(validate_draft(&d, &["tier"], true).is_empty());
    }

    #[test]
    fn tools_are_checked_for_the_provider() {
        let mut d = good();
        d.provider = AgentProvider::Retell;
        d.config.tools = vec![Tool::new(ToolKind::Handoff)];
        assert!(validate_draft(&d, &[], true).contains_key("tools.0.kind"));
    }
}
