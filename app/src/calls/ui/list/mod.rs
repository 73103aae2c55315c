//! `/w/{slug}/calls`: filters, search with highlighted matches, totals, CSV export of the
//! filtered set, and the live news that renders the results again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::outcome_tone;
use crate::access::permission::WorkspacePermission;
use crate::billing::model::dollars;
use crate::calls::api::{ClearAlgolia, RefreshCalls, ResyncAlgolia, list_calls};
use crate::calls::filter::CallFilter;
use crate::calls::highlight::Piece;
use crate::calls::model::{CallDirection, CallPage, CallRow, SearchedWith, clock};
use crate::components::badge::Badge;
use crate::components::button::{Size, Variant, button_class};
use crate::components::form::form_error;
use crate::components::live::LiveIndicator;
use crate::components::pagination::{Pagination, page_in};
use crate::components::stat_card::StatCard;
use crate::components::table::Table;
use crate::error::AppError;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

mod filters;
use filters::FilterForm;

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> CallFilter {
    let get = |k: &str| query.get(k).unwrap_or_default();
    CallFilter {
        status: get("status"),
        direction: get("direction"),
        agent: get("agent"),
        outcome: get("outcome"),
        from: get("from"),
        to: get("to"),
        q: get("q"),
    }
}

/// Text with its search matches marked.
#[component]
fn Marked(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| {
            if p.hit {
                view! { <mark class="rounded bg-warning/30 px-0.5 text-fg">{p.text}</mark> }
                    .into_any()
            } else {
                p.text.into_any()
            }
        })
        .collect_view()
}

#[component]
pub fn CallsPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let filter = move || filter_from_query(&query.read());
    let page = move || page_in(&query.read());
    let calls = Resource::new(
        move || (slug(), filter(), page()),
        |(s, f, p)| list_calls(s, f, p),
    );
    view! {
        <Title text="Calls" />
        <div class="space-y-6" data-testid="calls-page">
            <CallsHeader
                slug=slug()
                export=format!("/w/{}/calls.csv{}", slug(), filter().to_query(1))
            />
            <Suspense>
                {move || Suspend::new(async move {
                    let f = filter();
                    match calls.await {
                        Ok(data) => {
                            let can_manage = workspace
                                .await
                                .is_ok_and(|o| o.role.can(WorkspacePermission::IntegrationsManage));
                            let algolia = (data.algolia && can_manage)
                                .then(|| view! { <AlgoliaActions slug=slug() /> });
                            view! {
                                {algolia}
                                <div id=RESULTS class="space-y-6">
                                    <CallsView data filter=f slug=slug() />
                                </div>
                            }
                                .into_any()
                        }
                        Err(AppError::Validation { fields, .. }) => {
                            let messages: Vec<String> = fields
                                .into_iter()
                                .map(|(k, v)| format!("{k}: {}", v.join(" ")))
                                .collect();
                            view! {
                                <FilterForm filter=f agents=vec![] />
                                <div
                                    role="alert"
                                    data-testid="filter-error"
                                    class="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
                                >
                                    {messages.join(" · ")}
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => Err::<(), _>(e).into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The element holding the figures, filters and table, which live news renders again.
const RESULTS: &str = "call-results";

/// The title, the live indicator, the providers check and the export link.
#[component]
fn CallsHeader(slug: String, export: String) -> impl IntoView {
    let refresh = ServerAction::<RefreshCalls>::new();
    view! {
        <div class="flex flex-wrap items-end justify-between gap-3">
            <div>
                <h1 class="text-2xl font-bold tracking-tight">"Calls"</h1>
                <p class="mt-1 text-sm text-muted">
                    "Every call of this workspace, newest first. Times are UTC."
                </p>
            </div>
            <LiveIndicator
                stream=format!("/w/{slug}/live")
                events=vec!["call".to_owned()]
                regions=vec![RESULTS.to_owned()]
            />
            <ActionForm action=refresh attr:class="flex items-center gap-2">
                <input type="hidden" name="slug" value=slug />
                <span role="alert" class="text-xs text-danger">
                    {form_error(refresh.value())}
                </span>
                <button
                    type="submit"
                    class=button_class(Variant::Ghost, Size::Small)
                    title="Ask VAPI and Retell about calls that have not reported their end"
                    data-testid="refresh-calls"
                >
                    "Check providers"
                </button>
            </ActionForm>
            <a
                href=export
                rel="external"
                download=""
                data-testid="export-csv"
                class=button_class(Variant::Secondary, Size::Small)
            >
                "Export CSV"
            </a>
        </div>
    }
}

#[component]
fn CallsView(data: CallPage, filter: CallFilter, slug: String) -> impl IntoView {
    let stats = data.stats.clone();
    let empty = data.rows.is_empty();
    let filtered = !filter.is_empty();
    let href = {
        let (slug, filter) = (slug.clone(), filter.clone());
        Callback::new(move |p: u32| format!("/w/{slug}/calls{}", filter.to_query(p)))
    };
    let rows = data.rows.clone();
    let searched = data.searched_with.clone().map(|s| match s {
        SearchedWith::Algolia => view! {
            <p class="text-xs text-muted" data-testid="searched-with" data-source="algolia">
                "Searched with Algolia."
            </p>
        }
        .into_any(),
        SearchedWith::BuiltIn => view! {
            <p class="text-xs text-muted" data-testid="searched-with" data-source="built-in">
                "Searched with the built-in index."
            </p>
        }
        .into_any(),
        SearchedWith::BuiltInInsteadOfAlgolia(why) => view! {
            <p
                role="status"
                class="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 text-xs"
                data-testid="searched-with"
                data-source="fallback"
            >
                {format!(
                    "Algolia did not answer ({why}); these results come from the built-in index.",
                )}
            </p>
        }
        .into_any(),
    });
    view! {
        <div
            class="grid gap-4 sm:grid-cols-2 lg:grid-cols-5"
            data-testid="call-stats"
            data-total=stats.total.to_string()
        >
            <StatCard label="Calls" value=Signal::stored(stats.total.to_string()) />
            <StatCard
                label="Answered"
                value=Signal::stored(format!("{}%", stats.answered_percent()))
            />
            <StatCard
                label="Average duration"
                value=Signal::stored(clock(stats.average_seconds() as i32))
            />
            <StatCard
                label="Minutes billed"
                value=Signal::stored(stats.billed_minutes.to_string())
            />
            <StatCard label="Cost" value=Signal::stored(dollars(stats.billed_cents)) />
        </div>
        <FilterForm filter=filter.clone() agents=data.agents.clone() />
        {searched}
        <Table
            caption="Calls"
            headers=vec![
                "Time",
                "Agent",
                "Direction",
                "Caller / number",
                "Duration",
                "Status",
                "Outcome",
                "Sentiment",
                "Cost",
            ]
            empty=empty
            empty_title=if filtered { "No calls match these filters" } else { "No calls yet" }
            empty_message=if filtered {
                "Clear a filter or search for other words."
            } else {
                "Calls appear here as soon as an agent takes or makes one; try a test call from an agent's page."
            }
        >
            {rows
                .clone()
                .into_iter()
                .map(|r| view! { <Row row=r slug=slug.clone() /> })
                .collect_view()}
        </Table>
        <Pagination page=data.page total_pages=data.total_pages href />
    }
}

/// Resync or clear the workspace's records in Algolia (admins of a workspace that has it);
/// plain forms, whose outcome the next page shows.
#[component]
fn AlgoliaActions(slug: String) -> impl IntoView {
    let resync = ServerAction::<ResyncAlgolia>::new();
    let clear = ServerAction::<ClearAlgolia>::new();
    let refused = Signal::derive(move || {
        form_error(resync.value())
            .get()
            .or_else(|| form_error(clear.value()).get())
    });
    let again = slug.clone();
    view! {
        <div class="flex flex-wrap items-center gap-2 text-sm" data-testid="algolia-actions">
            <span class="text-muted">"Algolia index:"</span>
            <ActionForm action=resync>
                <input type="hidden" name="slug" value=again />
                <button type="submit" class=button_class(Variant::Secondary, Size::Small)>
                    "Resync"
                </button>
            </ActionForm>
            <ActionForm action=clear>
                <input type="hidden" name="slug" value=slug />
                <button type="submit" class=button_class(Variant::Ghost, Size::Small)>
                    "Clear"
                </button>
            </ActionForm>
            <span role="alert" class="text-danger" data-testid="algolia-outcome">
                {refused}
            </span>
        </div>
    }
}

#[component]
fn Row(row: CallRow, slug: String) -> impl IntoView {
    let href = format!("/w/{slug}/calls/{}", row.id);
    let who = match (&row.caller_name, &row.phone_number) {
        (Some(n), Some(p)) => format!("{n} · {p}"),
        (Some(n), None) => n.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => {
            if row.direction == CallDirection::Web {
                "Browser".into()
            } else {
                "Unknown".into()
            }
        }
    };
    view! {
        <tr
            data-testid="call-row"
            data-status=row.status.as_str()
            data-id=row.id.to_string()
            class="align-top hover:bg-surface-2"
        >
            <td class="whitespace-nowrap px-4 py-2">
                <a href=href class="font-medium text-brand-ink underline underline-offset-2">
                    {crate::text::month_day_time(&row.created_at)}
                </a>
                {row.is_test.then(|| view! { <span class="ml-1 text-xs text-muted">"test"</span> })}
            </td>
            <td class="px-4 py-2">{row.agent_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="px-4 py-2">{row.direction.label()}</td>
            <td class="px-4 py-2">
                <span class="block">{who}</span>
                {row
                    .snippet
                    .clone()
                    .map(|pieces| {
                        view! {
                            <span
                                class="mt-1 block max-w-md text-xs text-muted"
                                data-testid="search-snippet"
                            >
                                <Marked pieces />
                            </span>
                        }
                    })}
            </td>
            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{clock(row.duration_seconds)}</td>
            <td class="px-4 py-2">{row.status.label()}</td>
            <td class="px-4 py-2">
                <Badge tone=outcome_tone(row.outcome)>{row.outcome.label()}</Badge>
            </td>
            <td class="px-4 py-2 capitalize">
                {row.sentiment.clone().unwrap_or_else(|| "—".into())}
            </td>
            <td class="whitespace-nowrap px-4 py-2 text-right tabular-nums">
                {dollars(row.billed_cents)}
            </td>
        </tr>
    }
}
