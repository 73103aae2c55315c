//! `/w/{slug}/agents`: the workspace's agents as cards (provider, direction, sync state,
//! calls and last call), filters (a GET form: `?q=&provider=&direction=`), and the webhook
//! check with its repair action (a plain form). No island.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{SyncBadge, minutes};
use crate::access::permission::WorkspacePermission;
use crate::agents::api::{FixWebhooks, list_agents, webhook_status};
use crate::agents::model::{AgentProvider, AgentSummary, Direction, WebhookCheck, WebhookState};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

/// The list's filters, as the address gives them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filter {
    search: String,
    provider: String,
    direction: String,
}

impl Filter {
    fn is_empty(&self) -> bool {
        self.search.is_empty() && self.provider.is_empty() && self.direction.is_empty()
    }

    fn matches(&self, agent: &AgentSummary) -> bool {
        agent
            .name
            .to_lowercase()
            .contains(&self.search.trim().to_lowercase())
            && (self.provider.is_empty() || agent.provider.as_str() == self.provider)
            && (self.direction.is_empty() || agent.direction.as_str() == self.direction)
    }
}

#[component]
pub fn AgentsPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let filter = move || {
        let q = query.read();
        Filter {
            search: q.get("q").unwrap_or_default(),
            provider: q.get("provider").unwrap_or_default(),
            direction: q.get("direction").unwrap_or_default(),
        }
    };
    let agents = Resource::new(slug, list_agents);
    let webhooks = Resource::new(slug, webhook_status);
    view! {
        <Title text="Agents" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let slug = overview.workspace.slug.clone();
                let can_create = overview.role.can(WorkspacePermission::AgentsWrite);
                let can_fix = overview.role.can(WorkspacePermission::IntegrationsManage);
                let list = agents.await?;
                let checks = webhooks.await.unwrap_or_default();
                let new_href = format!("/w/{slug}/agents/new");
                let empty = list.is_empty();
                Ok::<
                    _,
                    crate::error::AppError,
                >(
                    view! {
                        <div class="space-y-6" data-testid="agents-page">
                            <div class="flex flex-wrap items-end justify-between gap-4">
                                <div>
                                    <h1 class="text-2xl font-bold tracking-tight">"Agents"</h1>
                                    <p class="mt-1 text-sm text-muted">
                                        "Voice agents that answer and place this workspace's calls."
                                    </p>
                                </div>
                                {can_create
                                    .then(|| {
                                        view! {
                                            <LinkButton href=new_href.clone()>"New agent"</LinkButton>
                                        }
                                    })}
                            </div>
                            <WebhookPanel checks slug=slug.clone() can_fix />
                            {if empty {
                                view! {
                                    <Card>
                                        <div class="py-8 text-center" data-testid="no-agents">
                                            <p class="font-medium">"No agents yet"</p>
                                            <p class="mt-1 text-sm text-muted">
                                                "Create one with the built-in Sandbox provider to try calls without any keys."
                                            </p>
                                            {can_create
                                                .then(|| {
                                                    view! {
                                                        <div class="mt-4">
                                                            <LinkButton href=new_href
                                                                .clone()>"Create your first agent"</LinkButton>
                                                        </div>
                                                    }
                                                })}
                                        </div>
                                    </Card>
                                }
                                    .into_any()
                            } else {
                                let filter = filter();
                                let shown: Vec<AgentSummary> = list
                                    .into_iter()
                                    .filter(|a| filter.matches(a))
                                    .collect();
                                view! {
                                    <AgentFilters slug=slug.clone() filter />
                                    {if shown.is_empty() {
                                        view! {
                                            <Card>
                                                <p
                                                    class="py-6 text-center text-sm text-muted"
                                                    data-testid="no-matching-agents"
                                                >
                                                    "No agents match these filters."
                                                </p>
                                            </Card>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul
                                                class="grid gap-4 md:grid-cols-2 xl:grid-cols-3"
                                                data-testid="agent-list"
                                            >
                                                {shown
                                                    .into_iter()
                                                    .map(|a| view! { <AgentCard agent=a slug=slug.clone() /> })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                }
                                    .into_any()
                            }}
                        </div>
                    },
                )
            })}
        </Suspense>
    }
}

/// A GET form: the filters are in the address, so a filtered list can be bookmarked.
#[component]
fn AgentFilters(slug: String, filter: Filter) -> impl IntoView {
    let filtered = !filter.is_empty();
    view! {
        <form
            method="get"
            action=format!("/w/{slug}/agents")
            role="search"
            class="grid items-end gap-4 sm:grid-cols-[1fr_1fr_1fr_auto]"
            data-testid="agent-filters"
        >
            <TextField
                label="Search"
                name="q"
                kind="search"
                placeholder="Agent name"
                value=filter.search
            />
            <Select
                label="Provider"
                name="provider"
                value=filter.provider
                options=std::iter::once((String::new(), "All providers".to_owned()))
                    .chain(
                        AgentProvider::ALL
                            .into_iter()
                            .map(|p| (p.as_str().to_owned(), p.label().to_owned())),
                    )
                    .collect()
            />
            <Select
                label="Direction"
                name="direction"
                value=filter.direction
                options=vec![
                    (String::new(), "Inbound and outbound".into()),
                    ("inbound".into(), "Inbound".into()),
                    ("outbound".into(), "Outbound".into()),
                ]
            />
            <div class="flex gap-2">
                <Button kind="submit" variant=Variant::Secondary>
                    "Filter"
                </Button>
                {filtered
                    .then(|| {
                        view! {
                            <LinkButton href=format!("/w/{slug}/agents") variant=Variant::Ghost>
                                "Clear"
                            </LinkButton>
                        }
                    })}
            </div>
        </form>
    }
}

#[component]
fn AgentCard(agent: AgentSummary, slug: String) -> impl IntoView {
    let href = format!("/w/{slug}/agents/{}", agent.id);
    let last_call = agent
        .last_call_at
        .map(|t| t.format("%b %-d, %H:%M UTC").to_string())
        .unwrap_or_else(|| "No calls yet".into());
    let name = agent.name.clone();
    view! {
        <li
            data-testid="agent-card"
            data-name=name
            data-provider=agent.provider.as_str()
            data-direction=agent.direction.as_str()
        >
            <a
                href=href
                class="block h-full rounded-xl border border-line bg-surface p-5 shadow-sm transition hover:border-brand focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
            >
                <div class="flex items-start justify-between gap-3">
                    <div class="min-w-0">
                        <p class="truncate font-semibold">{agent.name.clone()}</p>
                        <p class="mt-0.5 text-xs text-muted">
                            {format!(
                                "{} · {} · {}",
                                agent.provider.label(),
                                agent.voice_name,
                                agent.model_label,
                            )}
                        </p>
                    </div>
                    <SyncBadge status=agent.sync_status />
                </div>
                <div class="mt-3 flex flex-wrap gap-1.5">
                    <Badge tone=if agent.direction == Direction::Inbound {
                        Tone::Info
                    } else {
                        Tone::Brand
                    }>{agent.direction.label()}</Badge>
                    {(agent.direction == Direction::Inbound && agent.allow_outbound)
                        .then(|| view! { <Badge>"Outbound campaigns"</Badge> })}
                    {(!agent.is_active)
                        .then(|| view! { <Badge tone=Tone::Warning>"Inactive"</Badge> })}
                    {(agent.tool_count > 0)
                        .then(|| {
                            view! { <Badge>{format!("{} tool(s)", agent.tool_count)}</Badge> }
                        })}
                    {agent
                        .needs_resync
                        .then(|| {
                            view! { <Badge tone=Tone::Warning>"Knowledge changed: resync"</Badge> }
                        })}
                </div>
                {agent
                    .last_sync_error
                    .clone()
                    .filter(|_| agent.sync_status != crate::agents::model::SyncStatus::Synced)
                    .map(|e| {
                        view! {
                            <p
                                class="mt-3 line-clamp-2 text-xs text-danger"
                                data-testid="agent-sync-error"
                            >
                                {e}
                            </p>
                        }
                    })}
                <dl class="mt-4 grid grid-cols-3 gap-2 text-center text-xs">
                    <div>
                        <dt class="text-muted">"Calls"</dt>
                        <dd class="font-semibold">{agent.total_calls}</dd>
                    </div>
                    <div>
                        <dt class="text-muted">"Minutes"</dt>
                        <dd class="font-semibold">{minutes(agent.total_seconds)}</dd>
                    </div>
                    <div>
                        <dt class="text-muted">"Last call"</dt>
                        <dd class="font-semibold">{last_call}</dd>
                    </div>
                </dl>
            </a>
        </li>
    }
}

#[component]
fn WebhookPanel(checks: Vec<WebhookCheck>, slug: String, can_fix: bool) -> impl IntoView {
    let wrong: Vec<WebhookCheck> = checks
        .into_iter()
        .filter(|c| matches!(c.state, WebhookState::Mismatch | WebhookState::Unknown))
        .collect();
    (!wrong.is_empty()).then(|| view! {
        <div
            class="rounded-xl border border-warning/40 bg-warning/10 p-4"
            role="alert"
            data-testid="webhook-warning"
        >
            <p class="text-sm font-medium">
                "Some agents send their call events to the wrong address, so their calls will not reach the call log."
            </p>
            <ul class="mt-2 space-y-1 text-xs text-muted">
                {wrong
                    .iter()
                    .map(|c| {
                        view! {
                            <li>
                                {format!(
                                    "{} ({}): {}",
                                    c.name,
                                    c.provider.label(),
                                    match &c.actual {
                                        Some(url) => format!("sends to {url}"),
                                        None => "could not be checked".to_owned(),
                                    },
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {can_fix.then(|| view! { <FixWebhooksButton slug /> })}
        </div>
    })
}

/// Points every agent's webhook back at this deployment; the server answers with this page,
/// saying what was done.
#[component]
fn FixWebhooksButton(slug: String) -> impl IntoView {
    let fix = ServerAction::<FixWebhooks>::new();
    view! {
        <ActionForm action=fix attr:class="mt-3 space-y-2">
            <FormAlert message=form_error(fix.value()) />
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="force" value="false" />
            <Button kind="submit" size=Size::Small variant=Variant::Secondary>
                "Fix webhooks"
            </Button>
        </ActionForm>
    }
}
