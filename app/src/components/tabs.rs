//! Tabs following the WAI-ARIA pattern: arrow keys move between tabs, Home/End jump.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// The tab list. Pair with one [`TabPanel`] per tab, sharing `selected`.
#[component]
pub fn Tabs(
    /// `(id, label)` pairs, in order.
    tabs: Vec<(&'static str, &'static str)>,
    selected: RwSignal<&'static str>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let ids: Vec<&'static str> = tabs.iter().map(|(id, _)| *id).collect();
    let on_keydown = move |ev: KeyboardEvent| {
        let Some(pos) = ids.iter().position(|id| *id == selected.get_untracked()) else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowRight" => (pos + 1) % ids.len(),
            "ArrowLeft" => (pos + ids.len() - 1) % ids.len(),
            "Home" => 0,
            "End" => ids.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(ids[next]);
        if let Some(el) = document().get_element_by_id(&format!("tab-{}", ids[next]))
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    };
    view! {
        <div role="tablist" aria-label=label class="flex gap-1 border-b border-line" on:keydown=on_keydown>
            {tabs
                .into_iter()
                .map(|(id, text)| {
                    let active = move || selected.get() == id;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{id}")
                            aria-selected=move || if active() { "true" } else { "false" }
                            aria-controls=format!("panel-{id}")
                            tabindex=move || if active() { "0" } else { "-1" }
                            on:click=move |_| selected.set(id)
                            class=move || {
                                format!(
                                    "-mb-px border-b-2 px-3 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand {}",
                                    if active() { "border-brand text-fg" } else { "border-transparent text-muted hover:text-fg" },
                                )
                            }
                        >
                            {text}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn TabPanel(
    id: &'static str,
    selected: RwSignal<&'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <div
            role="tabpanel"
            id=format!("panel-{id}")
            aria-labelledby=format!("tab-{id}")
            tabindex="0"
            hidden=move || selected.get() != id
            class="py-4 focus:outline-none"
        >
            {children()}
        </div>
    }
}
