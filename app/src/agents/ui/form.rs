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

#[component]
fn SetupStep(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
    editing: bool,
) -> impl IntoView {
    let err = move |f: &str| error_for(errors, f.to_owned());
    let provider = Signal::derive(move || draft.with(|d| d.provider));
    let choose_provider = move |p: AgentProvider| {
        if editing {
            return;
        }
        let voice = options.with_value(|o| default_voice(o, p));
        draft.update(|d| {
            d.provider = p;
            d.config.voice_id = voice;
        });
    };
    let languages: Vec<(String, String)> = LANGUAGES
        .iter()
        .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
        .collect();
    let speeds = vec![
        ("0.85".to_owned(), "Slow".to_owned()),
        ("1".to_owned(), "Balanced".to_owned()),
        ("1.15".to_owned(), "Fast".to_owned()),
    ];
    view! {
        <Card title="Basic information">
            <div class="space-y-4">
                <TextField label="Agent name" name="name" required=true hint="Up to 40 characters."
                    value=Signal::derive(move || draft.with(|d| d.name.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.name = v)) error=err("name")/>
                <TextField label="Description" name="description"
                    value=Signal::derive(move || draft.with(|d| d.description.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.description = v)) error=err("description")/>
                <fieldset>
                    <legend class="text-sm font-medium">"Provider"</legend>
                    {editing.then(|| view! { <p class="text-xs text-muted">"An agent stays with its provider; duplicate it to try another."</p> })}
                    <div class="mt-2 grid gap-3 sm:grid-cols-3" role="radiogroup">
                        {AgentProvider::ALL.into_iter().map(|p| {
                            let has_key = options.with_value(|o| o.providers.iter().any(|x| x.provider == p && x.has_key));
                            view! {
                                <button type="button" role="radio" data-testid=format!("provider-{}", p.as_str())
                                    aria-checked=move || if provider.get() == p { "true" } else { "false" }
                                    disabled=editing
                                    on:click=move |_| choose_provider(p)
                                    class=move || format!("rounded-xl border p-4 text-left transition disabled:opacity-60 {}", if provider.get() == p { "border-brand ring-2 ring-brand/30" } else { "border-line hover:border-brand" })>
                                    <span class="block font-semibold">{p.label()}</span>
                                    <span class="mt-1 block text-xs text-muted">{p.blurb()}</span>
                                    {(!has_key).then(|| view! { <span class="mt-2 block text-xs text-warning">"No key assigned: the agent is saved but not synced."</span> })}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset>
                    <legend class="text-sm font-medium">"Direction"</legend>
                    <div class="mt-2 flex flex-wrap gap-4">
                        {[(Direction::Inbound, "Receives incoming calls and greets the caller."), (Direction::Outbound, "Places calls and waits for the person to speak.")].into_iter().map(|(dir, hint)| view! {
                            <label class="flex max-w-xs items-start gap-2 text-sm">
                                <input type="radio" name="direction" value=dir.as_str()
                                    prop:checked=move || draft.with(|d| d.direction == dir)
                                    on:change=move |_| draft.update(|d| d.direction = dir)/>
                                <span><span class="font-medium">{dir.label()}</span><span class="block text-xs text-muted">{hint}</span></span>
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <Show when=move || draft.with(|d| d.direction == Direction::Inbound)>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" prop:checked=move || draft.with(|d| d.allow_outbound)
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.allow_outbound = on) }/>
                        "Also allow this agent in outbound campaigns"
                    </label>
                </Show>
                <Select label="Language" name="language" options=languages
                    value=Signal::derive(move || draft.with(|d| d.config.language.clone()))
                    on_change=Callback::new(move |v| draft.update(|d| d.config.language = v)) error=err("config.language")/>
            </div>
        </Card>
        <VoicePicker draft errors options/>
        <Card title="Voice speed">
            <Select label="Speed" name="voice_speed" options=speeds
                value=Signal::derive(move || draft.with(|d| format_speed(d.config.voice_speed)))
                on_change=Callback::new(move |v: String| { if let Ok(s) = v.parse() { draft.update(|d| d.config.voice_speed = s) } })
                error=err("config.voice_speed")/>
        </Card>
        <KnowledgePicker draft errors options/>
    }
}

fn format_speed(speed: f32) -> String {
    match speed {
        s if (s - 0.85).abs() < 0.01 => "0.85".into(),
        s if (s - 1.15).abs() < 0.01 => "1.15".into(),
        _ => "1".into(),
    }
}

#[component]
fn VoicePicker(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let gender = RwSignal::new(String::new());
    let error = error_for(errors, "config.voice_id".into());
    let voices = move || {
        let provider = draft.with(|d| d.provider);
        options.with_value(|o| voices_of(o, provider))
    };
    let voices_error = move || {
        let provider = draft.with(|d| d.provider);
        options.with_value(|o| {
            o.providers
                .iter()
                .find(|p| p.provider == provider)
                .and_then(|p| p.voices_error.clone())
        })
    };
    view! {
        <Card title="Voice" description="Pick how the agent sounds. Preview plays a sample in your browser.">
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField label="Find a voice" name="voice-search" kind="search" placeholder="Name, accent or style" on_input=Callback::new(move |v| search.set(v))/>
                <Select label="Gender" name="voice-gender" value=String::new() on_change=Callback::new(move |v| gender.set(v))
                    options=vec![(String::new(), "Any".into()), ("female".into(), "Female".into()), ("male".into(), "Male".into())]/>
            </div>
            {move || voices_error().map(|e| view! { <p class="mt-3 text-sm text-danger">{e}</p> })}
            {move || error.get().map(|e| view! { <p class="mt-3 text-sm text-danger" role="alert">{e}</p> })}
            <div class="mt-4 grid max-h-96 gap-2 overflow-y-auto sm:grid-cols-2" role="radiogroup" aria-label="Voices" data-testid="voice-list">
                {move || {
                    let needle = search.get().to_lowercase();
                    let g = gender.get();
                    voices().into_iter()
                        .filter(|v| g.is_empty() || v.gender == g)
                        .filter(|v| needle.is_empty() || format!("{} {} {}", v.name, v.accent, v.description).to_lowercase().contains(&needle))
                        .map(|v| {
                            let id = v.id.clone();
                            let chosen = { let id = id.clone(); Signal::derive(move || draft.with(|d| d.config.voice_id == id)) };
                            let pick = { let id = id.clone(); move |_| draft.update(|d| d.config.voice_id = id.clone()) };
                            let sample = v.clone();
                            view! {
                                <div class=move || format!("flex items-center gap-3 rounded-lg border p-3 {}", if chosen.get() { "border-brand bg-brand/5" } else { "border-line" })>
                                    <button type="button" role="radio" aria-checked=move || if chosen.get() { "true" } else { "false" } on:click=pick
                                        data-testid="voice-option" data-voice=id.clone() class="min-w-0 flex-1 text-left">
                                        <span class="block text-sm font-medium">{v.name.clone()}</span>
                                        <span class="block truncate text-xs text-muted">{format!("{} · {} · {}", v.gender, v.accent, v.description)}</span>
                                    </button>
                                    <button type="button" class="text-xs text-brand-ink underline underline-offset-2" aria-label=format!("Preview {}", v.name)
                                        on:click=move |_| preview(&sample, draft.with_untracked(|d| d.config.voice_speed))>
                                        "Preview"
                                    </button>
                                </div>
                            }
                        }).collect_view()
                }}
            </div>
        </Card>
    }
}

/// Plays the provider's sample when it has one, else speaks a line with the browser's
/// own speech synthesis (pitched by gender), so a preview works offline.
fn preview(voice: &Voice, speed: f32) {
    #[cfg(feature = "hydrate")]
    {
        if let Some(url) = &voice.preview_url
            && let Ok(audio) = web_sys::HtmlAudioElement::new_with_src(url)
        {
            let _ = audio.play();
            return;
        }
        let Some(synth) = window().speech_synthesis().ok() else {
            return;
        };
        let text = format!("Hi, I'm {}. How can I help you today?", voice.name);
        if let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) {
            utterance.set_rate(speed);
            utterance.set_pitch(if voice.gender == "female" { 1.3 } else { 0.8 });
            synth.cancel();
            synth.speak(&utterance);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (voice, speed);
    }
}

#[component]
fn KnowledgePicker(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let documents = options.with_value(|o| o.documents.clone());
    let error = error_for(errors, "knowledge_document_ids".into());
    let slug_hint =
        "Add documents in the Knowledge Base; active ones are given to the agent with its prompt.";
    view! {
        <Card title="Knowledge" description=slug_hint>
            {if documents.is_empty() {
                view! { <p class="text-sm text-muted" data-testid="no-documents">"No documents yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2" data-testid="document-choices">
                        {documents.into_iter().map(|doc| {
                            let id = doc.id;
                            view! {
                                <li>
                                    <label class="flex items-center gap-2 text-sm">
                                        <input type="checkbox" data-testid="document-choice"
                                            prop:checked=move || draft.with(|d| d.knowledge_document_ids.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                draft.update(|d| {
                                                    d.knowledge_document_ids.retain(|x| *x != id);
                                                    if on { d.knowledge_document_ids.push(id); }
                                                });
                                            }/>
                                        <span>{doc.title.clone()}</span>
                                        <Badge>{doc.document_type.replace('_', " ")}</Badge>
                                        {(!doc.is_active).then(|| view! { <Badge tone=Tone::Warning>"Not active: not given to the agent"</Badge> })}
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || error.get().map(|e| view! { <p class="mt-2 text-sm text-danger" role="alert">{e}</p> })}
        </Card>
    }
}

#[component]
fn PromptStep(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let err = move |f: &str| error_for(errors, f.to_owned());
    let models: Vec<(String, String)> = MODELS
        .iter()
        .map(|m| (m.id.to_owned(), m.label.to_owned()))
        .collect();
    let prompt_ref = NodeRef::<leptos::html::Textarea>::new();
    let insert = move |name: String| {
        let token = format!("{{{{{name}}}}}");
        #[cfg(feature = "hydrate")]
        let at = prompt_ref
            .get_untracked()
            .and_then(|t| t.selection_start().ok().flatten())
            .map(|p| p as usize);
        #[cfg(not(feature = "hydrate"))]
        let at: Option<usize> = None;
        draft.update(|d| {
            let prompt = &mut d.config.system_prompt;
            // selectionStart counts UTF-16 units; map it back to a char boundary.
            let byte = at
                .and_then(|units| {
                    let mut seen = 0;
                    prompt.char_indices().find_map(|(i, c)| {
                        if seen >= units {
                            return Some(i);
                        }
                        seen += c.len_utf16();
                        None
                    })
                })
                .unwrap_or(prompt.len());
            prompt.insert_str(byte, &token);
        });
    };
    let webhook_base = options.with_value(|o| o.webhook_base.clone());
    view! {
        <Card title="System prompt" description="Who the agent is, what it knows and how it behaves. Click a variable to insert it where the cursor is.">
            <div class="space-y-3">
                <div class="space-y-1.5">
                    <label for="field-system-prompt" class="block text-sm font-medium">"Prompt" <span class="text-danger" aria-hidden="true">" *"</span></label>
                    <textarea id="field-system-prompt" name="system_prompt" rows="10" node_ref=prompt_ref
                        aria-invalid=move || err("config.system_prompt").get().is_some().then_some("true")
                        class=move || crate::components::control_class(err("config.system_prompt").get().is_some())
                        prop:value=move || draft.with(|d| d.config.system_prompt.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.config.system_prompt = v) }></textarea>
                    {move || err("config.system_prompt").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
                </div>
                <VariablePalette draft options on_pick=Callback::new(insert)/>
            </div>
        </Card>
        <Show when=move || draft.with(|d| d.direction == Direction::Inbound)
            fallback=|| view! { <p class="rounded-lg bg-surface-2 px-4 py-3 text-sm text-muted">"Outbound agents have no greeting: they wait for the person who answers to speak first."</p> }>
            <Card title="Greeting">
                <TextField label="First message" name="first_message" required=true hint="What the agent says when it answers. Variables work here too."
                    value=Signal::derive(move || draft.with(|d| d.config.first_message.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.config.first_message = v)) error=err("config.first_message")/>
            </Card>
        </Show>
        <Card title="Model and limits">
            <div class="grid gap-4 sm:grid-cols-2">
                <Select label="Model" name="model" options=models
                    value=Signal::derive(move || draft.with(|d| d.config.model.clone()))
                    on_change=Callback::new(move |v| draft.update(|d| d.config.model = v)) error=err("config.model")/>
                <NumberField label="Temperature (0–2)" name="temperature" step="0.1" error=err("config.temperature")
                    value=Signal::derive(move || draft.with(|d| d.config.temperature.to_string()))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.temperature = v.parse().unwrap_or(f32::NAN)))/>
                <NumberField label="Max tokens per reply (1–4096)" name="max_tokens" step="1" error=err("config.max_tokens")
                    value=Signal::derive(move || draft.with(|d| d.config.max_tokens.to_string()))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.max_tokens = v.parse().unwrap_or(0)))/>
                <NumberField label="Longest call in seconds (60–3600)" name="max_duration_seconds" step="30" error=err("config.max_duration_seconds")
                    value=Signal::derive(move || draft.with(|d| d.config.max_duration_seconds.to_string()))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.max_duration_seconds = v.parse().unwrap_or(0)))/>
            </div>
            <div class="mt-4">
                <TextField label="End-call phrases" name="end_call_phrases" hint="Separate with commas, like: goodbye, talk soon" error=err("config.end_call_phrases")
                    value=Signal::derive(move || draft.with(|d| d.config.end_call_phrases.join(", ")))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.end_call_phrases = v.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect()))/>
            </div>
        </Card>
        <Card title="Tools" description="What the agent can do during a call.">
            <div class="space-y-4">
                <TextField label="Tools server URL" name="tools_server_url" kind="url" hint="Custom functions send their arguments here unless a tool names its own URL."
                    placeholder="https://example.com/tools" error=err("config.tools_server_url")
                    value=Signal::derive(move || draft.with(|d| d.config.tools_server_url.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.config.tools_server_url = v))/>
                <ToolsEditor draft errors/>
                <p class="text-xs text-muted">{format!("Call events arrive at {webhook_base}/{{provider}}.")}</p>
            </div>
        </Card>
        <AgentVariables draft errors/>
    }
}

#[component]
pub fn NumberField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into)] step: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    on_input: Callback<String>,
) -> impl IntoView {
    let id = crate::components::control_id(&name);
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium">{label}</label>
            <input id=id name=name type="number" step=step inputmode="decimal"
                aria-invalid=move || error.get().is_some().then_some("true")
                class=move || crate::components::control_class(error.get().is_some())
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
            {move || error.get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
        </div>
    }
}

#[component]
fn VariablePalette(
    draft: RwSignal<AgentDraft>,
    options: StoredValue<AgentFormOptions>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let groups = move || {
        let mut all: Vec<Variable> = standard_variables();
        options.with_value(|o| all.extend(o.workspace_variables.iter().cloned()));
        draft.with(|d| {
            all.extend(
                d.config
                    .variables
                    .iter()
                    .filter(|v| crate::variables::model::is_variable_name(&v.name))
                    .cloned(),
            )
        });
        all
    };
    view! {
        <div class="flex flex-wrap gap-1.5" aria-label="Variables" data-testid="variable-palette">
            {move || groups().into_iter().map(|v| {
                let name = v.name.clone();
                let tone = match v.category { VariableCategory::Standard => Tone::Neutral, VariableCategory::Agent => Tone::Brand, _ => Tone::Info };
                view! {
                    <button type="button" title=v.description.clone() on:click=move |_| on_pick.run(name.clone())
                        class="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand">
                        <Badge tone>{format!("{{{{{}}}}}", v.name)}</Badge>
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn AgentVariables(draft: RwSignal<AgentDraft>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.config.variables.len()));
    let add = move |_| {
        draft.update(|d| {
            d.config.variables.push(Variable {
                name: String::new(),
                description: String::new(),
                default_value: String::new(),
                is_required: false,
                category: VariableCategory::Agent,
            })
        })
    };
    view! {
        <Card title="Agent variables" description="Values this agent expects per call, like appointment_time. Campaigns fill them from their lists; the default is used otherwise.">
            <div class="space-y-3">
                {move || (0..count.get()).map(|i| {
                    let field = move |f: &str| error_for(errors, format!("variables.{i}.{f}"));
                    let get = move |f: fn(&Variable) -> String| Signal::derive(move || draft.with(|d| d.config.variables.get(i).map(f).unwrap_or_default()));
                    view! {
                        <div class="grid items-start gap-3 rounded-lg border border-line p-3 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid="agent-variable">
                            <TextField label="Name" name=format!("variable-{i}-name") placeholder="appointment_time" error=field("name")
                                value=get(|v| v.name.clone())
                                on_input=Callback::new(move |x| draft.update(|d| if let Some(v) = d.config.variables.get_mut(i) { v.name = x }))/>
                            <TextField label="Description" name=format!("variable-{i}-description") error=field("description")
                                value=get(|v| v.description.clone())
                                on_input=Callback::new(move |x| draft.update(|d| if let Some(v) = d.config.variables.get_mut(i) { v.description = x }))/>
                            <TextField label="Default value" name=format!("variable-{i}-default") error=field("default_value")
                                value=get(|v| v.default_value.clone())
                                on_input=Callback::new(move |x| draft.update(|d| if let Some(v) = d.config.variables.get_mut(i) { v.default_value = x }))/>
                            <div class="pt-7">
                                <Button variant=Variant::Ghost label=format!("Remove variable {}", i + 1)
                                    on_click=Callback::new(move |_| draft.update(|d| { if i < d.config.variables.len() { d.config.variables.remove(i); } }))>
                                    "Remove"
                                </Button>
                            </div>
                        </div>
                    }
                }).collect_view()}
                <Button variant=Variant::Secondary on_click=Callback::new(add)>"Add variable"</Button>
            </div>
        </Card>
    }
}

#[component]
fn ReviewStep(
    draft: RwSignal<AgentDraft>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let row = |label: &'static str, value: String| {
        view! {
            <div class="flex justify-between gap-4 py-2 text-sm">
                <dt class="text-muted">{label}</dt>
                <dd class="text-right font-medium">{value}</dd>
            </div>
        }
    };
    view! {
        {move || {
            let d = draft.get();
            let voice = options.with_value(|o| voices_of(o, d.provider).into_iter().find(|v| v.id == d.config.voice_id).map(|v| v.name).unwrap_or_else(|| d.config.voice_id.clone()));
            let documents = options.with_value(|o| o.documents.iter().filter(|doc| d.knowledge_document_ids.contains(&doc.id)).map(|doc| doc.title.clone()).collect::<Vec<_>>());
            let tools = d.config.tools.iter().map(|t| format!("{} ({})", t.name, t.kind.label())).collect::<Vec<_>>();
            view! {
                <Card title="Review" description="Check the agent before saving. You can change everything later.">
                    <dl class="divide-y divide-line" data-testid="review">
                        {row("Name", d.name.clone())}
                        {row("Provider", d.provider.label().to_owned())}
                        {row("Direction", d.direction.label().to_owned())}
                        {row("Voice", voice)}
                        {row("Model", crate::agents::model::language_model(&d.config.model).map(|m| m.label.to_owned()).unwrap_or_default())}
                        {row("Greeting", if d.direction == Direction::Inbound { d.config.first_message.clone() } else { "Waits for the person to speak".into() })}
                        {row("Knowledge", if documents.is_empty() { "None".into() } else { documents.join(", ") })}
                        {row("Tools", if tools.is_empty() { "End call (added automatically)".into() } else { tools.join(", ") })}
                        {row("Variables", d.config.variables.iter().map(|v| v.name.clone()).collect::<Vec<_>>().join(", "))}
                    </dl>
                </Card>
            }
        }}
    }
}
