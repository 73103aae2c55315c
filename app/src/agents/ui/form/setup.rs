//! Step 1 of the wizard: name, provider, direction, voice and knowledge.

use leptos::prelude::*;

use super::error_of;
use crate::agents::model::{
    AgentDraft, AgentFormOptions, AgentProvider, Direction, LANGUAGES, default_voice, voices_of,
};
use crate::components::badge::{Badge, Tone};
use crate::components::card::Card;
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::FieldErrors;

#[component]
pub(super) fn SetupStep(
    draft: AgentDraft,
    errors: FieldErrors,
    options: AgentFormOptions,
    editing: bool,
) -> impl IntoView {
    let err = |f: &str| error_of(&errors, f);
    let languages: Vec<(String, String)> = LANGUAGES
        .iter()
        .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
        .collect();
    let speeds = vec![
        ("0.85".to_owned(), "Slow".to_owned()),
        ("1".to_owned(), "Balanced".to_owned()),
        ("1.15".to_owned(), "Fast".to_owned()),
    ];
    // An agent keeps its provider: editing offers only its own.
    let providers: Vec<AgentProvider> = if editing {
        vec![draft.provider]
    } else {
        AgentProvider::ALL.to_vec()
    };
    let provider_cards = providers
        .iter()
        .map(|&p| {
            let has_key = options.providers.iter().any(|x| x.provider == p && x.has_key);
            view! {
                <label
                    data-testid=format!("provider-{}", p.as_str())
                    class="cursor-pointer rounded-xl border border-line p-4 transition hover:border-brand has-[:checked]:border-brand has-[:checked]:ring-2 has-[:checked]:ring-brand/30 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand"
                >
                    <input
                        type="radio"
                        name="provider"
                        value=p.as_str()
                        id=format!("provider-{}", p.as_str())
                        class="sr-only"
                        checked=p == draft.provider
                    />
                    <span class="block font-semibold">{p.label()}</span>
                    <span class="mt-1 block text-xs text-muted">{p.blurb()}</span>
                    {(!has_key)
                        .then(|| {
                            view! {
                                <span class="mt-2 block text-xs text-warning">
                                    "No key assigned: the agent is saved but not synced."
                                </span>
                            }
                        })}
                </label>
            }
        })
        .collect_view();
    let directions = [
        (
            Direction::Inbound,
            "Receives incoming calls and greets the caller.",
        ),
        (
            Direction::Outbound,
            "Places calls and waits for the person to speak.",
        ),
    ]
    .into_iter()
    .map(|(dir, hint)| {
        view! {
            <label class="flex max-w-xs items-start gap-2 text-sm">
                <input
                    type="radio"
                    name="direction"
                    value=dir.as_str()
                    id=format!("direction-{}", dir.as_str())
                    checked=draft.direction == dir
                />
                <span>
                    <span class="font-medium">{dir.label()}</span>
                    <span class="block text-xs text-muted">{hint}</span>
                </span>
            </label>
        }
    })
    .collect_view();
    let (name_error, description_error, language_error, voice_error, speed_error, knowledge_error) = (
        err("name"),
        err("description"),
        err("config.language"),
        err("config.voice_id"),
        err("config.voice_speed"),
        err("knowledge_document_ids"),
    );
    let voices = view! { <VoicePicker draft=draft.clone() error=voice_error options=options.clone() providers /> };
    let speed = format_speed(draft.config.voice_speed);
    let (name, description, allow_outbound, language) = (
        draft.name.clone(),
        draft.description.clone(),
        draft.allow_outbound,
        draft.config.language.clone(),
    );
    view! {
        <Card title="Basic information">
            <div class="space-y-4">
                <TextField
                    label="Agent name"
                    name="name"
                    required=true
                    hint="Up to 40 characters."
                    value=name
                    error=name_error
                />
                <TextField
                    label="Description"
                    name="description"
                    value=description
                    error=description_error
                />
                <fieldset>
                    <legend class="text-sm font-medium">"Provider"</legend>
                    {editing
                        .then(|| {
                            view! {
                                <p class="text-xs text-muted">
                                    "An agent stays with its provider; duplicate it to try another."
                                </p>
                            }
                        })}
                    <div class="mt-2 grid gap-3 sm:grid-cols-3">{provider_cards}</div>
                </fieldset>
                <fieldset>
                    <legend class="text-sm font-medium">"Direction"</legend>
                    <div class="mt-2 flex flex-wrap gap-4">{directions}</div>
                </fieldset>
                // Inbound agents only; follows the direction chosen above.
                <label class="hidden items-center gap-2 text-sm group-has-[#direction-inbound:checked]:flex">
                    <input type="checkbox" name="allow_outbound" checked=allow_outbound />
                    "Also allow this agent in outbound campaigns"
                </label>
                <Select
                    label="Language"
                    name="language"
                    options=languages
                    value=language
                    error=language_error
                />
            </div>
        </Card>
        {voices}
        <Card title="Voice speed">
            <Select label="Speed" name="voice_speed" options=speeds value=speed error=speed_error />
        </Card>
        <KnowledgePicker draft error=knowledge_error options />
    }
}

fn format_speed(speed: f32) -> String {
    match speed {
        s if (s - 0.85).abs() < 0.01 => "0.85".into(),
        s if (s - 1.15).abs() < 0.01 => "1.15".into(),
        _ => "1".into(),
    }
}

/// Every offered provider's voices, each list shown while its provider is the one chosen.
/// A voice is a radio of its provider's list (`voice.{provider}`), so switching provider
/// and back keeps each list's choice; the server takes the chosen provider's.
#[component]
fn VoicePicker(
    draft: AgentDraft,
    error: Option<String>,
    options: AgentFormOptions,
    providers: Vec<AgentProvider>,
) -> impl IntoView {
    view! {
        <Card
            title="Voice"
            description="Pick how the agent sounds. Preview plays a sample in your browser."
        >
            // Search needs the script; it shows these when it runs.
            <div class="grid gap-4 sm:grid-cols-2" data-voice-filters hidden>
                <TextField
                    label="Find a voice"
                    name="voice-search"
                    kind="search"
                    placeholder="Name, accent or style"
                />
                <Select
                    label="Gender"
                    name="voice-gender"
                    value=String::new()
                    options=vec![
                        (String::new(), "Any".into()),
                        ("female".into(), "Female".into()),
                        ("male".into(), "Male".into()),
                    ]
                />
            </div>
            {error
                .map(|e| {
                    view! {
                        <p class="mt-3 text-sm text-danger" role="alert">
                            {e}
                        </p>
                    }
                })}
            {providers
                .into_iter()
                .map(|provider| {
                    let chosen = if provider == draft.provider {
                        draft.config.voice_id.clone()
                    } else {
                        default_voice(&options, provider)
                    };
                    let voices_error = options
                        .providers
                        .iter()
                        .find(|p| p.provider == provider)
                        .and_then(|p| p.voices_error.clone());
                    let has_error = voices_error.is_some();
                    let group = format!("voice.{}", provider.as_str());
                    view! {
                        <div class=shown_with(provider) data-voices=provider.as_str()>
                            {voices_error
                                .map(|e| view! { <p class="mb-3 text-sm text-danger">{e}</p> })}
                            {(voices_of(&options, provider).is_empty() && !has_error)
                                .then(|| {
                                    view! {
                                        <p class="text-sm text-muted">
                                            {format!(
                                                "No {} voices to list: this workspace has no {} key. The agent starts with the standard voice; choose another once a key is assigned.",
                                                provider.label(),
                                                provider.label(),
                                            )}
                                        </p>
                                    }
                                })}
                            <div
                                class="grid max-h-96 gap-2 overflow-y-auto sm:grid-cols-2"
                                role="radiogroup"
                                aria-label=format!("{} voices", provider.label())
                                data-testid="voice-list"
                            >
                                {voices_of(&options, provider)
                                    .iter()
                                    .map(|v| {
                                        view! {
                                            <div
                                                class="flex items-center gap-3 rounded-lg border border-line p-3 has-[:checked]:border-brand has-[:checked]:bg-brand/5 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand"
                                                data-voice-option
                                                data-gender=v.gender.clone()
                                                data-search=format!(
                                                    "{} {} {}",
                                                    v.name,
                                                    v.accent,
                                                    v.description,
                                                )
                                                    .to_lowercase()
                                            >
                                                <label
                                                    class="min-w-0 flex-1 cursor-pointer"
                                                    data-testid="voice-option"
                                                    data-voice=v.id.clone()
                                                >
                                                    <input
                                                        type="radio"
                                                        name=group.clone()
                                                        value=v.id.clone()
                                                        class="sr-only"
                                                        checked=v.id == chosen
                                                    />
                                                    <span class="block text-sm font-medium">
                                                        {v.name.clone()}
                                                    </span>
                                                    <span class="block truncate text-xs text-muted">
                                                        {format!(
                                                            "{} · {} · {}",
                                                            v.gender,
                                                            v.accent,
                                                            v.description,
                                                        )}
                                                    </span>
                                                </label>
                                                <button
                                                    type="button"
                                                    hidden
                                                    class="text-xs text-brand-ink underline underline-offset-2"
                                                    aria-label=format!("Preview {}", v.name)
                                                    data-preview=v.name.clone()
                                                    data-preview-url=v.preview_url.clone()
                                                    data-gender=v.gender.clone()
                                                >
                                                    "Preview"
                                                </button>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        </div>
                    }
                })
                .collect_view()}
        </Card>
    }
}

/// Classes that show a voice list only while its provider is chosen. Written out whole:
/// Tailwind finds the classes it generates by reading the source.
fn shown_with(provider: AgentProvider) -> &'static str {
    match provider {
        AgentProvider::Sandbox => "mt-4 hidden group-has-[#provider-sandbox:checked]:block",
        AgentProvider::Vapi => "mt-4 hidden group-has-[#provider-vapi:checked]:block",
        AgentProvider::Retell => "mt-4 hidden group-has-[#provider-retell:checked]:block",
    }
}

#[component]
fn KnowledgePicker(
    draft: AgentDraft,
    error: Option<String>,
    options: AgentFormOptions,
) -> impl IntoView {
    let hint =
        "Add documents in the Knowledge Base; active ones are given to the agent with its prompt.";
    view! {
        <Card title="Knowledge" description=hint>
            <input type="hidden" name="knowledge_shown" value="1" />
            {if options.documents.is_empty() {
                view! {
                    <p class="text-sm text-muted" data-testid="no-documents">
                        "No documents yet."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="space-y-2" data-testid="document-choices">
                        {options
                            .documents
                            .into_iter()
                            .map(|doc| {
                                view! {
                                    <li>
                                        <label class="flex items-center gap-2 text-sm">
                                            <input
                                                type="checkbox"
                                                name="knowledge"
                                                value=doc.id.to_string()
                                                data-testid="document-choice"
                                                checked=draft.knowledge_document_ids.contains(&doc.id)
                                            />
                                            <span>{doc.title.clone()}</span>
                                            <Badge>{doc.document_type.label()}</Badge>
                                            {(!doc.is_active)
                                                .then(|| {
                                                    view! {
                                                        <Badge tone=Tone::Warning>
                                                            "Not active: not given to the agent"
                                                        </Badge>
                                                    }
                                                })}
                                        </label>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {error
                .map(|e| {
                    view! {
                        <p class="mt-2 text-sm text-danger" role="alert">
                            {e}
                        </p>
                    }
                })}
        </Card>
    }
}
