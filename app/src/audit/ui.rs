//! The audit log's pages: `/org/audit` (an organisation's owners and admins) and
//! `/super-admin/audit` (everyone's). Server-rendered: the filters are a plain GET form,
//! the pages plain links, the export a download of the same filters.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{all_audit, org_audit};
use super::model::{AuditFilter, AuditPage, AuditRow, Choice, action_label};
use crate::components::button::{Size, Variant, button_class};
use crate::components::input::TextField;
use crate::components::pagination::{Pagination, page_in};
use crate::components::select::Select;
use crate::components::table::Table;
use crate::error::AppError;
use crate::org::frame::OrgFrame;
use crate::super_admin::ui::ConsoleFrame;

#[component]
pub fn OrgAuditPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (AuditFilter::from_query(&q), page_in(&q))
    };
    let log = Resource::new_blocking(asked, |(filter, page)| org_audit(filter, page));
    view! {
        <Title text="Audit log" />
        <OrgFrame title="Audit log">
            <Suspense>
                {move || Suspend::new(async move {
                    let (filter, _) = asked();
                    match log.await {
                        Ok(page) => {
                            view! { <AuditLog page filter base="/org/audit" everything=false /> }
                                .into_any()
                        }
                        Err(e) if e.status() == 422 => refused_filter(e, "/org/audit"),
                        Err(e) => crate::org::frame::refusal(e, "the audit log"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

#[component]
pub fn ConsoleAuditPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (AuditFilter::from_query(&q), page_in(&q))
    };
    let log = Resource::new_blocking(asked, |(filter, page)| all_audit(filter, page));
    view! {
        <Title text="Audit log" />
        <ConsoleFrame title="Audit log">
            <Suspense>
                {move || Suspend::new(async move {
                    let (filter, _) = asked();
                    match log.await {
                        Ok(page) => {
                            view! {
                                <AuditLog page filter base="/super-admin/audit" everything=true />
                            }
                                .into_any()
                        }
                        Err(e) if e.status() == 422 => refused_filter(e, "/super-admin/audit"),
                        Err(e) => crate::super_admin::ui::refusal(e),
                    }
                })}
            </Suspense>
        </ConsoleFrame>
    }
}

/// Filters the log cannot read (typed into the address by hand): which, and the way back.
fn refused_filter(error: AppError, base: &'static str) -> AnyView {
    let why = match &error {
        AppError::Validation { fields, .. } if !fields.is_empty() => fields
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.reason(),
    };
    view! {
        <div role="alert" class="space-y-2 text-sm">
            <p class="text-danger">{format!("These filters cannot be used ({why}).")}</p>
            <a href=base class="text-brand-ink underline underline-offset-2">
                "Show the whole log"
            </a>
        </div>
    }
    .into_any()
}

#[component]
fn AuditLog(
    page: AuditPage,
    filter: AuditFilter,
    base: &'static str,
    everything: bool,
) -> impl IntoView {
    let pages = page.pages();
    let current = page.page;
    let query = filter.to_query(0);
    let export = if query.is_empty() {
        format!("{base}.csv")
    } else {
        format!("{base}.csv?{query}")
    };
    let href = {
        let filter = filter.clone();
        Callback::new(move |n: u32| {
            let q = filter.to_query(n);
            if q.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{q}")
            }
        })
    };
    let any = |choices: Vec<Choice>, none: &str| -> Vec<(String, String)> {
        std::iter::once((String::new(), none.to_owned()))
            .chain(choices.into_iter().map(|c| (c.value, c.label)))
            .collect()
    };
    let filtered = !query.is_empty();
    let summary = match (page.total, filtered) {
        (0, _) => String::new(),
        (1, false) => "1 entry".into(),
        (1, true) => "1 entry matches".into(),
        (n, false) => format!("{n} entries"),
        (n, true) => format!("{n} entries match"),
    };
    let rows = page.rows;
    let empty = rows.is_empty();
    let mut headers = vec!["When", "Who", "Action", "On", "Where"];
    if everything {
        headers.push("Organization");
    }
    headers.extend(["From", "Details"]);
    view! {
        <p class="text-sm text-muted">
            "Who did what, when and from where: sign-ins, roles, invitations, agents, documents, credit and settings. Entries are never changed or removed."
        </p>
        <form
            method="get"
            action=base
            class="grid gap-3 rounded-xl border border-line bg-surface p-4 sm:grid-cols-2 lg:grid-cols-5"
            aria-label="Filter the audit log"
        >
            <Select
                label="Person"
                name="person"
                options=any(page.people, "Anyone")
                value=filter.person.clone()
            />
            <Select
                label="Action"
                name="action"
                options=any(page.actions, "Any action")
                value=filter.action.clone()
            />
            {everything
                .then(|| {
                    view! {
                        <Select
                            label="Organization"
                            name="organisation"
                            options=any(page.organisations, "Every organization")
                            value=filter.organisation.clone()
                        />
                    }
                })}
            <TextField label="From" name="from" kind="date" value=filter.from.clone() />
            <TextField label="To" name="to" kind="date" value=filter.to.clone() />
            <div class="flex items-end gap-2">
                <button type="submit" class=button_class(Variant::Primary, Size::Medium)>
                    "Filter"
                </button>
                {filtered
                    .then(|| {
                        view! {
                            <a href=base class=button_class(Variant::Ghost, Size::Medium)>
                                "Clear"
                            </a>
                        }
                    })}
            </div>
        </form>
        <div class="flex items-center justify-between gap-3">
            <p class="text-sm text-muted" data-testid="audit-total">
                {summary}
            </p>
            <a href=export class=button_class(Variant::Secondary, Size::Small) download="">
                "Download CSV"
            </a>
        </div>
        <Table
            caption="Audit log entries, newest first"
            headers
            empty=empty
            empty_title=if filtered { "No entry matches" } else { "Nothing recorded yet" }
            empty_message=if filtered {
                "Try fewer filters or a wider range of days."
            } else {
                "Sign-ins, role changes and other sensitive actions appear here as they happen."
            }
        >
            {rows.iter().cloned().map(|row| view! { <Entry row everything /> }).collect_view()}
        </Table>
        {(pages > 1).then(|| view! { <Pagination page=current total_pages=pages href /> })}
    }
}

#[component]
fn Entry(row: AuditRow, everything: bool) -> impl IntoView {
    let what = match &row.entity_id {
        Some(id) if !id.is_empty() => {
            format!("{} {}", row.entity_type.replace('_', " "), short(id))
        }
        _ => row.entity_type.replace('_', " "),
    };
    let at = row.at.format("%b %-d, %Y %H:%M:%S UTC").to_string();
    let iso = row.at.to_rfc3339();
    view! {
        <tr data-action=row.action.clone()>
            <td class="whitespace-nowrap px-4 py-2 text-muted">
                <time datetime=iso>{at}</time>
            </td>
            <td class="px-4 py-2">{row.person.unwrap_or_else(|| "Unknown person".into())}</td>
            <td class="px-4 py-2 font-medium" title=row.action.clone()>
                {action_label(&row.action)}
            </td>
            <td class="px-4 py-2 text-muted">{what}</td>
            <td class="px-4 py-2">{row.workspace.unwrap_or_else(|| "Organization".into())}</td>
            {everything
                .then(|| {
                    view! {
                        <td class="px-4 py-2">
                            {row.organisation.unwrap_or_else(|| "—".into())}
                        </td>
                    }
                })}
            <td class="px-4 py-2 font-mono text-xs" title=row.user_agent.unwrap_or_default()>
                {row.ip.unwrap_or_else(|| "—".into())}
            </td>
            <td class="max-w-xs break-words px-4 py-2 text-xs text-muted">{row.details}</td>
        </tr>
    }
}

/// The first eight characters of an id: enough to tell entries apart on a page.
fn short(id: &str) -> String {
    id.chars().take(8).collect()
}
