use super::*;

fn ctx(editing: bool) -> Context<'static> {
    static DEFAULT: fn(AgentProvider) -> String = |p| format!("default-{}", p.as_str());
    Context {
        editing,
        workspace_variables: &[],
        default_voice: &DEFAULT,
    }
}

fn post(draft: &AgentDraft, step: usize, intent: &str, fields: &[(&str, &str)]) -> Posted {
    let mut pairs = vec![
        ("draft".to_owned(), serde_json::to_string(draft).unwrap()),
        ("step".to_owned(), step.to_string()),
        ("intent".to_owned(), intent.to_owned()),
    ];
    pairs.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Posted(pairs)
}

fn shown(outcome: Outcome) -> WizardView {
    match outcome {
        Outcome::Show(view) => view,
        Outcome::Save(_) => panic!("expected a step, got a save"),
    }
}

fn ready() -> AgentDraft {
    let mut draft = AgentDraft::new(AgentProvider::Sandbox);
    draft.name = "Ava".into();
    draft.config.voice_id = "EXAVITQu4vr4xnSDxMaL".into();
    draft.config.system_prompt = "You answer the phone for Acme.".into();
    draft.config.first_message = "Hello, Acme.".into();
    draft
}

#[test]
fn next_refuses_a_step_with_an_error_and_says_where() {
    let mut draft = AgentDraft::new(AgentProvider::Sandbox);
    draft.config.voice_id = "EXAVITQu4vr4xnSDxMaL".into();
    let view = shown(advance(
        &post(&draft, 0, "next", &[("name", "  ")]),
        &ctx(false),
    ));
    assert_eq!(view.step, 0);
    assert_eq!(view.errors["name"], vec!["Give the agent a name."]);

    let view = shown(advance(
        &post(&draft, 0, "next", &[("name", "Ava")]),
        &ctx(false),
    ));
    assert_eq!(
        (view.step, view.draft.name.as_str()),
        (1, "Ava"),
        "{:?}",
        view.errors
    );
    assert!(view.errors.is_empty(), "{:?}", view.errors);
}

#[test]
fn a_step_ahead_is_open_only_when_the_steps_before_are_right() {
    let mut draft = ready();
    draft.config.system_prompt.clear();
    let view = shown(advance(&post(&draft, 0, "step-2", &[]), &ctx(false)));
    assert_eq!(view.step, 1, "the prompt is missing");
    assert!(view.errors.contains_key("config.system_prompt"));
    // Editing, every step opens: the save checks everything.
    let view = shown(advance(&post(&draft, 0, "step-2", &[]), &ctx(true)));
    assert_eq!(view.step, 2);
    // Back never checks.
    let view = shown(advance(&post(&draft, 1, "back", &[]), &ctx(false)));
    assert_eq!(view.step, 0);
}

#[test]
fn save_goes_to_the_first_wrong_step_or_saves() {
    let mut draft = ready();
    draft.name.clear();
    draft.config.system_prompt.clear();
    let view = shown(advance(&post(&draft, 2, "save", &[]), &ctx(false)));
    assert_eq!(view.step, 0);
    assert!(view.errors.contains_key("name") && view.errors.contains_key("config.system_prompt"));

    let saved = advance(&post(&ready(), 2, "save", &[]), &ctx(false));
    assert_eq!(saved, Outcome::Save(ready()));
}

#[test]
fn a_new_provider_brings_its_own_voice_but_an_agent_keeps_its_provider() {
    let draft = ready();
    let fields = [("provider", "retell"), ("voice.retell", "11labs-Adrian")];
    let view = shown(advance(&post(&draft, 0, "back", &fields), &ctx(false)));
    assert_eq!(view.draft.provider, AgentProvider::Retell);
    assert_eq!(view.draft.config.voice_id, "11labs-Adrian");

    let view = shown(advance(
        &post(&draft, 0, "back", &[("provider", "vapi")]),
        &ctx(false),
    ));
    assert_eq!(view.draft.config.voice_id, "default-vapi");

    let view = shown(advance(&post(&draft, 0, "back", &fields), &ctx(true)));
    assert_eq!(view.draft.provider, AgentProvider::Sandbox);
    assert_eq!(view.draft.config.voice_id, "EXAVITQu4vr4xnSDxMaL");
}

#[test]
fn checkboxes_left_empty_clear_what_they_stand_for() {
    let mut draft = ready();
    draft.allow_outbound = true;
    let doc = uuid::Uuid::from_u128(7);
    draft.knowledge_document_ids = vec![doc];
    let view = shown(advance(
        &post(&draft, 0, "next", &[("knowledge_shown", "1")]),
        &ctx(false),
    ));
    assert!(!view.draft.allow_outbound);
    assert!(view.draft.knowledge_document_ids.is_empty());

    let other = uuid::Uuid::from_u128(8).to_string();
    let fields = [
        ("knowledge_shown", "1"),
        ("knowledge", other.as_str()),
        ("knowledge", "junk"),
    ];
    let view = shown(advance(&post(&draft, 0, "next", &fields), &ctx(false)));
    assert_eq!(
        view.draft.knowledge_document_ids.len(),
        1,
        "junk ids are dropped"
    );
}

#[test]
fn tools_and_variables_are_added_edited_and_removed() {
    let draft = ready();
    let fields = [("add_tool_kind", "function")];
    let view = shown(advance(&post(&draft, 1, "add-tool", &fields), &ctx(false)));
    assert_eq!(view.step, 1);
    assert_eq!(view.draft.config.tools.len(), 1);
    let again = shown(advance(
        &post(&view.draft, 1, "add-tool", &fields),
        &ctx(false),
    ));
    let names: Vec<&str> = again
        .draft
        .config
        .tools
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names[1], format!("{}_2", names[0]), "names stay apart");

    let edited = [
        ("tool.0.shown", "1"),
        ("tool.0.name", "book_cleaning"),
        ("tool.1.shown", "1"),
        ("tool.1.enabled", "on"),
    ];
    let view = shown(advance(
        &post(&again.draft, 1, "remove-tool-1", &edited),
        &ctx(false),
    ));
    assert_eq!(view.draft.config.tools.len(), 1);
    assert_eq!(view.draft.config.tools[0].name, "book_cleaning");
    assert!(
        !view.draft.config.tools[0].enabled,
        "its box was not ticked"
    );

    // A kind the provider does not run is not added.
    let mut retell = ready();
    retell.provider = AgentProvider::Retell;
    let view = shown(advance(
        &post(&retell, 1, "add-tool", &[("add_tool_kind", "bash")]),
        &ctx(false),
    ));
    assert!(view.draft.config.tools.is_empty());

    let view = shown(advance(&post(&draft, 1, "add-variable", &[]), &ctx(false)));
    let fields = [("variable.0.name", "appointment_time")];
    let view = shown(advance(&post(&view.draft, 1, "next", &fields), &ctx(false)));
    assert_eq!(view.draft.config.variables[0].name, "appointment_time");
    let view = shown(advance(
        &post(&view.draft, 1, "remove-variable-0", &[]),
        &ctx(false),
    ));
    assert!(view.draft.config.variables.is_empty());
}

#[test]
fn numbers_that_are_not_numbers_are_refused_beside_their_field() {
    let fields = [("temperature", "warm"), ("max_tokens", "-3")];
    let view = shown(advance(&post(&ready(), 1, "next", &fields), &ctx(false)));
    assert_eq!(view.step, 1);
    assert!(view.errors.contains_key("config.temperature"));
    assert!(view.errors.contains_key("config.max_tokens"));
}

#[test]
fn a_draft_that_cannot_be_read_starts_again_and_says_so() {
    let posted = Posted(vec![
        ("draft".into(), "{not json".into()),
        ("intent".into(), "save".into()),
    ]);
    let view = shown(advance(&posted, &ctx(false)));
    assert_eq!(view.step, 0);
    assert!(view.message.unwrap().contains("Nothing was saved"));
    assert_eq!(view.draft.config.voice_id, "default-sandbox");
}

#[test]
fn intents_read_back_what_they_write() {
    for intent in [
        Intent::Next,
        Intent::Back,
        Intent::Step(2),
        Intent::AddTool,
        Intent::RemoveTool(3),
        Intent::AddHeader(0),
        Intent::AddVariable,
        Intent::RemoveVariable(1),
        Intent::Save,
    ] {
        assert_eq!(Intent::parse(&intent.as_value()), intent);
    }
    assert_eq!(Intent::parse("step-99"), Intent::Step(LAST_STEP));
    assert_eq!(Intent::parse("anything"), Intent::Next);
}
