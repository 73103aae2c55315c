//! Super-admin pages. The console's sign-in is `LoginPage` with `console`.

pub mod emails;
pub mod jobs;
pub mod outbox;

use leptos::prelude::*;

use crate::components::theme::ThemeToggle;

/// What a console page shows instead of itself when its data was refused: the console's
/// sign-in for someone signed out, else why.
pub fn refusal(error: crate::error::AppError) -> AnyView {
    match error {
        crate::error::AppError::Unauthorized(_) => {
            view! { <leptos_router::components::Redirect path="/super-admin/login" /> }.into_any()
        }
        e => view! {
            <p role="alert" class="text-sm text-danger">
                {e.to_string()}
            </p>
        }
        .into_any(),
    }
}

/// The console's frame: its header with the pages, and the page's title.
#[component]
pub fn ConsoleFrame(title: &'static str, children: Children) -> impl IntoView {
    let link = |href: &'static str, label: &'static str| {
        let current = label == title;
        view! {
            <a
                href=href
                class="rounded px-2 py-1 text-sm hover:bg-surface-2"
                class:font-semibold=current
                aria-current=current.then_some("page")
            >
                {label}
            </a>
        }
    };
    view! {
        <div class="min-h-screen bg-canvas">
            <header class="flex h-16 items-center gap-3 border-b border-line bg-surface px-4 sm:px-6">
                <span class="font-semibold">"Platform administration"</span>
                <nav class="flex gap-1" aria-label="Console">
                    {link("/super-admin/outbox", "Email outbox")}
                    {link("/super-admin/jobs", "Jobs")}
                    {link("/super-admin/audit", "Audit log")}
                    {link("/super-admin/emails", "Emails")}
                </nav>
                <div class="flex-1"></div>
                <ThemeToggle />
            </header>
            <main class="mx-auto max-w-5xl space-y-4 p-4 sm:p-8">
                <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
                {children()}
            </main>
        </div>
    }
}
