//! The agent wizard's steps, decided on the server. The wizard is a plain form: the whole
//! draft travels in one hidden field (`draft`, JSON), the step on screen posts its own
//! fields over it, and the button pressed (`intent`) says what happens next: another
//! step, a tool or variable added or removed, or the agent saved. [`advance`] is that
//! decision, with the same rules the server applies when it saves, so a step refuses to
//! go on with the message beside its field, with or without JavaScript.

use crate::agents::model::{AgentDraft, AgentProvider, Direction};
use crate::agents::validate::validate_draft;
use crate::error::FieldErrors;
use crate::tools::kind::ToolKind;
use crate::tools::model::{Tool, ToolHeader, TransferMode};
use crate::variables::model::{Variable, VariableCategory};

pub const STEPS: [&str; 3] = ["Setup & voice", "Prompts & tools", "Review"];
pub const LAST_STEP: usize = STEPS.len() - 1;

/// Which step a field is edited in.
pub fn step_of(field: &str) -> usize {
    const FIRST: [&str; 8] = [
        "name",
        "description",
        "provider",
        "direction",
        "config.language",
        "config.voice_id",
        "config.voice_speed",
        "knowledge_document_ids",
    ];
    if FIRST.contains(&field) { 0 } else { 1 }
}

/// The earliest step holding one of `errors`' fields.
pub fn first_step_with(errors: &FieldErrors) -> Option<usize> {
    errors.keys().map(|k| step_of(k)).min()
}

/// The wizard as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct WizardView {
    pub draft: AgentDraft,
    pub step: usize,
    pub errors: FieldErrors,
    /// A message for the whole form (the draft could not be read, the save failed).
    pub message: Option<String>,
}

impl WizardView {
    pub fn start(draft: AgentDraft) -> Self {
        Self {
            draft,
            step: 0,
            errors: FieldErrors::new(),
            message: None,
        }
    }
}

/// What the pressed button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Next,
    Back,
    Step(usize),
    AddTool,
    RemoveTool(usize),
    AddHeader(usize),
    AddVariable,
    RemoveVariable(usize),
    Save,
}

impl Intent {
    /// `next`, `back`, `step-2`, `add-tool`, `remove-tool-0`, `add-header-0`,
    /// `add-variable`, `remove-variable-1`, `save`; anything else reads as `next`, the
    /// button Enter presses.
    pub fn parse(text: &str) -> Self {
        let numbered = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|n| n.parse::<usize>().ok())
        };
        match text {
            "back" => Self::Back,
            "add-tool" => Self::AddTool,
            "add-variable" => Self::AddVariable,
            "save" => Self::Save,
            _ => {
                if let Some(n) = numbered("step-") {
                    Self::Step(n.min(LAST_STEP))
                } else if let Some(i) = numbered("remove-tool-") {
                    Self::RemoveTool(i)
                } else if let Some(i) = numbered("add-header-") {
                    Self::AddHeader(i)
                } else if let Some(i) = numbered("remove-variable-") {
                    Self::RemoveVariable(i)
                } else {
                    Self::Next
                }
            }
        }
    }

    pub fn as_value(self) -> String {
        match self {
            Self::Next => "next".into(),
            Self::Back => "back".into(),
            Self::Step(n) => format!("step-{n}"),
            Self::AddTool => "add-tool".into(),
            Self::RemoveTool(i) => format!("remove-tool-{i}"),
            Self::AddHeader(i) => format!("add-header-{i}"),
            Self::AddVariable => "add-variable".into(),
            Self::RemoveVariable(i) => format!("remove-variable-{i}"),
            Self::Save => "save".into(),
        }
    }
}

/// A posted form, as its name and value pairs in order.
#[derive(Debug, Clone, Default)]
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// What the wizard does with a post.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Show this step of this draft.
    Show(WizardView),
    /// Every step is right: save the draft.
    Save(AgentDraft),
}

/// What the page knows that the post does not.
pub struct Context<'a> {
    /// Editing an existing agent: its provider is fixed and every step is open.
    pub editing: bool,
    /// The workspace's own variable names, which prompts may use.
    pub workspace_variables: &'a [&'a str],
    /// The voice a new agent of this provider starts with.
    pub default_voice: &'a (dyn Fn(AgentProvider) -> String + Sync),
}

/// The next view of the wizard after `posted`, or the draft to save.
pub fn advance(posted: &Posted, ctx: &Context<'_>) -> Outcome {
    let step = posted
        .get("step")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0)
        .min(LAST_STEP);
    let Some(mut draft) = posted
        .get("draft")
        .and_then(|json| serde_json::from_str::<AgentDraft>(json).ok())
    else {
        let mut view = WizardView::start(AgentDraft::new(AgentProvider::Sandbox));
        view.draft.config.voice_id = (ctx.default_voice)(AgentProvider::Sandbox);
        view.message =
            Some("The form could not be read, so it starts again. Nothing was saved.".to_owned());
        return Outcome::Show(view);
    };
    match step {
        0 => apply_setup(&mut draft, posted, ctx),
        1 => apply_prompts(&mut draft, posted),
        _ => {}
    }
    let intent = Intent::parse(posted.get("intent").unwrap_or_default());
    let show = |draft: AgentDraft, step: usize, errors: FieldErrors| {
        Outcome::Show(WizardView {
            draft,
            step,
            errors,
            message: None,
        })
    };
    // The errors of the steps up to `upto`, by the server's own rules.
    let errors_upto = |draft: &AgentDraft, upto: usize| -> FieldErrors {
        validate_draft(draft, ctx.workspace_variables, true)
            .into_iter()
            .filter(|(field, _)| step_of(field) <= upto)
            .collect()
    };
    // Goes to `to` when the steps before it are right, else to the first wrong one.
    let go = |draft: AgentDraft, to: usize| {
        let errors = if to == 0 {
            FieldErrors::new()
        } else {
            errors_upto(&draft, to - 1)
        };
        match first_step_with(&errors) {
            Some(wrong) => show(draft, wrong, errors),
            None => show(draft, to, FieldErrors::new()),
        }
    };
    match intent {
        Intent::Next => go(draft, (step + 1).min(LAST_STEP)),
        Intent::Back => show(draft, step.saturating_sub(1), FieldErrors::new()),
        Intent::Step(to) if to <= step || ctx.editing => show(draft, to, FieldErrors::new()),
        Intent::Step(to) => go(draft, to),
        Intent::AddTool => {
            if let Some(kind) = posted
                .get("add_tool_kind")
                .and_then(ToolKind::parse)
                .filter(|k| k.supports(draft.provider))
            {
                add_tool(&mut draft, kind);
            }
            show(draft, step, FieldErrors::new())
        }
        Intent::RemoveTool(i) => {
            if i < draft.config.tools.len() {
                draft.config.tools.remove(i);
            }
            show(draft, step, FieldErrors::new())
        }
        Intent::AddHeader(i) => {
            if let Some(tool) = draft.config.tools.get_mut(i) {
                tool.headers.push(ToolHeader::default());
            }
            show(draft, step, FieldErrors::new())
        }
        Intent::AddVariable => {
            draft.config.variables.push(Variable {
                name: String::new(),
                description: String::new(),
                default_value: String::new(),
                is_required: false,
                category: VariableCategory::Agent,
            });
            show(draft, step, FieldErrors::new())
        }
        Intent::RemoveVariable(i) => {
            if i < draft.config.variables.len() {
                draft.config.variables.remove(i);
            }
            show(draft, step, FieldErrors::new())
        }
        Intent::Save => {
            let errors = errors_upto(&draft, LAST_STEP);
            match first_step_with(&errors) {
                Some(wrong) => show(draft, wrong, errors),
                None => Outcome::Save(draft),
            }
        }
    }
}

/// A new tool of `kind`, named apart from the agent's others (book_appointment_2, …).
fn add_tool(draft: &mut AgentDraft, kind: ToolKind) {
    let mut tool = Tool::new(kind);
    let base = tool.name.clone();
    let mut n = 2;
    while draft.config.tools.iter().any(|t| t.name == tool.name) {
        tool.name = format!("{base}_{n}");
        n += 1;
    }
    draft.config.tools.push(tool);
}

/// Step 1's fields over the draft. The provider is fixed once an agent exists; a new
/// agent that changes provider takes the voice picked in that provider's list.
fn apply_setup(draft: &mut AgentDraft, posted: &Posted, ctx: &Context<'_>) {
    if let Some(name) = posted.get("name") {
        draft.name = name.to_owned();
    }
    if let Some(description) = posted.get("description") {
        draft.description = description.to_owned();
    }
    if !ctx.editing
        && let Some(provider) = posted.get("provider").and_then(AgentProvider::parse)
        && provider != draft.provider
    {
        draft.provider = provider;
        draft.config.voice_id = (ctx.default_voice)(provider);
    }
    if let Some(direction) = posted.get("direction").and_then(Direction::parse) {
        draft.direction = direction;
    }
    // A checkbox that is not ticked is not posted at all.
    draft.allow_outbound = draft.direction == Direction::Inbound && posted.has("allow_outbound");
    if let Some(language) = posted.get("language") {
        draft.config.language = language.to_owned();
    }
    if let Some(voice) = posted.get(&format!("voice.{}", draft.provider.as_str())) {
        draft.config.voice_id = voice.to_owned();
    }
    if let Some(speed) = posted.get("voice_speed") {
        draft.config.voice_speed = speed.trim().parse().unwrap_or(f32::NAN);
    }
    if posted.has("knowledge_shown") {
        draft.knowledge_document_ids = posted
            .all("knowledge")
            .filter_map(|id| uuid::Uuid::parse_str(id).ok())
            .collect();
        draft.knowledge_document_ids.dedup();
    }
}

/// Step 2's fields over the draft: prompts, model, tools and variables.
fn apply_prompts(draft: &mut AgentDraft, posted: &Posted) {
    let config = &mut draft.config;
    let text = |name: &str, into: &mut String| {
        if let Some(v) = posted.get(name) {
            *into = v.to_owned();
        }
    };
    text("system_prompt", &mut config.system_prompt);
    text("first_message", &mut config.first_message);
    text("model", &mut config.model);
    text("tools_server_url", &mut config.tools_server_url);
    if let Some(t) = posted.get("temperature") {
        config.temperature = t.trim().parse().unwrap_or(f32::NAN);
    }
    if let Some(t) = posted.get("max_tokens") {
        config.max_tokens = t.trim().parse().unwrap_or(0);
    }
    if let Some(t) = posted.get("max_duration_seconds") {
        config.max_duration_seconds = t.trim().parse().unwrap_or(0);
    }
    if let Some(phrases) = posted.get("end_call_phrases") {
        config.end_call_phrases = phrases
            .split(',')
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();
    }
    for (i, tool) in config.tools.iter_mut().enumerate() {
        let field = |f: &str| format!("tool.{i}.{f}");
        if !posted.has(&field("shown")) {
            continue;
        }
        let text = |f: &str, into: &mut String| {
            if let Some(v) = posted.get(&field(f)) {
                *into = v.to_owned();
            }
        };
        text("name", &mut tool.name);
        text("description", &mut tool.description);
        text("url", &mut tool.url);
        text("method", &mut tool.method);
        text("parameters", &mut tool.parameters);
        text("transfer_number", &mut tool.transfer_number);
        text("assistant_id", &mut tool.assistant_id);
        text("code", &mut tool.code);
        text("file_ids", &mut tool.file_ids);
        text("cal_api_key", &mut tool.cal_api_key);
        text("event_type_id", &mut tool.event_type_id);
        text("timezone", &mut tool.timezone);
        text("sms_text", &mut tool.sms_text);
        text("message", &mut tool.message);
        if let Some(mode) = posted.get(&field("transfer_mode")) {
            tool.transfer_mode = if mode == "warm" {
                TransferMode::Warm
            } else {
                TransferMode::Cold
            };
        }
        tool.enabled = posted.has(&field("enabled"));
        for (h, header) in tool.headers.iter_mut().enumerate() {
            if let Some(name) = posted.get(&field(&format!("header.{h}.name"))) {
                header.name = name.to_owned();
            }
            if let Some(value) = posted.get(&field(&format!("header.{h}.value"))) {
                header.value = value.to_owned();
            }
        }
    }
    for (i, variable) in config.variables.iter_mut().enumerate() {
        let field = |f: &str| format!("variable.{i}.{f}");
        if let Some(v) = posted.get(&field("name")) {
            variable.name = v.to_owned();
        }
        if let Some(v) = posted.get(&field("description")) {
            variable.description = v.to_owned();
        }
        if let Some(v) = posted.get(&field("default_value")) {
            variable.default_value = v.to_owned();
        }
    }
}

#[cfg(test)]
mod tests;
