//! The agent wizard (`/w/{slug}/agents/new`) and edit form (`/w/{slug}/agents/{id}/edit`):
//! one component, three steps: setup and voice; prompts, tools and variables; review.
//! The draft lives in the browser and is checked with the same rules the server applies
//! before each step; the server's answer puts any remaining message beside its field.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use crate::agents::api::{CreateAgent, UpdateAgent, get_agent, load_agent_form};
use crate::agents::model::{
    AgentDraft, AgentFormOptions, AgentProvider, Direction, LANGUAGES, MODELS, Voice,
    validate_draft,
};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, go_to};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::{AppError, FieldErrors};
use crate::tools::ui::ToolsEditor;
use crate::variables::model::{Variable, VariableCategory, standard_variables};

mod prompt;
mod review;
mod setup;

use prompt::PromptStep;
use review::ReviewStep;
use setup::SetupStep;

const STEPS: [&str; 3] = ["Setup & voice", "Prompts & tools", "Review"];

/// Which step a field is edited in.
fn step_of(field: &str) -> usize {
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

/// The first message for `field`, for a control's `error`.
pub fn error_for(errors: RwSignal<FieldErrors>, field: String) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.get(&field).and_then(|m| m.first().cloned())))
}

#[component]
pub fn NewAgentPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let options = Resource::new(slug, load_agent_form);
    view! {
        <Title text="New agent"/>
        <Suspense>
            {move || Suspend::new(async move {
                let options = options.await?;
                let mut draft = AgentDraft::new(AgentProvider::Sandbox);
                draft.config.voice_id = default_voice(&options, AgentProvider::Sandbox);
                Ok::<_, AppError>(view! { <AgentForm slug=slug() options draft agent_id=None/> })
            })}
        </Suspense>
    }
}

#[component]
pub fn EditAgentPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|i| Uuid::parse_str(&i).ok())
            .unwrap_or_default()
    };
    let options = Resource::new(slug, load_agent_form);
    let agent = Resource::new(move || (slug(), id()), |(s, i)| get_agent(s, i));
    view! {
        <Title text="Edit agent"/>
        <Suspense>
            {move || Suspend::new(async move {
                let options = options.await?;
                let agent = agent.await?;
                Ok::<_, AppError>(view! { <AgentForm slug=slug() options draft=agent.draft agent_id=Some(agent.summary.id)/> })
            })}
        </Suspense>
    }
}

fn voices_of(options: &AgentFormOptions, provider: AgentProvider) -> Vec<Voice> {
    options
        .providers
        .iter()
        .find(|p| p.provider == provider)
        .map(|p| p.voices.clone())
        .unwrap_or_default()
}

fn default_voice(options: &AgentFormOptions, provider: AgentProvider) -> String {
    let voices = voices_of(options, provider);
    let preferred = match provider {
        AgentProvider::Retell => crate::agents::model::DEFAULT_RETELL_VOICE,
        _ => crate::agents::model::DEFAULT_VOICE,
    };
    voices
        .iter()
        .find(|v| v.id == preferred)
        .or(voices.first())
        .map(|v| v.id.clone())
        .unwrap_or_else(|| preferred.to_owned())
}

/// The wizard is one island: its steps share the draft and check it as they go.
#[island(lazy)]
fn AgentForm(
    slug: String,
    options: AgentFormOptions,
    draft: AgentDraft,
    agent_id: Option<Uuid>,
) -> impl IntoView {
    let create = ServerAction::<CreateAgent>::new();
    let update = ServerAction::<UpdateAgent>::new();
    let editing = agent_id.is_some();
    let draft = RwSignal::new(draft);
    let step = RwSignal::new(0_usize);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<String>);
    let options = StoredValue::new(options);
    let workspace_names: Vec<String> = options.with_value(|o| {
        o.workspace_variables
            .iter()
            .map(|v| v.name.clone())
            .collect()
    });
    let workspace_names = StoredValue::new(workspace_names);

    // Check the fields of the steps up to `upto` with the server's own rules.
    let check = move |upto: usize| -> bool {
        let found = draft.with(|d| {
            workspace_names.with_value(|names| {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                validate_draft(d, &names, true)
            })
        });
        let relevant: FieldErrors = found
            .into_iter()
            .filter(|(k, _)| step_of(k) <= upto)
            .collect();
        let ok = relevant.is_empty();
        if let Some(first) = relevant.keys().next() {
            step.set(step_of(first));
        }
        errors.set(relevant);
        ok
    };

    // The server's answer: go to the agent, or show its messages where they belong.
    let after_save = {
        let slug = slug.clone();
        move |result: Result<Uuid, AppError>| match result {
            Ok(id) => go_to(&format!("/w/{slug}/agents/{id}")),
            Err(AppError::Validation { fields, message }) => {
                if let Some(first) = fields.keys().next() {
                    step.set(step_of(first));
                }
                alert.set((fields.len() > 1).then_some(message));
                errors.set(fields);
            }
            Err(e) => alert.set(Some(e.to_string())),
        }
    };
    {
        let after_save = after_save.clone();
        Effect::new(move |_| {
            if let Some(result) = create.value().get() {
                after_save(result);
            }
        });
    }
    Effect::new(move |_| {
        if let Some(result) = update.value().get() {
            after_save(result.map(|()| agent_id.unwrap_or_default()));
        }
    });

    let save = {
        let slug = slug.clone();
        move || {
            alert.set(None);
            if !check(1) {
                return;
            }
            let d = draft.get_untracked();
            match agent_id {
                Some(id) => {
                    update.dispatch(UpdateAgent {
                        slug: slug.clone(),
                        id,
                        draft: d,
                    });
                }
                None => {
                    create.dispatch(CreateAgent {
                        slug: slug.clone(),
                        draft: d,
                    });
                }
            }
        }
    };
    let pending = Signal::derive(move || create.pending().get() || update.pending().get());
    let cancel_href = match agent_id {
        Some(id) => format!("/w/{slug}/agents/{id}"),
        None => format!("/w/{slug}/agents"),
    };
    let title = if editing { "Edit agent" } else { "New agent" };

    view! {
        <div class="space-y-6" data-testid="agent-form">
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
                    <p class="mt-1 text-sm text-muted">"Set up how the agent sounds, what it knows and what it can do."</p>
                </div>
                <LinkButton href=cancel_href variant=Variant::Ghost>"Cancel"</LinkButton>
            </div>
            <ol class="flex flex-wrap gap-2" aria-label="Steps">
                {STEPS.iter().enumerate().map(|(i, label)| view! {
                    <li>
                        <button type="button"
                            aria-current=move || (step.get() == i).then_some("step")
                            data-testid=format!("step-{i}")
                            class=move || format!("rounded-full px-3 py-1 text-sm font-medium {}", if step.get() == i { "bg-brand text-brand-fg" } else { "bg-surface-2 text-muted hover:text-fg" })
                            on:click=move |_| { if i <= step.get() || editing || check(i.saturating_sub(1)) { step.set(i); } }>
                            {format!("{}. {label}", i + 1)}
                        </button>
                    </li>
                }).collect_view()}
            </ol>
            <FormAlert message=alert/>
            <Show when=move || step.get() == 0>
                <SetupStep draft errors options editing/>
            </Show>
            <Show when=move || step.get() == 1>
                <PromptStep draft errors options/>
            </Show>
            <Show when=move || step.get() == 2>
                <ReviewStep draft options/>
            </Show>
            <div class="flex items-center justify-between gap-3 border-t border-line pt-4">
                <Button variant=Variant::Secondary disabled=Signal::derive(move || step.get() == 0)
                    on_click=Callback::new(move |_| step.update(|s| *s = s.saturating_sub(1)))>
                    "Back"
                </Button>
                <div class="flex gap-3">
                    {editing.then(|| {
                        let save = save.clone();
                        view! { <Button variant=Variant::Secondary loading=pending on_click=Callback::new(move |_| save())>"Save changes"</Button> }
                    })}
                    <Show when=move || { step.get() < 2 }
                        fallback={
                            let save = save.clone();
                            move || {
                                let save = save.clone();
                                view! { <Button loading=pending on_click=Callback::new(move |_| save())>{if editing { "Save changes" } else { "Create agent" }}</Button> }
                            }
                        }>
                        <Button on_click=Callback::new(move |_| { let s = step.get(); if check(s) { step.set(s + 1); } })>"Next"</Button>
                    </Show>
                </div>
            </div>
        </div>
    }
}
