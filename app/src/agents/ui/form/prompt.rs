//! Step 2 of the wizard: prompts, model settings, tools and variables.

use leptos::prelude::*;

use super::tools::ToolsEditor;
use super::{IntentButton, error_of};
use crate::agents::model::{AgentDraft, AgentFormOptions, Direction, MODELS};
use crate::agents::wizard::Intent;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Size, Variant};
use crate::components::card::Card;
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::FieldErrors;
use crate::variables::model::{Variable, VariableCategory, is_variable_name, standard_variables};

#[component]
pub(super) fn PromptStep(
    draft: AgentDraft,
    errors: FieldErrors,
    options: AgentFormOptions,
) -> impl IntoView {
    let err = |f: &str| error_of(&errors, f);
    let models: Vec<(String, String)> = MODELS
        .iter()
        .map(|m| (m.id.to_owned(), m.label.to_owned()))
        .collect();
    let prompt_error = err("config.system_prompt");
    let prompt_invalid = prompt_error.is_some();
    let greeting = (draft.direction == Direction::Inbound).then(|| {
        (
            draft.config.first_message.clone(),
            err("config.first_message"),
        )
    });
    let (model_error, temperature_error, tokens_error, duration_error, phrases_error, url_error) = (
        err("config.model"),
        err("config.temperature"),
        err("config.max_tokens"),
        err("config.max_duration_seconds"),
        err("config.end_call_phrases"),
        err("config.tools_server_url"),
    );
    let events_at = format!(
        "Call events arrive at {}/{{provider}}.",
        options.webhook_base
    );
    let palette = view! { <VariablePalette draft=draft.clone() options /> };
    let tools = view! {
        <ToolsEditor
            provider=draft.provider
            tools=draft.config.tools.clone()
            errors=errors.clone()
        />
    };
    let variables = view! { <AgentVariables variables=draft.config.variables.clone() errors /> };
    let config = draft.config;
    view! {
        <Card
            title="System prompt"
            description="Who the agent is, what it knows and how it behaves. Click a variable to insert it where the cursor is."
        >
            <div class="space-y-3">
                <div class="space-y-1.5">
                    <label for="field-system-prompt" class="block text-sm font-medium">
                        "Prompt"
                        <span class="text-danger" aria-hidden="true">
                            " *"
                        </span>
                    </label>
                    <textarea
                        id="field-system-prompt"
                        name="system_prompt"
                        rows="10"
                        aria-invalid=prompt_invalid.then_some("true")
                        class=crate::components::control_class(prompt_invalid)
                    >
                        {config.system_prompt}
                    </textarea>
                    {prompt_error
                        .map(|e| {
                            view! {
                                <p class="text-xs font-medium text-danger" role="alert">
                                    {e}
                                </p>
                            }
                        })}
                </div>
                {palette}
            </div>
        </Card>
        {match greeting {
            Some((value, error)) => {
                view! {
                    <Card title="Greeting">
                        <TextField
                            label="First message"
                            name="first_message"
                            required=true
                            hint="What the agent says when it answers. Variables work here too."
                            value
                            error
                        />
                    </Card>
                }
                    .into_any()
            }
            None => {
                view! {
                    <p class="rounded-lg bg-surface-2 px-4 py-3 text-sm text-muted">
                        "Outbound agents have no greeting: they wait for the person who answers to speak first."
                    </p>
                }
                    .into_any()
            }
        }}
        <Card title="Model and limits">
            <div class="grid gap-4 sm:grid-cols-2">
                <Select
                    label="Model"
                    name="model"
                    options=models
                    value=config.model
                    error=model_error
                />
                <NumberField
                    label="Temperature (0–2)"
                    name="temperature"
                    step="0.1"
                    error=temperature_error
                    value=number(config.temperature)
                />
                <NumberField
                    label="Max tokens per reply (1–4096)"
                    name="max_tokens"
                    step="1"
                    error=tokens_error
                    value=config.max_tokens.to_string()
                />
                <NumberField
                    label="Longest call in seconds (60–3600)"
                    name="max_duration_seconds"
                    step="30"
                    error=duration_error
                    value=config.max_duration_seconds.to_string()
                />
            </div>
            <div class="mt-4">
                <TextField
                    label="End-call phrases"
                    name="end_call_phrases"
                    hint="Separate with commas, like: goodbye, talk soon"
                    error=phrases_error
                    value=config.end_call_phrases.join(", ")
                />
            </div>
        </Card>
        <Card title="Tools" description="What the agent can do during a call.">
            <div class="space-y-4" id="tools">
                <TextField
                    label="Tools server URL"
                    name="tools_server_url"
                    kind="url"
                    hint="Custom functions send their arguments here unless a tool names its own URL."
                    placeholder="https://example.com/tools"
                    error=url_error
                    value=config.tools_server_url
                />
                {tools}
                <p class="text-xs text-muted">{events_at}</p>
            </div>
        </Card>
        {variables}
    }
}

/// A number as the field shows it: what does not parse stays empty for the person to fix.
fn number(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        String::new()
    }
}

#[component]
fn NumberField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into)] step: String,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let id = crate::components::control_id(&name);
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium">
                {label}
            </label>
            <input
                id=id
                name=name
                type="number"
                step=step
                inputmode="decimal"
                value=value
                aria-invalid=error.is_some().then_some("true")
                class=crate::components::control_class(error.is_some())
            />
            {error
                .map(|e| {
                    view! {
                        <p class="text-xs font-medium text-danger" role="alert">
                            {e}
                        </p>
                    }
                })}
        </div>
    }
}

/// The variables a prompt may use; with the script, a click inserts one at the cursor.
#[component]
fn VariablePalette(draft: AgentDraft, options: AgentFormOptions) -> impl IntoView {
    let mut all: Vec<Variable> = standard_variables();
    all.extend(options.workspace_variables);
    all.extend(
        draft
            .config
            .variables
            .into_iter()
            .filter(|v| is_variable_name(&v.name)),
    );
    view! {
        <div class="flex flex-wrap gap-1.5" aria-label="Variables" data-testid="variable-palette">
            {all
                .into_iter()
                .map(|v| {
                    let tone = match v.category {
                        VariableCategory::Standard => Tone::Neutral,
                        VariableCategory::Agent => Tone::Brand,
                        _ => Tone::Info,
                    };
                    let token = format!("{{{{{}}}}}", v.name);
                    let shown = token.clone();
                    view! {
                        <button
                            type="button"
                            title=v.description
                            data-insert=token
                            class="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                        >
                            <Badge tone>{shown}</Badge>
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn AgentVariables(variables: Vec<Variable>, errors: FieldErrors) -> impl IntoView {
    view! {
        <Card
            title="Agent variables"
            description="Values this agent expects per call, like appointment_time. Campaigns fill them from their lists; the default is used otherwise."
        >
            <div class="space-y-3" id="variables">
                {variables
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let field = |f: &str| error_of(&errors, &format!("variables.{i}.{f}"));
                        view! {
                            <div
                                class="grid items-start gap-3 rounded-lg border border-line p-3 sm:grid-cols-[1fr_1fr_1fr_auto]"
                                data-testid="agent-variable"
                            >
                                <TextField
                                    label="Name"
                                    name=format!("variable.{i}.name")
                                    placeholder="appointment_time"
                                    error=field("name")
                                    value=v.name
                                />
                                <TextField
                                    label="Description"
                                    name=format!("variable.{i}.description")
                                    error=field("description")
                                    value=v.description
                                />
                                <TextField
                                    label="Default value"
                                    name=format!("variable.{i}.default_value")
                                    error=field("default_value")
                                    value=v.default_value
                                />
                                <div class="pt-7">
                                    <IntentButton
                                        intent=Intent::RemoveVariable(i)
                                        variant=Variant::Ghost
                                        size=Size::Medium
                                        anchor="#variables"
                                        label=format!("Remove variable {}", i + 1)
                                    >
                                        "Remove"
                                    </IntentButton>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
                <IntentButton
                    intent=Intent::AddVariable
                    variant=Variant::Secondary
                    anchor="#variables"
                >
                    "Add variable"
                </IntentButton>
            </div>
        </Card>
    }
}
