//! A key figure with its label and an optional note.

use leptos::prelude::*;

use super::icon::{Icon, IconName};

#[component]
pub fn StatCard(
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    #[prop(optional, into)] note: Option<String>,
    #[prop(optional)] icon: Option<IconName>,
) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-line bg-surface p-5 shadow-sm">
            <div class="flex items-center justify-between gap-2">
                <p class="text-sm font-medium text-muted">{label}</p>
                {icon
                    .map(|name| {
                        view! {
                            <span class="text-brand-ink">
                                <Icon name />
                            </span>
                        }
                    })}
            </div>
            <p class="mt-2 text-2xl font-semibold tracking-tight text-fg">{value}</p>
            {note.map(|n| view! { <p class="mt-1 text-xs text-muted">{n}</p> })}
        </div>
    }
}
