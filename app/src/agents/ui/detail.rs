//! `/w/{slug}/agents/{id}`: one agent. Its sync state with the provider's own words when
//! something failed and a Resync button; edit, duplicate, activate and delete; the test call
//! and "call me". No island: every action is a plain form the server answers with this page
//! (or the copy, or the list) again. A Sandbox conversation comes back as the page's
//! `?test_call=` or `?call_me=` and plays back turn by turn in CSS; a VAPI or Retell test call
//! runs in the browser's media stack, driven by `/js/test-call.js`, loaded on those agents'
//! pages only.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::{SyncBadge, minutes};
use crate::agents::api::{
    CallMe, DeleteAgent, DuplicateAgent, ResyncAgent, SetAgentActive, StartTestCall, get_agent,
};
use crate::agents::model::{AgentDetail, AgentProvider, Direction, SyncStatus};
use crate::calls::api::get_call;
use crate::calls::model::{CallDetail, Turn};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::error::AppError;

#[component]
pub fn AgentPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|i| Uuid::parse_str(&i).ok())
            .unwrap_or_default()
    };
    // The Sandbox conversation a test call or "call me" just held, to play back.
    let played = move |key: &str| query.read().get(key).and_then(|i| Uuid::parse_str(&i).ok());
    let agent = Resource::new(move || (slug(), id()), |(s, i)| get_agent(s, i));
    let test_call = Resource::new(
        move || (slug(), id(), played("test_call")),
        |(s, agent, call)| conversation(s, agent, call),
    );
    let call_me = Resource::new(
        move || (slug(), id(), played("call_me")),
        |(s, agent, call)| conversation(s, agent, call),
    );
    view! {
        <Title text="Agent" />
        <Suspense>
            {move || Suspend::new(async move {
                let detail = agent.await?;
                let (test_call, call_me) = (test_call.await, call_me.await);
                Ok::<_, AppError>(view! { <Agent detail slug=slug() test_call call_me /> })
            })}
        </Suspense>
    }
}

/// This agent's call `id` (a stale id, or another agent's or workspace's, shows nothing).
async fn conversation(slug: String, agent: Uuid, id: Option<Uuid>) -> Option<CallDetail> {
    get_call(slug, id?)
        .await
        .ok()
        .filter(|call| call.row.agent_id == Some(agent))
}

#[component]
fn Agent(
    detail: AgentDetail,
    slug: String,
    test_call: Option<CallDetail>,
    call_me: Option<CallDetail>,
) -> impl IntoView {
    let duplicate = ServerAction::<DuplicateAgent>::new();
    let active = ServerAction::<SetAgentActive>::new();
    let delete = ServerAction::<DeleteAgent>::new();
    let errors = Signal::derive(move || {
        form_error(active.value())
            .get()
            .or_else(|| form_error(duplicate.value()).get())
            .or_else(|| form_error(delete.value()).get())
    });
    let a = detail.summary.clone();
    let id = a.id.to_string();
    let edit_href = format!("/w/{slug}/agents/{id}/edit");
    let config = detail.draft.config.clone();
    let hidden = {
        let (slug, id) = (slug.clone(), id.clone());
        move || {
            view! {
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="id" value=id.clone() />
            }
        }
    };
    let (hidden_a, hidden_b, hidden_c) = (hidden.clone(), hidden.clone(), hidden);
    view! {
        <div class="space-y-6" data-testid="agent-page">
            <div class="flex flex-wrap items-start justify-between gap-4">
                <div>
                    <p class="text-sm">
                        <a href=format!("/w/{slug}/agents") class="text-muted hover:text-fg">
                            "← Agents"
                        </a>
                    </p>
                    <h1 class="mt-1 text-2xl font-bold tracking-tight" data-testid="agent-name">
                        {a.name.clone()}
                    </h1>
                    <div class="mt-2 flex flex-wrap items-center gap-2">
                        <Badge>{a.provider.label()}</Badge>
                        <Badge tone=Tone::Info>{a.direction.label()}</Badge>
                        {(!a.is_active)
                            .then(|| view! { <Badge tone=Tone::Warning>"Inactive"</Badge> })}
                        <SyncBadge status=a.sync_status />
                    </div>
                </div>
                <div class="flex flex-wrap gap-2">
                    {detail
                        .can_edit
                        .then(|| {
                            view! {
                                <LinkButton href=edit_href.clone() variant=Variant::Secondary>
                                    "Edit"
                                </LinkButton>
                                <ActionForm action=duplicate>
                                    {hidden_a()} <Button kind="submit" variant=Variant::Secondary>
                                        "Duplicate"
                                    </Button>
                                </ActionForm>
                                <ActionForm action=active>
                                    {hidden_b()}
                                    <input
                                        type="hidden"
                                        name="active"
                                        value=(!a.is_active).to_string()
                                    /> <Button kind="submit" variant=Variant::Secondary>
                                        {if a.is_active { "Deactivate" } else { "Activate" }}
                                    </Button>
                                </ActionForm>
                            }
                        })}
                    {detail
                        .can_delete
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    popovertarget="confirm-delete"
                                    class=crate::components::button::button_class(
                                        Variant::Danger,
                                        Size::Medium,
                                    )
                                >
                                    "Delete"
                                </button>
                            }
                        })}
                </div>
            </div>
            <FormAlert message=errors />
            {detail
                .can_delete
                .then(|| {
                    view! {
                        <div
                            popover
                            id="confirm-delete"
                            role="alertdialog"
                            aria-labelledby="confirm-delete-title"
                            class="m-auto w-[min(28rem,calc(100%-2rem))] rounded-xl border border-danger/40 bg-surface p-4 text-fg shadow-xl backdrop:bg-black/40"
                            data-testid="confirm-delete"
                        >
                            <p id="confirm-delete-title" class="text-sm font-medium">
                                "Delete this agent here and at its provider? Its past calls stay in the call log."
                            </p>
                            <div class="mt-3 flex gap-2">
                                <ActionForm action=delete>
                                    {hidden_c()}
                                    <Button kind="submit" variant=Variant::Danger size=Size::Small>
                                        "Delete agent"
                                    </Button>
                                </ActionForm>
                                <button
                                    type="button"
                                    popovertarget="confirm-delete"
                                    popovertargetaction="hide"
                                    class=crate::components::button::button_class(
                                        Variant::Ghost,
                                        Size::Small,
                                    )
                                >
                                    "Keep it"
                                </button>
                            </div>
                        </div>
                    }
                })}
            <SyncCard detail=detail.clone() slug=slug.clone() />
            <TestCallCard
                slug=slug.clone()
                id=a.id
                provider=a.provider
                played=test_call
                can_call=detail.can_edit
            />
            {detail
                .can_edit
                .then(|| view! { <CallMeCard slug=slug.clone() id=a.id played=call_me /> })}
            <div class="grid gap-6 lg:grid-cols-2">
                <Card title="How it talks">
                    <dl class="space-y-2 text-sm">
                        <div>
                            <dt class="text-muted">"Voice"</dt>
                            <dd>{a.voice_name.clone()}</dd>
                        </div>
                        <div>
                            <dt class="text-muted">"Model"</dt>
                            <dd>{a.model_label.clone()}</dd>
                        </div>
                        <div>
                            <dt class="text-muted">"Greeting"</dt>
                            <dd>
                                {if a.direction == Direction::Inbound {
                                    config.first_message.clone()
                                } else {
                                    "Waits for the person to speak".into()
                                }}
                            </dd>
                        </div>
                        <div>
                            <dt class="text-muted">"Prompt"</dt>
                            <dd class="whitespace-pre-wrap">{config.system_prompt.clone()}</dd>
                        </div>
                    </dl>
                </Card>
                <Card title="What it knows and does">
                    <dl class="space-y-2 text-sm">
                        <div>
                            <dt class="text-muted">"Knowledge"</dt>
                            <dd data-testid="agent-documents">
                                {if detail.documents.is_empty() {
                                    "None".to_owned()
                                } else {
                                    detail
                                        .documents
                                        .iter()
                                        .map(|d| d.title.clone())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                }}
                            </dd>
                        </div>
                        <div>
                            <dt class="text-muted">"Tools"</dt>
                            <dd data-testid="agent-tools">
                                {if config.tools.is_empty() {
                                    "End call".to_owned()
                                } else {
                                    config
                                        .tools
                                        .iter()
                                        .map(|t| format!("{} ({})", t.name, t.kind.label()))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                }}
                            </dd>
                        </div>
                        <div>
                            <dt class="text-muted">"Calls"</dt>
                            <dd>
                                {format!(
                                    "{} calls · {} minutes",
                                    a.total_calls,
                                    minutes(a.total_seconds),
                                )}
                            </dd>
                        </div>
                    </dl>
                </Card>
            </div>
        </div>
    }
}

#[component]
fn SyncCard(detail: AgentDetail, slug: String) -> impl IntoView {
    let resync = ServerAction::<ResyncAgent>::new();
    let a = detail.summary;
    let message = match a.sync_status {
        SyncStatus::Synced => detail
            .last_synced_at
            .map(|t| {
                format!(
                    "Up to date at {} since {}.",
                    a.provider.label(),
                    t.format("%b %-d, %H:%M UTC")
                )
            })
            .unwrap_or_default(),
        SyncStatus::Pending => "Saved here; waiting for the provider to confirm.".into(),
        SyncStatus::NotSynced | SyncStatus::Error => a.last_sync_error.clone().unwrap_or_default(),
    };
    let tone = if a.sync_status == SyncStatus::Error {
        "text-danger"
    } else {
        "text-muted"
    };
    view! {
        <Card title="Provider">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <div class="min-w-0 space-y-1">
                    <p class=format!("text-sm {tone}") data-testid="sync-message">
                        {message}
                    </p>
                    {a
                        .needs_resync
                        .then(|| {
                            view! {
                                <p class="text-sm text-warning" data-testid="needs-resync">
                                    "A linked document changed since the last sync. Press Resync to send the new text."
                                </p>
                            }
                        })}
                    <p class="text-xs text-muted">
                        "Call events go to "
                        <code class="break-all">{detail.webhook_url.clone()}</code>
                    </p>
                    {detail
                        .external_id
                        .clone()
                        .map(|e| {
                            view! {
                                <p class="text-xs text-muted">"Provider id " <code>{e}</code></p>
                            }
                        })}
                </div>
                {detail
                    .can_edit
                    .then(|| {
                        view! {
                            <ActionForm action=resync>
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="id" value=a.id.to_string() />
                                <Button kind="submit" variant=Variant::Secondary>
                                    "Resync"
                                </Button>
                            </ActionForm>
                        }
                    })}
            </div>
            <FormAlert message=form_error(resync.value()) />
        </Card>
    }
}

#[component]
fn TestCallCard(
    slug: String,
    id: Uuid,
    provider: AgentProvider,
    played: Option<CallDetail>,
    can_call: bool,
) -> impl IntoView {
    let start = ServerAction::<StartTestCall>::new();
    // VAPI and Retell calls run in the browser: the script takes the form over, and the
    // button waits for it (without JavaScript there is no call to place).
    let in_browser = provider != AgentProvider::Sandbox;
    view! {
        <Card
            title="Test call"
            description="Talk to the agent from your browser. Sandbox agents hold a simulated conversation."
        >
            <div class="space-y-4" id="test-call">
                {can_call
                    .then(|| {
                        view! {
                            <ActionForm
                                action=start
                                attr:data-web-call=in_browser.then_some(provider.label())
                            >
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="id" value=id.to_string() />
                                <Button kind="submit" disabled=in_browser>
                                    "Start web test call"
                                </Button>
                            </ActionForm>
                        }
                    })}
                <FormAlert message=form_error(start.value()) />
                {in_browser
                    .then(|| {
                        view! {
                            <noscript>
                                <p class="text-sm text-muted">
                                    "A test call through the provider runs in the browser, with JavaScript on. Call me works without it."
                                </p>
                            </noscript>
                            <BrowserCall />
                            <script type="module" src="/js/test-call.js"></script>
                        }
                    })}
                {played
                    .map(|call| {
                        view! {
                            <Transcript
                                turns=call.transcript
                                duration_seconds=call.row.duration_seconds
                            />
                        }
                    })}
            </div>
        </Card>
    }
}

/// Where `/js/test-call.js` shows a browser call: status, mute and hang-up, the transcript
/// as it comes, and what was saved. Hidden until a call starts.
#[component]
fn BrowserCall() -> impl IntoView {
    let small = |variant| crate::components::button::button_class(variant, Size::Small);
    view! {
        <div class="hidden space-y-3" data-testid="browser-call">
            <div class="flex flex-wrap items-center gap-3">
                <p class="text-sm" role="status" data-testid="web-call-status"></p>
                <button type="button" data-call="mute" class=small(Variant::Secondary)>
                    "Mute"
                </button>
                <button type="button" data-call="end" class=small(Variant::Danger)>
                    "End call"
                </button>
            </div>
            <p
                class="hidden rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
                role="alert"
                data-testid="web-call-error"
            ></p>
            <ol class="space-y-2" aria-live="polite" data-testid="web-call-transcript"></ol>
            <template data-call="turn">
                <li data-testid="turn" class="rounded-lg px-3 py-2 text-sm">
                    <span class="block text-xs text-muted"></span>
                    <span></span>
                </li>
            </template>
            <p class="hidden text-sm text-muted" data-testid="web-call-saved"></p>
        </div>
    }
}

/// A Sandbox conversation played back one turn every 400 ms (at once when the visitor asks
/// for less motion), then the line saying it ended.
#[component]
fn Transcript(turns: Vec<Turn>, duration_seconds: i32) -> impl IntoView {
    let reveal = |i: usize| {
        format!(
            "animation-delay: {}ms",
            u32::try_from(i).unwrap_or(u32::MAX).saturating_mul(400)
        )
    };
    let ended = reveal(turns.len());
    view! {
        <ol class="space-y-2" data-testid="test-call-transcript">
            {turns
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let (who, class) = turn_style(&t.role);
                    view! {
                        <li
                            data-testid="turn"
                            data-role=t.role.clone()
                            style=reveal(i)
                            class=format!("animate-turn rounded-lg px-3 py-2 text-sm {class}")
                        >
                            <span class="block text-xs text-muted">
                                {format!("{who} · {:.0}s", t.seconds)}
                            </span>
                            {t.text.clone()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <p
            class="animate-turn text-sm text-muted"
            role="status"
            style=ended
            data-testid="test-call-ended"
        >
            {format!(
                "Call ended after {}:{:02}. It is saved with this workspace's calls.",
                duration_seconds / 60,
                duration_seconds % 60,
            )}
        </p>
    }
}

#[component]
fn CallMeCard(slug: String, id: Uuid, played: Option<CallDetail>) -> impl IntoView {
    let call_me = ServerAction::<CallMe>::new();
    let value = call_me.value();
    view! {
        <Card title="Call me" description="The agent phones you as it would phone a customer.">
            <div class="space-y-4" id="call-me" data-testid="call-me">
                <ActionForm action=call_me attr:class="space-y-4">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="id" value=id.to_string() />
                    <div class="grid gap-3 sm:grid-cols-2">
                        <TextField
                            label="Your number"
                            name="number"
                            kind="tel"
                            placeholder="+14155550100"
                            autocomplete="tel"
                            error=field_error(value, "number")
                        />
                        <TextField
                            label="Your name (optional)"
                            name="name"
                            autocomplete="name"
                            error=field_error(value, "name")
                        />
                    </div>
                    <Button kind="submit" variant=Variant::Secondary>
                        "Call me"
                    </Button>
                </ActionForm>
                <FormAlert message=form_error(value) />
                {played
                    .map(|call| {
                        view! {
                            <p class="text-sm text-muted">
                                {format!(
                                    "Sandbox call to {}:",
                                    call.row.phone_number.clone().unwrap_or_default(),
                                )}
                            </p>
                            <Transcript
                                turns=call.transcript
                                duration_seconds=call.row.duration_seconds
                            />
                        }
                    })}
            </div>
        </Card>
    }
}

/// Who said a turn, and how its bubble looks.
fn turn_style(role: &str) -> (&'static str, &'static str) {
    match role {
        "agent" => ("Agent", "mr-12 bg-surface-2"),
        "user" => ("You", "ml-12 bg-brand/10"),
        _ => ("Tool", "mx-12 bg-warning/10 font-mono text-xs"),
    }
}
