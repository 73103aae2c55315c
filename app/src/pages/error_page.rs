//! What an error boundary shows when a page fails to load its data.

use leptos::prelude::*;

use crate::components::card::Card;
use crate::error::AppError;

/// The fallback of the app's error boundaries: one readable message per error.
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, e)| match e.downcast_ref::<AppError>() {
                Some(app) => app.to_string(),
                None => e.to_string(),
            })
            .collect::<Vec<_>>()
    };
    view! { <ErrorCard messages=Signal::derive(messages) /> }
}

/// A card listing what went wrong, announced to screen readers.
#[component]
pub fn ErrorCard(#[prop(into)] messages: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <div class="p-6">
            <Card title="This page could not be shown">
                <ul role="alert" class="list-disc space-y-1 pl-5 text-sm text-danger">
                    <For each=move || messages.get() key=|m| m.clone() let:message>
                        <li>{message}</li>
                    </For>
                </ul>
            </Card>
        </div>
    }
}
