//! A surface that groups related content, with an optional title and actions.

use leptos::prelude::*;

#[component]
pub fn Card(
    #[prop(optional, into)] title: Option<String>,
    #[prop(optional, into)] description: Option<String>,
    #[prop(optional, into)] class: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=format!(
            "rounded-xl border border-line bg-surface shadow-sm {}",
            class.unwrap_or_default(),
        )>
            {(title.is_some() || description.is_some())
                .then(|| {
                    view! {
                        <header class="border-b border-line px-5 py-4">
                            {title
                                .map(|t| {
                                    view! { <h2 class="text-base font-semibold text-fg">{t}</h2> }
                                })}
                            {description
                                .map(|d| view! { <p class="mt-1 text-sm text-muted">{d}</p> })}
                        </header>
                    }
                })} <div class="px-5 py-4">{children()}</div>
        </section>
    }
}
