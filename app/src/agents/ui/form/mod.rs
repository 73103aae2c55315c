//! The agent wizard (`/w/{slug}/agents/new`) and edit form (`/w/{slug}/agents/{id}/edit`):
//! one server-rendered form, three steps: setup and voice; prompts, tools and variables;
//! review. No wasm: the form posts to its own page with the whole draft in a hidden field
//! and the pressed button's `intent`, and the server renders the next step, refusing one
//! whose fields are wrong with the message beside the field (`agents::wizard`). The
//! provider's voice list follows the provider chosen in CSS (`group-has-[…]`). A small
//! script (`/js/agent-form.js`) adds what needs one: a variable inserted where the cursor
//! is, voice search and voice previews.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use crate::agents::api::{get_agent, load_agent_form};
use crate::agents::model::{AgentDraft, AgentFormOptions, AgentProvider, default_voice};
use crate::agents::wizard::{Intent, LAST_STEP, STEPS, WizardView};
use crate::components::button::{LinkButton, Size, Variant, button_class};
use crate::error::{AppError, FieldErrors};

mod prompt;
mod review;
mod setup;
mod tools;

use prompt::PromptStep;
use review::ReviewStep;
use setup::SetupStep;

/// The first message for `field`, if it has one.
pub fn error_of(errors: &FieldErrors, field: &str) -> Option<String> {
    errors.get(field).and_then(|m| m.first().cloned())
}

/// The view a post to this page produced (see `agents::wizard_post`), if it was one.
fn posted_view() -> Option<WizardView> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .extensions
                .get::<crate::agents::wizard_post::WizardPosted>()
                .map(|posted| posted.0.clone())
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn NewAgentPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let options = Resource::new(slug, load_agent_form);
    view! {
        <Title text="New agent" />
        <Suspense>
            {move || Suspend::new(async move {
                let options = options.await.inspect_err(AppError::set_response_status)?;
                let view = posted_view()
                    .unwrap_or_else(|| {
                        let mut draft = AgentDraft::new(AgentProvider::Sandbox);
                        draft.config.voice_id = default_voice(&options, AgentProvider::Sandbox);
                        WizardView::start(draft)
                    });
                Ok::<_, AppError>(view! { <AgentForm slug=slug() options view agent_id=None /> })
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
        <Title text="Edit agent" />
        <Suspense>
            {move || Suspend::new(async move {
                let options = options.await.inspect_err(AppError::set_response_status)?;
                let agent = agent.await.inspect_err(AppError::set_response_status)?;
                let view = posted_view().unwrap_or_else(|| WizardView::start(agent.draft));
                Ok::<
                    _,
                    AppError,
                >(view! { <AgentForm slug=slug() options view agent_id=Some(agent.summary.id) /> })
            })}
        </Suspense>
    }
}

/// A button that posts the form with `intent`.
#[component]
pub(crate) fn IntentButton(
    intent: Intent,
    #[prop(optional)] variant: Variant,
    #[prop(optional)] size: Size,
    #[prop(optional)] disabled: bool,
    /// Where the page opens after the post (`#tools`): near the control pressed.
    #[prop(optional)]
    anchor: Option<&'static str>,
    #[prop(optional, into)] label: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            name="intent"
            value=intent.as_value()
            formaction=anchor
            class=button_class(variant, size)
            disabled=disabled
            aria-label=label
        >
            {children()}
        </button>
    }
}

#[component]
fn AgentForm(
    slug: String,
    options: AgentFormOptions,
    view: WizardView,
    agent_id: Option<Uuid>,
) -> impl IntoView {
    let editing = agent_id.is_some();
    let WizardView {
        draft,
        step,
        errors,
        message,
    } = view;
    let draft_json = serde_json::to_string(&draft).unwrap_or_default();
    // Posted without a fragment: a button that opens the next page at `#tools` would
    // otherwise leave it on every later post, and the agent's page after the save.
    let action = match agent_id {
        Some(id) => format!("/w/{slug}/agents/{id}/edit"),
        None => format!("/w/{slug}/agents/new"),
    };
    let cancel_href = match agent_id {
        Some(id) => format!("/w/{slug}/agents/{id}"),
        None => format!("/w/{slug}/agents"),
    };
    let title = if editing { "Edit agent" } else { "New agent" };
    let save_label = if editing {
        "Save changes"
    } else {
        "Create agent"
    };
    let body = match step {
        0 => view! { <SetupStep draft=draft.clone() errors=errors.clone() options=options.clone() editing /> }.into_any(),
        1 => view! { <PromptStep draft=draft.clone() errors=errors.clone() options=options.clone() /> }.into_any(),
        _ => view! { <ReviewStep draft=draft.clone() options=options.clone() /> }.into_any(),
    };

    view! {
        <form
            method="post"
            action=action
            novalidate
            class="group space-y-6"
            data-testid="agent-form"
            data-step=step
        >
            <input type="hidden" name="draft" value=draft_json />
            <input type="hidden" name="step" value=step.to_string() />
            // Enter in a field presses the first submit button: make that one "Next".
            <button type="submit" name="intent" value="next" hidden tabindex="-1"></button>
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
                    <p class="mt-1 text-sm text-muted">
                        "Set up how the agent sounds, what it knows and what it can do."
                    </p>
                </div>
                <LinkButton href=cancel_href variant=Variant::Ghost>
                    "Cancel"
                </LinkButton>
            </div>
            <ol class="flex flex-wrap gap-2" aria-label="Steps">
                {STEPS
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let current = i == step;
                        view! {
                            <li>
                                <button
                                    type="submit"
                                    name="intent"
                                    value=Intent::Step(i).as_value()
                                    aria-current=current.then_some("step")
                                    data-testid=format!("step-{i}")
                                    class=format!(
                                        "rounded-full px-3 py-1 text-sm font-medium {}",
                                        if current {
                                            "bg-brand text-brand-fg"
                                        } else {
                                            "bg-surface-2 text-muted hover:text-fg"
                                        },
                                    )
                                >
                                    {format!("{}. {label}", i + 1)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {message
                .map(|m| {
                    view! {
                        <div
                            role="alert"
                            data-testid="form-error"
                            class="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
                        >
                            {m}
                        </div>
                    }
                })}
            {body}
            <div class="flex items-center justify-between gap-3 border-t border-line pt-4">
                <IntentButton intent=Intent::Back variant=Variant::Secondary disabled=step == 0>
                    "Back"
                </IntentButton>
                <div class="flex gap-3">
                    {(editing && step < LAST_STEP)
                        .then(|| {
                            view! {
                                <IntentButton intent=Intent::Save variant=Variant::Secondary>
                                    "Save changes"
                                </IntentButton>
                            }
                        })}
                    {if step < LAST_STEP {
                        view! { <IntentButton intent=Intent::Next>"Next"</IntentButton> }.into_any()
                    } else {
                        view! { <IntentButton intent=Intent::Save>{save_label}</IntentButton> }
                            .into_any()
                    }}
                </div>
            </div>
        </form>
        <script type="module" src="/js/agent-form.js"></script>
    }
}
