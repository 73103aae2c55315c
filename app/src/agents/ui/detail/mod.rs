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
use crate::agents::api::{DeleteAgent, DuplicateAgent, ResyncAgent, SetAgentActive, get_agent};
use crate::agents::model::{AgentDetail, Direction, SyncStatus};
use crate::calls::api::get_call;
use crate::calls::model::CallDetail;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, form_error};
use crate::error::AppError;

mod test_call;
use test_call::{CallMeCard, TestCallCard};

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
