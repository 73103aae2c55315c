//! The 404 page, answered with status 404 by the server.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::button::LinkButton;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <main class="mx-auto flex min-h-screen max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
            <p class="text-sm font-semibold text-brand-ink">"404"</p>
            <h1 class="text-3xl font-bold tracking-tight">"Page not found"</h1>
            <p class="text-muted">"The page you asked for does not exist or has moved."</p>
            <LinkButton href="/">"Back to the start"</LinkButton>
        </main>
    }
}
