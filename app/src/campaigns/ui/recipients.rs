//! A campaign's recipients on its page: filtered by status, searched by name or number,
//! each with a link to their last call; the table is a live region of the page.

use leptos::prelude::*;
use uuid::Uuid;

use super::super::model::{RecipientPage, RecipientStatus};
use super::status_chips;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::pagination::Pagination;
use crate::components::table::Table;

/// The element the live news renders again.
pub const RECIPIENTS_REGION: &str = "campaign-recipients";

/// The page's address for a status filter, a search and a page.
fn address(slug: &str, id: Uuid, status: &str, search: &str, page: u32) -> String {
    let mut parts = Vec::new();
    for (key, value) in [("status", status), ("q", search)] {
        if !value.is_empty() {
            parts.push(format!("{key}={}", crate::text::percent_encode(value, b"")));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    let query = match parts.is_empty() {
        true => String::new(),
        false => format!("?{}", parts.join("&")),
    };
    format!("/w/{slug}/campaigns/{id}{query}#recipients")
}

#[component]
pub fn Recipients(
    slug: String,
    id: Uuid,
    rejected: u64,
    recipients: RecipientPage,
    status: String,
    search: String,
) -> impl IntoView {
    let filters = {
        let search = search.clone();
        status_chips(
            RecipientStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
            &status,
            |value| address(&slug, id, value, &search, 1),
        )
    };
    let page_href = {
        let (slug, status, search) = (slug.clone(), status.clone(), search.clone());
        Callback::new(move |n: u32| address(&slug, id, &status, &search, n))
    };
    let rows = recipients.rows.clone();
    let empty = rows.is_empty();
    let row_slug = slug.clone();
    let searched = !search.is_empty();
    view! {
        <section id="recipients" class="space-y-3">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h2 class="text-lg font-semibold">"Recipients"</h2>
                <div class="flex gap-2">
                    <LinkButton
                        href=format!("/w/{slug}/campaigns/{id}/recipients.csv")
                        size=Size::Small
                        variant=Variant::Secondary
                        attr:download=""
                    >
                        "Export results (CSV)"
                    </LinkButton>
                    {(rejected > 0)
                        .then(|| {
                            view! {
                                <LinkButton
                                    href=format!("/w/{slug}/campaigns/{id}/rejects.csv")
                                    size=Size::Small
                                    variant=Variant::Ghost
                                >
                                    "Rows not used (CSV)"
                                </LinkButton>
                            }
                        })}
                </div>
            </div>
            <div class="flex flex-wrap items-center justify-between gap-3">
                <nav aria-label="Recipient status" class="flex flex-wrap gap-2">
                    {filters}
                </nav>
                <form
                    method="get"
                    action=format!("/w/{slug}/campaigns/{id}")
                    role="search"
                    class="flex items-center gap-2"
                    data-testid="recipient-search"
                >
                    {(!status.is_empty())
                        .then(|| {
                            view! { <input type="hidden" name="status" value=status.clone() /> }
                        })}
                    <label for="recipient-q" class="sr-only">
                        "Search recipients"
                    </label>
                    <input
                        id="recipient-q"
                        type="search"
                        name="q"
                        maxlength="100"
                        value=search.clone()
                        placeholder="Name or number"
                        class="w-48 rounded-lg border border-line bg-surface px-3 py-1.5 text-sm"
                    />
                    <Button kind="submit" size=Size::Small variant=Variant::Secondary>
                        "Search"
                    </Button>
                </form>
            </div>
            <div id=RECIPIENTS_REGION class="space-y-3">
                <Table
                    caption="Recipients"
                    headers=vec!["Recipient", "Status", "Outcome", "Attempts", "Next or last"]
                    empty=empty
                    empty_title=if searched { "Nobody matches this search" } else { "Nobody here" }
                >
                    {rows
                        .clone()
                        .into_iter()
                        .map(|r| {
                            let slug = row_slug.clone();
                            let status_label = r.status.label();
                            let call = r
                                .conversation_id
                                .map(move |c| {
                                    view! {
                                        <a
                                            href=format!("/w/{slug}/calls/{c}")
                                            class="text-brand-ink hover:underline"
                                        >
                                            "Last call"
                                        </a>
                                    }
                                });
                            let when = match (r.status, r.next_attempt_at) {
                                (RecipientStatus::Queued, Some(at)) => {
                                    format!("Next {}", at.format("%b %-d, %H:%M UTC"))
                                }
                                _ => r.last_error.clone().unwrap_or_default(),
                            };
                            view! {
                                <tr data-testid="recipient-row" data-phone=r.phone.clone()>
                                    <td class="px-4 py-3">
                                        <p class="font-medium tabular-nums">{r.phone.clone()}</p>
                                        <p class="text-xs text-muted">
                                            {r.name.clone().unwrap_or_default()}
                                        </p>
                                    </td>
                                    <td class="px-4 py-3">
                                        <Badge tone=status_tone(r.status)>{status_label}</Badge>
                                    </td>
                                    <td class="px-4 py-3">
                                        {r.outcome.map(|o| o.label()).unwrap_or("—")}
                                    </td>
                                    <td class="px-4 py-3 tabular-nums">{r.attempts}</td>
                                    <td class="px-4 py-3 text-xs text-muted">
                                        <span>{when}</span>
                                        " "
                                        {call}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </Table>
                <Pagination
                    page=recipients.page as u32
                    total_pages=recipients.pages as u32
                    href=page_href
                />
            </div>
        </section>
    }
}

fn status_tone(status: RecipientStatus) -> Tone {
    match status {
        RecipientStatus::Completed => Tone::Success,
        RecipientStatus::Failed => Tone::Danger,
        RecipientStatus::Calling => Tone::Info,
        RecipientStatus::Skipped | RecipientStatus::Cancelled => Tone::Warning,
        RecipientStatus::Queued => Tone::Neutral,
    }
}
