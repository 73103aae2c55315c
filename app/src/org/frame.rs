//! The frame of every organisation page: a header with the way back, and the area's tabs.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::theme::ThemeToggle;

const TABS: &[(&str, &str)] = &[
    ("Overview", "/org"),
    ("Team", "/org/team"),
    ("Integrations", "/org/integrations"),
    ("Billing", "/org/billing"),
    ("Do not call", "/org/do-not-call"),
    ("Audit log", "/org/audit"),
    ("Domains", "/org/domains"),
    ("Settings", "/org/settings"),
];

#[component]
pub fn OrgFrame(#[prop(into)] title: String, children: Children) -> impl IntoView {
    let location = use_location();
    view! {
        <div class="min-h-screen bg-canvas">
            <header class="flex h-16 items-center gap-3 border-b border-line bg-surface px-4 sm:px-6">
                <a
                    href="/select-workspace"
                    class="text-sm text-brand-ink underline underline-offset-2"
                >
                    "← Workspaces"
                </a>
                <nav aria-label="Organization" class="ml-4 flex gap-1">
                    {TABS
                        .iter()
                        .map(|(label, href)| {
                            let current = move || location.pathname.get() == *href;
                            view! {
                                <a
                                    href=*href
                                    aria-current=move || current().then_some("page")
                                    class=move || {
                                        format!(
                                            "rounded-lg px-3 py-1.5 text-sm font-medium {}",
                                            if current() {
                                                "bg-brand/10 text-brand-ink"
                                            } else {
                                                "text-muted hover:bg-surface-2 hover:text-fg"
                                            },
                                        )
                                    }
                                >
                                    {*label}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
                <div class="flex-1"></div>
                <a href="/account" class="text-sm text-muted hover:text-fg">
                    "Your account"
                </a>
                <ThemeToggle />
            </header>
            <main class="mx-auto max-w-4xl space-y-6 p-4 sm:p-8">
                <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
                {children()}
            </main>
        </div>
    }
}

/// What an organisation page shows instead of itself when its data was refused: the way
/// to sign in, or (for members who are not owners or admins) why not and the way back.
/// `what` completes "Only organization owners and admins manage …".
pub fn refusal(error: crate::error::AppError, what: &'static str) -> AnyView {
    match error {
        crate::error::AppError::Unauthorized(_) => {
            view! { <crate::pages::redirect::RedirectToLogin /> }.into_any()
        }
        _ => view! {
            <p class="text-sm text-muted" data-testid="org-admins-only">
                {format!("Only organization owners and admins manage {what}. ")}
                <a href="/select-workspace" class="text-brand-ink underline underline-offset-2">
                    "Back to your workspaces"
                </a>
            </p>
        }
        .into_any(),
    }
}
