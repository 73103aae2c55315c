//! Previous / next page links with the current position, usable without JavaScript.

use leptos::prelude::*;

use super::button::{Size, Variant, button_class};

/// The page an address asks for (`?page=N`, from 1; 1 when absent or unreadable).
pub fn page_in(query: &leptos_router::params::ParamsMap) -> u32 {
    query
        .get("page")
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1)
}

/// Pages are numbered from 1. `href` builds the link for a page number.
#[component]
pub fn Pagination(
    #[prop(into)] page: Signal<u32>,
    #[prop(into)] total_pages: Signal<u32>,
    #[prop(into)] href: Callback<u32, String>,
) -> impl IntoView {
    let link = move |target: u32, text: &'static str, enabled: bool| {
        let class = button_class(Variant::Secondary, Size::Small);
        if enabled {
            view! {
                <a
                    href=href.run(target)
                    class=class
                    rel=if target < page.get() { "prev" } else { "next" }
                >
                    {text}
                </a>
            }
            .into_any()
        } else {
            view! {
                <span aria-disabled="true" class=format!("{class} opacity-50")>
                    {text}
                </span>
            }
            .into_any()
        }
    };
    view! {
        <nav aria-label="Pagination" class="flex items-center justify-between gap-4 py-3">
            {move || link(page.get().saturating_sub(1), "Previous", page.get() > 1)}
            <p class="text-sm text-muted">
                "Page " <span class="font-medium text-fg">{page}</span> " of "
                <span class="font-medium text-fg">{move || total_pages.get().max(1)}</span>
            </p>
            {move || link(page.get() + 1, "Next", page.get() < total_pages.get())}
        </nav>
    }
}
