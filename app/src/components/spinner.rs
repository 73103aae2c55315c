//! Loading indicators: a spinner for actions, skeleton blocks for content.

use leptos::prelude::*;

#[component]
pub fn Spinner(#[prop(default = "h-5 w-5")] size: &'static str) -> impl IntoView {
    view! {
        <span role="status" class="inline-flex">
            <svg
                class=format!("{size} animate-spin text-current")
                viewBox="0 0 24 24"
                fill="none"
                aria-hidden="true"
            >
                <circle
                    cx="12"
                    cy="12"
                    r="10"
                    stroke="currentColor"
                    stroke-width="3"
                    class="opacity-25"
                ></circle>
                <path
                    d="M22 12a10 10 0 0 0-10-10"
                    stroke="currentColor"
                    stroke-width="3"
                    stroke-linecap="round"
                ></path>
            </svg>
            <span class="sr-only">"Loading…"</span>
        </span>
    }
}

/// A pulsing placeholder the shape of the content that is loading.
#[component]
pub fn Skeleton(#[prop(default = "h-4 w-full")] class: &'static str) -> impl IntoView {
    view! {
        <div
            aria-hidden="true"
            class=format!("animate-pulse rounded-md bg-surface-2 {class}")
        ></div>
    }
}
