//! `/w/{slug}/agents/{id}`: one agent. Its sync state with the provider's own words when
//! something failed and a Resync button; edit, duplicate, activate and delete; and the
//! web test call, whose Sandbox conversation streams in turn by turn.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::web_call::BrowserCall;
use super::{SyncBadge, minutes};
use crate::agents::api::{
    CallMe, DeleteAgent, DuplicateAgent, ResyncAgent, SetAgentActive, StartTestCall, get_agent,
};
use crate::agents::model::{AgentDetail, CallMeOutcome, Direction, SyncStatus, TestCallStart};
use crate::calls::model::Turn;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::card::Card;
use crate::components::form::field_error;
use crate::components::form::{FormAlert, form_error, go_to};
use crate::components::input::TextField;
use crate::components::refresh::refreshed;
use crate::error::AppError;

#[component]
pub fn AgentPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|i| Uuid::parse_str(&i).ok())
            .unwrap_or_default()
    };
    let agent = Resource::new(move || (slug(), id()), |(s, i)| get_agent(s, i));
    view! {
        <Title text="Agent"/>
        <Suspense>
            {move || Suspend::new(async move {
                let detail = agent.await?;
                Ok::<_, AppError>(view! { <Agent detail slug=slug()/> })
            })}
        </Suspense>
    }
}

/// The page is one island: every action on it changes what the rest shows.
#[island(lazy)]
fn Agent(detail: AgentDetail, slug: String) -> impl IntoView {
    let actions = Actions {
        resync: ServerAction::new(),
        active: ServerAction::new(),
        duplicate: ServerAction::new(),
        delete: ServerAction::new(),
        test_call: ServerAction::new(),
        call_me: ServerAction::new(),
    };
    let id = detail.summary.id;
    let detail = refreshed(
        detail,
        {
            let slug = slug.clone();
            move || {
                (
                    slug.clone(),
                    actions.resync.version().get(),
                    actions.active.version().get(),
                    actions.test_call.version().get(),
                    actions.call_me.version().get(),
                )
            }
        },
        move |(s, ..)| get_agent(s, id),
    );
    move || view! { <AgentView detail=detail.get() slug=slug.clone() actions/> }
}

#[derive(Clone, Copy)]
struct Actions {
    resync: ServerAction<ResyncAgent>,
    active: ServerAction<SetAgentActive>,
    duplicate: ServerAction<DuplicateAgent>,
    delete: ServerAction<DeleteAgent>,
    test_call: ServerAction<StartTestCall>,
    call_me: ServerAction<CallMe>,
}

#[component]
fn AgentView(detail: AgentDetail, slug: String, actions: Actions) -> impl IntoView {
    let Actions {
        resync,
        active,
        duplicate,
        delete,
        test_call,
        call_me,
    } = actions;
    let a = detail.summary.clone();
    let id = a.id;
    {
        let slug = slug.clone();
        Effect::new(move |_| {
            if let Some(Ok(copy)) = duplicate.value().get() {
                go_to(&format!("/w/{slug}/agents/{copy}"));
            }
        });
    }
    {
        let slug = slug.clone();
        Effect::new(move |_| {
            if let Some(Ok(())) = delete.value().get() {
                go_to(&format!("/w/{slug}/agents"));
            }
        });
    }
    let errors = Signal::derive(move || {
        form_error(resync.value())
            .get()
            .or_else(|| form_error(active.value()).get())
            .or_else(|| form_error(duplicate.value()).get())
            .or_else(|| form_error(delete.value()).get())
    });
    let confirm_delete = RwSignal::new(false);
    let edit_href = format!("/w/{slug}/agents/{id}/edit");
    let (slug_a, slug_b, slug_c, slug_d) = (slug.clone(), slug.clone(), slug.clone(), slug.clone());
    let is_active = a.is_active;
    let config = detail.draft.config.clone();
    view! {
        <div class="space-y-6" data-testid="agent-page">
            <div class="flex flex-wrap items-start justify-between gap-4">
                <div>
                    <p class="text-sm"><a href=format!("/w/{slug}/agents") class="text-muted hover:text-fg">"← Agents"</a></p>
                    <h1 class="mt-1 text-2xl font-bold tracking-tight" data-testid="agent-name">{a.name.clone()}</h1>
                    <div class="mt-2 flex flex-wrap items-center gap-2">
                        <Badge>{a.provider.label()}</Badge>
                        <Badge tone=Tone::Info>{a.direction.label()}</Badge>
                        {(!a.is_active).then(|| view! { <Badge tone=Tone::Warning>"Inactive"</Badge> })}
                        <SyncBadge status=a.sync_status/>
                    </div>
                </div>
                <div class="flex flex-wrap gap-2">
                    {detail.can_edit.then(|| view! {
                        <LinkButton href=edit_href.clone() variant=Variant::Secondary>"Edit"</LinkButton>
                        <Button variant=Variant::Secondary loading=duplicate.pending()
                            on_click=Callback::new(move |_| { duplicate.dispatch(DuplicateAgent { slug: slug_a.clone(), id }); })>"Duplicate"</Button>
                        <Button variant=Variant::Secondary loading=active.pending()
                            on_click=Callback::new(move |_| { active.dispatch(SetAgentActive { slug: slug_b.clone(), id, active: !is_active }); })>
                            {if is_active { "Deactivate" } else { "Activate" }}
                        </Button>
                    })}
                    {detail.can_delete.then(|| view! {
                        <Button variant=Variant::Danger on_click=Callback::new(move |_| confirm_delete.set(true))>"Delete"</Button>
                    })}
                </div>
            </div>
            <FormAlert message=errors/>
            <Show when=move || confirm_delete.get()>
                {
                    let slug = slug_c.clone();
                    view! {
                        <div role="alertdialog" aria-label="Delete agent" class="rounded-xl border border-danger/40 bg-danger/10 p-4" data-testid="confirm-delete">
                            <p class="text-sm font-medium">"Delete this agent here and at its provider? Its past calls stay in the call log."</p>
                            <div class="mt-3 flex gap-2">
                                <Button variant=Variant::Danger size=Size::Small loading=delete.pending()
                                    on_click=Callback::new(move |_| { delete.dispatch(DeleteAgent { slug: slug.clone(), id }); })>"Delete agent"</Button>
                                <Button variant=Variant::Ghost size=Size::Small on_click=Callback::new(move |_| confirm_delete.set(false))>"Keep it"</Button>
                            </div>
                        </div>
                    }
                }
            </Show>
            <SyncCard detail=detail.clone() slug=slug_d resync/>
            <TestCallCard slug=slug.clone() id test_call can_call=detail.can_edit/>
            <CallMeCard slug=slug.clone() id call_me can_call=detail.can_edit/>
            <div class="grid gap-6 lg:grid-cols-2">
                <Card title="How it talks">
                    <dl class="space-y-2 text-sm">
                        <div><dt class="text-muted">"Voice"</dt><dd>{a.voice_name.clone()}</dd></div>
                        <div><dt class="text-muted">"Model"</dt><dd>{a.model_label.clone()}</dd></div>
                        <div><dt class="text-muted">"Greeting"</dt><dd>{if a.direction == Direction::Inbound { config.first_message.clone() } else { "Waits for the person to speak".into() }}</dd></div>
                        <div><dt class="text-muted">"Prompt"</dt><dd class="whitespace-pre-wrap">{config.system_prompt.clone()}</dd></div>
                    </dl>
                </Card>
                <Card title="What it knows and does">
                    <dl class="space-y-2 text-sm">
                        <div><dt class="text-muted">"Knowledge"</dt><dd data-testid="agent-documents">
                            {if detail.documents.is_empty() { "None".to_owned() } else { detail.documents.iter().map(|d| d.title.clone()).collect::<Vec<_>>().join(", ") }}
                        </dd></div>
                        <div><dt class="text-muted">"Tools"</dt><dd data-testid="agent-tools">
                            {if config.tools.is_empty() { "End call".to_owned() } else { config.tools.iter().map(|t| format!("{} ({})", t.name, t.kind.label())).collect::<Vec<_>>().join(", ") }}
                        </dd></div>
                        <div><dt class="text-muted">"Calls"</dt><dd>{format!("{} calls · {} minutes", a.total_calls, minutes(a.total_seconds))}</dd></div>
                    </dl>
                </Card>
            </div>
        </div>
    }
}

#[component]
fn SyncCard(detail: AgentDetail, slug: String, resync: ServerAction<ResyncAgent>) -> impl IntoView {
    let a = detail.summary;
    let id = a.id;
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
                    <p class=format!("text-sm {tone}") data-testid="sync-message">{message}</p>
                    {a.needs_resync.then(|| view! {
                        <p class="text-sm text-warning" data-testid="needs-resync">"A linked document changed since the last sync. Press Resync to send the new text."</p>
                    })}
                    <p class="text-xs text-muted">"Call events go to " <code class="break-all">{detail.webhook_url.clone()}</code></p>
                    {detail.external_id.clone().map(|e| view! { <p class="text-xs text-muted">"Provider id " <code>{e}</code></p> })}
                </div>
                {detail.can_edit.then(|| view! {
                    <Button variant=Variant::Secondary loading=resync.pending()
                        on_click=Callback::new(move |_| { resync.dispatch(ResyncAgent { slug: slug.clone(), id }); })>"Resync"</Button>
                })}
            </div>
        </Card>
    }
}

#[component]
fn TestCallCard(
    slug: String,
    id: Uuid,
    test_call: ServerAction<StartTestCall>,
    can_call: bool,
) -> impl IntoView {
    let shown = RwSignal::new(0_usize);
    let value = test_call.value();
    // Play a Sandbox conversation back one turn at a time.
    Effect::new(move |_| {
        if let Some(Ok(TestCallStart::Sandbox { turns, .. })) = value.get() {
            shown.set(0);
            reveal(shown, turns.len());
        }
    });
    let slug_call = slug.clone();
    let start = move |_| {
        test_call.dispatch(StartTestCall {
            slug: slug.clone(),
            id,
        });
    };
    view! {
        <Card title="Test call" description="Talk to the agent from your browser. Sandbox agents hold a simulated conversation.">
            <div class="space-y-4">
                {can_call.then(|| view! {
                    <Button loading=test_call.pending() on_click=Callback::new(start)>"Start web test call"</Button>
                })}
                <FormAlert message=form_error(value)/>
                {move || value.get().and_then(Result::ok).map(|call| match call {
                    TestCallStart::Sandbox { turns, duration_seconds, .. } => view! {
                        <Transcript turns shown duration_seconds/>
                    }.into_any(),
                    TestCallStart::Browser(launch) => view! {
                        <BrowserCall launch slug=slug_call.clone() id/>
                    }.into_any(),
                })}
            </div>
        </Card>
    }
}

#[component]
fn Transcript(turns: Vec<Turn>, shown: RwSignal<usize>, duration_seconds: i32) -> impl IntoView {
    let total = turns.len();
    view! {
        <ol class="space-y-2" aria-live="polite" data-testid="test-call-transcript">
            {turns.into_iter().enumerate().map(|(i, t)| {
                let (who, class) = turn_style(&t.role);
                view! {
                    <li class:hidden=move || shown.get() <= i data-testid="turn" data-role=t.role.clone()
                        class=format!("rounded-lg px-3 py-2 text-sm {class}")>
                        <span class="block text-xs text-muted">{format!("{who} · {:.0}s", t.seconds)}</span>
                        {t.text.clone()}
                    </li>
                }
            }).collect_view()}
        </ol>
        <Show when=move || { shown.get() >= total }>
            <p class="text-sm text-muted" role="status" data-testid="test-call-ended">
                {format!("Call ended after {}:{:02}. It is saved with this workspace's calls.", duration_seconds / 60, duration_seconds % 60)}
            </p>
        </Show>
    }
}

#[component]
fn CallMeCard(
    slug: String,
    id: Uuid,
    call_me: ServerAction<CallMe>,
    can_call: bool,
) -> impl IntoView {
    if !can_call {
        return ().into_any();
    }
    let number = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let shown = RwSignal::new(0_usize);
    let value = call_me.value();
    Effect::new(move |_| {
        if let Some(Ok(CallMeOutcome::Simulated { turns, .. })) = value.get() {
            shown.set(0);
            reveal(shown, turns.len());
        }
    });
    let call = move |_| {
        call_me.dispatch(CallMe {
            slug: slug.clone(),
            id,
            number: number.get_untracked(),
            name: name.get_untracked(),
        });
    };
    view! {
        <Card title="Call me" description="The agent phones you as it would phone a customer.">
            <div class="space-y-4" data-testid="call-me">
                <div class="grid gap-3 sm:grid-cols-2">
                    <TextField label="Your number" name="call-me-number" kind="tel" placeholder="+14155550100"
                        error=field_error(value, "number") on_input=Callback::new(move |v| number.set(v))/>
                    <TextField label="Your name (optional)" name="call-me-name"
                        error=field_error(value, "name") on_input=Callback::new(move |v| name.set(v))/>
                </div>
                <Button variant=Variant::Secondary loading=call_me.pending() on_click=Callback::new(call)>"Call me"</Button>
                <FormAlert message=form_error(value)/>
                {move || value.get().and_then(Result::ok).map(|outcome| match outcome {
                    CallMeOutcome::Simulated { turns, duration_seconds, to, .. } => view! {
                        <p class="text-sm text-muted">{format!("Sandbox call to {to}:")}</p>
                        <Transcript turns shown duration_seconds/>
                    }.into_any(),
                    CallMeOutcome::Placed { call_id, from, to } => view! {
                        <p class="text-sm" role="status" data-testid="call-placed">
                            {format!("Calling {to} from {from}. The call (id {call_id}) appears in the call log when it ends.")}
                        </p>
                    }.into_any(),
                })}
            </div>
        </Card>
    }
    .into_any()
}

/// Who said a turn, and how its bubble looks.
pub(super) fn turn_style(role: &str) -> (&'static str, &'static str) {
    match role {
        "agent" => ("Agent", "mr-12 bg-surface-2"),
        "user" => ("You", "ml-12 bg-brand/10"),
        _ => ("Tool", "mx-12 bg-warning/10 font-mono text-xs"),
    }
}

/// Shows one more turn every 400 ms until all `total` are visible, or until the page is
/// left (its signal is gone then, and reading it would panic).
fn reveal(shown: RwSignal<usize>, total: usize) {
    #[cfg(feature = "hydrate")]
    {
        if shown.try_get_untracked().is_some_and(|s| s < total) {
            set_timeout(
                move || {
                    if shown.try_update(|s| *s += 1).is_some() {
                        reveal(shown, total);
                    }
                },
                std::time::Duration::from_millis(400),
            );
        }
    }
    #[cfg(not(feature = "hydrate"))]
    shown.set(total);
}
