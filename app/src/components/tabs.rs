//! Tabs following the WAI-ARIA pattern, rendered by the server. Each tab is a link to the
//! page with the tab chosen (`?{param}={id}`), so without JavaScript a click loads the page
//! showing that panel; `/js/tabs.js` (a few hundred bytes) switches panels in place, moves
//! between tabs with the arrow keys, Home and End, and keeps the choice in the address.

use leptos::prelude::*;

/// The tab list. Pair with one [`TabPanel`] per tab, given the same `selected`.
#[component]
pub fn Tabs(
    /// `(id, label)` pairs, in order.
    tabs: Vec<(&'static str, &'static str)>,
    /// The id of the tab shown: the page reads it from `param` in its address.
    selected: String,
    #[prop(into)] label: String,
    /// The query parameter that names the chosen tab.
    #[prop(default = "tab")]
    param: &'static str,
) -> impl IntoView {
    view! {
        <div role="tablist" aria-label=label class="flex gap-1 border-b border-line">
            {tabs
                .into_iter()
                .map(|(id, text)| {
                    let active = selected == id;
                    view! {
                        <a
                            href=format!("?{param}={id}")
                            role="tab"
                            id=format!("tab-{id}")
                            aria-selected=if active { "true" } else { "false" }
                            aria-controls=format!("panel-{id}")
                            tabindex=if active { "0" } else { "-1" }
                            class="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand aria-selected:border-brand aria-selected:text-fg"
                        >
                            {text}
                        </a>
                    }
                })
                .collect_view()}
        </div>
        <script type="module" src="/js/tabs.js"></script>
    }
}

#[component]
pub fn TabPanel(
    id: &'static str,
    #[prop(into)] selected: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div
            role="tabpanel"
            id=format!("panel-{id}")
            aria-labelledby=format!("tab-{id}")
            tabindex="0"
            hidden=selected != id
            class="py-4 focus:outline-none"
        >
            {children()}
        </div>
    }
}
