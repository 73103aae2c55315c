//! The calls page's filters: a GET form, so a filtered list is an address to share.

use crate::calls::filter::CallFilter;
use crate::calls::model::{CallDirection, CallStatus, Outcome};
use crate::components::button::{Size, Variant, button_class};
use leptos::prelude::*;
use uuid::Uuid;

/// The filters, as a plain GET form: it works without JavaScript and its address can be
/// shared or bookmarked.
#[component]
pub(super) fn FilterForm(filter: CallFilter, agents: Vec<(Uuid, String)>) -> impl IntoView {
    let select = |name: &'static str,
                  label: &'static str,
                  current: String,
                  options: Vec<(String, String)>| {
        let id = format!("filter-{name}");
        view! {
            <div class="space-y-1">
                <label for=id.clone() class="block text-xs font-medium text-muted">
                    {label}
                </label>
                <select
                    id=id
                    name=name
                    class="w-full rounded-lg border border-line bg-surface px-2 py-1.5 text-sm"
                >
                    <option value="">"Any"</option>
                    {options
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! {
                                <option value=v selected=selected>
                                    {l}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    let statuses = CallStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect();
    let directions = CallDirection::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), d.label().to_owned()))
        .collect();
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), o.label().to_owned()))
        .collect();
    let agents = agents
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <form
            method="get"
            class="grid gap-3 rounded-xl border border-line bg-surface p-4 sm:grid-cols-3 lg:grid-cols-8"
            data-testid="call-filters"
            role="search"
        >
            <div class="space-y-1 sm:col-span-3 lg:col-span-2">
                <label for="filter-q" class="block text-xs font-medium text-muted">
                    "Search"
                </label>
                <input
                    id="filter-q"
                    type="search"
                    name="q"
                    value=filter.q.clone()
                    placeholder="Words, names or numbers"
                    class="w-full rounded-lg border border-line bg-surface px-2 py-1.5 text-sm"
                />
            </div>
            {select("status", "Status", filter.status.clone(), statuses)}
            {select("direction", "Direction", filter.direction.clone(), directions)}
            {select("agent", "Agent", filter.agent.clone(), agents)}
            {select("outcome", "Outcome", filter.outcome.clone(), outcomes)}
            <div class="space-y-1">
                <label for="filter-from" class="block text-xs font-medium text-muted">
                    "From"
                </label>
                <input
                    id="filter-from"
                    type="date"
                    name="from"
                    value=filter.from.clone()
                    class="w-full rounded-lg border border-line bg-surface px-2 py-1.5 text-sm"
                />
            </div>
            <div class="space-y-1">
                <label for="filter-to" class="block text-xs font-medium text-muted">
                    "To"
                </label>
                <input
                    id="filter-to"
                    type="date"
                    name="to"
                    value=filter.to.clone()
                    class="w-full rounded-lg border border-line bg-surface px-2 py-1.5 text-sm"
                />
            </div>
            <div class="flex items-end gap-2 sm:col-span-3 lg:col-span-8">
                <button type="submit" class=button_class(Variant::Primary, Size::Small)>
                    "Apply"
                </button>
                <a href="?" class=button_class(Variant::Ghost, Size::Small)>
                    "Clear"
                </a>
            </div>
        </form>
    }
}
