//! `/w/{slug}` (the dashboard) and `/w/{slug}/analytics`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{workspace_analytics, workspace_dashboard};
use super::charts::{Bands, DailyBars, Donut};
use super::model::{Analytics, Dashboard, WINDOWS, window};
use crate::access::permission::WorkspacePermission;
use crate::billing::model::{Credits, dollars};
use crate::calls::model::{CallDirection, clock};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Size, Variant, button_class};
use crate::components::card::Card;
use crate::components::icon::IconName;
use crate::components::spinner::Skeleton;
use crate::components::stat_card::StatCard;
use crate::components::table::Table;
use crate::error::AppError;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

/// Links choosing the window, the current one marked.
#[component]
fn WindowPicker(
    current: u32,
    href: Callback<u32, String>,
    choices: &'static [u32],
) -> impl IntoView {
    view! {
        <nav aria-label="Period" class="flex gap-1">
            {choices
                .iter()
                .map(|d| {
                    let here = *d == current;
                    view! {
                        <a
                            href=href.run(*d)
                            aria-current=here.then_some("page")
                            class=format!(
                                "rounded-lg px-2.5 py-1 text-sm {}",
                                if here {
                                    "bg-brand/10 font-medium text-brand-ink"
                                } else {
                                    "text-muted hover:bg-surface-2"
                                },
                            )
                        >
                            {format!("{d} days")}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
pub fn WorkspaceDashboard() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let days = move || window(query.read().get("days").as_deref(), 7);
    let data = Resource::new(move || (slug(), days()), |(s, d)| workspace_dashboard(s, d));
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| {
            view! { <Skeleton class="h-32 w-full" /> }
        }>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let dashboard = data.await?;
                let can_create = overview.role.can(WorkspacePermission::AgentsWrite);
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <div class="space-y-6" data-testid="dashboard">
                            <div class="flex flex-wrap items-center gap-3">
                                <h1 class="text-2xl font-bold tracking-tight">
                                    {overview.workspace.name.clone()}
                                </h1>
                                <Badge>{overview.role.label()}</Badge>
                                {overview
                                    .is_billing_exempt
                                    .then(|| {
                                        view! { <Badge tone=Tone::Info>"Billing exempt"</Badge> }
                                    })}
                            </div>
                            <DashboardView
                                dashboard
                                credits=overview.credits.clone()
                                slug=overview.workspace.slug.clone()
                                can_create
                            />
                        </div>
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(
    dashboard: Dashboard,
    credits: Credits,
    slug: String,
    can_create: bool,
) -> impl IntoView {
    let d = dashboard;
    let credit_note = if credits.billing_exempt {
        "Charged to the organisation".to_owned()
    } else {
        format!("About {} minutes left", credits.minutes_left())
    };
    let href = {
        let slug = slug.clone();
        Callback::new(move |days: u32| format!("/w/{slug}?days={days}"))
    };
    let recent_empty = d.recent.is_empty();
    let recent = d.recent.clone();
    let row_slug = slug.clone();
    view! {
        <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="dashboard-kpis">
            <div data-testid="kpi-agents">
                <StatCard
                    label="Agents"
                    value=Signal::stored(d.agents.to_string())
                    icon=IconName::Agent
                />
            </div>
            <div data-testid="kpi-calls">
                <StatCard
                    label="Conversations"
                    value=Signal::stored(d.conversations.to_string())
                    icon=IconName::Phone
                />
            </div>
            <StatCard
                label="Minutes this month"
                value=Signal::stored(d.month_minutes.to_string())
                icon=IconName::Chart
                note=format!("Cost {}", dollars(d.month_cents))
            />
            <div data-testid="kpi-credits">
                <StatCard
                    label="Credits"
                    value=Signal::stored(dollars(credits.balance_cents))
                    icon=IconName::Billing
                    note=credit_note
                />
            </div>
        </div>
        <div class="grid gap-6 xl:grid-cols-3">
            <div class="xl:col-span-2">
                <Card title="Calls per day">
                    <div class="mb-3">
                        <WindowPicker current=d.days href choices=&WINDOWS[..3] />
                    </div>
                    <DailyBars title="Calls per day" days=d.per_day.clone() />
                </Card>
            </div>
            <Card title="Outcomes">
                <Donut title="Call outcomes" slices=d.outcomes.clone() />
            </Card>
        </div>
        <div class="grid gap-6 xl:grid-cols-3">
            <div class="xl:col-span-2 space-y-2">
                <div class="flex items-center justify-between">
                    <h2 class="text-lg font-semibold">"Recent calls"</h2>
                    <a
                        href=format!("/w/{slug}/calls")
                        class="text-sm text-brand-ink underline underline-offset-2"
                    >
                        "View all"
                    </a>
                </div>
                <Table
                    caption="The five most recent calls"
                    headers=vec!["Time", "Agent", "Number", "Status", "Duration"]
                    empty=recent_empty
                    empty_title="No calls yet"
                    empty_message="Place a test call from an agent's page to see it here."
                >
                    {recent
                        .clone()
                        .into_iter()
                        .map(|r| view! { <RecentRow row=r slug=row_slug.clone() /> })
                        .collect_view()}
                </Table>
            </div>
            <Card title="Quick actions">
                <ul class="space-y-2 text-sm">
                    {can_create
                        .then(|| {
                            view! {
                                <li>
                                    <a
                                        href=format!("/w/{slug}/agents/new")
                                        class="text-brand-ink underline underline-offset-2"
                                    >
                                        "Create an agent"
                                    </a>
                                </li>
                            }
                        })} <li>
                        <a
                            href=format!("/w/{slug}/agents")
                            class="text-brand-ink underline underline-offset-2"
                        >
                            "All agents"
                        </a>
                    </li> <li>
                        <a
                            href=format!("/w/{slug}/calls")
                            class="text-brand-ink underline underline-offset-2"
                        >
                            "Call logs"
                        </a>
                    </li> <li>
                        <a
                            href=format!("/w/{slug}/analytics")
                            class="text-brand-ink underline underline-offset-2"
                        >
                            "Analytics"
                        </a>
                    </li> <li>
                        <a
                            href=format!("/w/{slug}/members")
                            class="text-brand-ink underline underline-offset-2"
                        >
                            "Team"
                        </a>
                    </li> <li>
                        <a
                            href=format!("/w/{slug}/billing")
                            class="text-brand-ink underline underline-offset-2"
                        >
                            "Billing"
                        </a>
                    </li>
                </ul>
            </Card>
        </div>
    }
}

#[component]
fn RecentRow(row: crate::calls::model::CallRow, slug: String) -> impl IntoView {
    let r = row;
    view! {
        <tr data-testid="recent-call">
            <td class="px-4 py-2">
                <a
                    href=format!("/w/{slug}/calls/{}", r.id)
                    class="text-brand-ink underline underline-offset-2"
                >
                    {crate::text::month_day_time(&r.created_at)}
                </a>
            </td>
            <td class="px-4 py-2">{r.agent_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="px-4 py-2">
                {r
                    .phone_number
                    .clone()
                    .unwrap_or_else(|| {
                        if r.direction == CallDirection::Web {
                            "Browser".into()
                        } else {
                            "—".into()
                        }
                    })}
            </td>
            <td class="px-4 py-2">{r.status.label()}</td>
            <td class="px-4 py-2 tabular-nums">{clock(r.duration_seconds)}</td>
        </tr>
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let days = move || window(query.read().get("days").as_deref(), 30);
    let agent = move || query.read().get("agent").unwrap_or_default();
    let report = Resource::new(
        move || (slug(), days(), agent()),
        |(s, d, a)| workspace_analytics(s, d, a),
    );
    view! {
        <Title text="Analytics" />
        <Suspense fallback=|| {
            view! { <Skeleton class="h-32 w-full" /> }
        }>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let report = report.await?;
                let can_export = overview.role.can(WorkspacePermission::AnalyticsExport);
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <AnalyticsView report slug=overview.workspace.slug.clone() can_export />
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
fn AnalyticsView(report: Analytics, slug: String, can_export: bool) -> impl IntoView {
    let r = report;
    let agent = r.agent_id.map(|a| a.to_string()).unwrap_or_default();
    let href = {
        let (slug, agent) = (slug.clone(), agent.clone());
        Callback::new(move |days: u32| {
            if agent.is_empty() {
                format!("/w/{slug}/analytics?days={days}")
            } else {
                format!("/w/{slug}/analytics?days={days}&agent={agent}")
            }
        })
    };
    let t = r.totals.clone();
    let success_note = if t.judged > 0 {
        "As the provider judged each call".to_string()
    } else {
        "Answered calls".to_string()
    };
    let export = format!("/w/{slug}/analytics.csv?days={}&agent={agent}", r.days);
    let empty = r.agents.is_empty();
    view! {
        <div class="space-y-6" data-testid="analytics-page">
            <div class="flex flex-wrap items-end justify-between gap-3">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight">"Analytics"</h1>
                    <p class="mt-1 text-sm text-muted">
                        {format!("The last {} days, in UTC.", r.days)}
                    </p>
                </div>
                <div class="flex flex-wrap items-center gap-3">
                    <WindowPicker current=r.days href choices=&WINDOWS />
                    <form method="get" class="flex items-center gap-2">
                        <input type="hidden" name="days" value=r.days.to_string() />
                        <label for="analytics-agent" class="text-sm text-muted">
                            "Agent"
                        </label>
                        <select
                            id="analytics-agent"
                            name="agent"
                            class="rounded-lg border border-line bg-surface px-2 py-1 text-sm"
                        >
                            <option value="">"All agents"</option>
                            {r
                                .agent_options
                                .iter()
                                .map(|(id, name)| {
                                    let selected = r.agent_id == Some(*id);
                                    view! {
                                        <option value=id.to_string() selected=selected>
                                            {name.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <button type="submit" class=button_class(Variant::Secondary, Size::Small)>
                            "Show"
                        </button>
                    </form>
                    {can_export
                        .then(|| {
                            view! {
                                <a
                                    href=export
                                    rel="external"
                                    download=""
                                    class=button_class(Variant::Secondary, Size::Small)
                                    data-testid="export-analytics"
                                >
                                    "Export CSV"
                                </a>
                            }
                        })}
                </div>
            </div>
            <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
                <div data-testid="analytics-calls">
                    <StatCard label="Calls" value=Signal::stored(t.calls.to_string()) />
                </div>
                <StatCard
                    label="Total duration"
                    value=Signal::stored(clock(t.seconds.min(i64::from(i32::MAX)) as i32))
                    note=format!("Average {}", clock(t.average_seconds() as i32))
                />
                <StatCard
                    label="Average cost per call"
                    value=Signal::stored(dollars(t.average_cents()))
                    note=format!("Total {}", dollars(t.cents))
                />
                <div data-testid="analytics-success">
                    <StatCard
                        label="Success rate"
                        value=Signal::stored(format!("{}%", t.success_percent()))
                        note=success_note
                    />
                </div>
            </div>
            <Card title="Calls per day">
                <DailyBars title="Calls per day over the period" days=r.per_day.clone() />
            </Card>
            <div class="grid gap-6 lg:grid-cols-3">
                <Card title="Outcomes">
                    <Donut title="Call outcomes" slices=r.outcomes.clone() />
                </Card>
                <Card title="Duration">
                    <Bands title="Calls by duration" slices=r.durations.clone() />
                </Card>
                <Card title="Sentiment">
                    <Bands title="Calls by sentiment" slices=r.sentiments.clone() />
                </Card>
            </div>
            <section class="space-y-2">
                <h2 class="text-lg font-semibold">"Agent performance"</h2>
                <Table
                    caption="How each agent did over the period"
                    headers=vec![
                        "Agent",
                        "Provider",
                        "Calls",
                        "Success",
                        "Average",
                        "Sentiment (+ / = / −)",
                        "Cost",
                    ]
                    empty=empty
                    empty_title="No calls in this period"
                >
                    {r
                        .agents
                        .clone()
                        .into_iter()
                        .map(|a| {
                            let success = a.totals.success_percent();
                            let success_class = if success >= 80 {
                                "px-4 py-2 tabular-nums text-success"
                            } else {
                                "px-4 py-2 tabular-nums"
                            };
                            view! {
                                <tr data-testid="agent-performance">
                                    <td class="px-4 py-2 font-medium">{a.name.clone()}</td>
                                    <td class="px-4 py-2 capitalize">{a.provider.clone()}</td>
                                    <td class="px-4 py-2 tabular-nums">{a.totals.calls}</td>
                                    <td class=success_class>{format!("{success}%")}</td>
                                    <td class="px-4 py-2 tabular-nums">
                                        {clock(a.totals.average_seconds() as i32)}
                                    </td>
                                    <td class="px-4 py-2 tabular-nums">
                                        {format!("{} / {} / {}", a.positive, a.neutral, a.negative)}
                                    </td>
                                    <td class="px-4 py-2 tabular-nums">
                                        {dollars(a.totals.cents)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </Table>
            </section>
        </div>
    }
}
