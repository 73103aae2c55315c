//! Helpers for forms backed by server actions: per-field errors and the form-level alert.

use leptos::prelude::*;

use crate::error::AppError;

/// The first message for `field` in the action's latest error, for a field's `error` prop.
pub fn field_error<T, S>(value: S, field: &'static str) -> Signal<Option<String>>
where
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) => e.field(field).and_then(|m| m.first().cloned()),
            _ => None,
        })
    })
}

/// The action's latest error as one sentence, when it is not about a single field shown
/// elsewhere.
pub fn form_error<T, S>(value: S) -> Signal<Option<String>>
where
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e @ AppError::Validation { fields, .. })) if fields.len() > 1 => {
                Some(e.to_string())
            }
            Some(Err(AppError::Validation { .. })) | None | Some(Ok(_)) => None,
            Some(Err(e)) => Some(e.to_string()),
        })
    })
}

/// A red alert box above a form's fields, announced when it appears.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <div role="alert" data-testid="form-error" class="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
                {move || message.get()}
            </div>
        </Show>
    }
}

/// A green notice, for what a form achieved.
#[component]
pub fn FormNotice(children: Children) -> impl IntoView {
    view! {
        <div role="status" data-testid="form-notice" class="rounded-lg border border-success/40 bg-success/10 px-3 py-2 text-sm text-fg">
            {children()}
        </div>
    }
}

/// Once the action's latest answer is a success, loads the page `next` names for it (none:
/// stay). How a form island moves on after signing in, confirming or creating something.
pub fn go_on_success<T, S>(value: S, next: impl Fn(&T) -> Option<String> + 'static)
where
    S: With<Value = Option<Result<T, AppError>>> + Copy + 'static,
{
    Effect::new(move |_| {
        let path = value.with(|answer| match answer {
            Some(Ok(out)) => next(out),
            _ => None,
        });
        if let Some(path) = path {
            go_to(&path);
        }
    });
}

/// Loads `path` as a full page (pages are server-rendered: this is how an island navigates).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = path;
    }
}

/// Loads the current page again, so what the server renders shows an action's effect.
pub fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// Call first in an island with forms. A form posted before its island hydrated went as a
/// plain form: on an error the server sent the browser back with the error in the address
/// (`__path`, `__err`), and rendered the island's action with it. This gives the island's
/// actions the same error in the browser, so the message stays once the island is live.
pub fn keep_posted_error() {
    #[cfg(feature = "hydrate")]
    {
        let search = window().location().search().unwrap_or_default();
        let param = |name: &str| {
            search
                .trim_start_matches('?')
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| *key == name)
                .map(|(_, value)| crate::text::percent_decode(&value.replace('+', " ")))
        };
        if let (Some(path), Some(err)) = (param("__path"), param("__err")) {
            provide_context(leptos::server::ServerActionError::new(&path, &err));
        }
    }
}
