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
            <div
                role="alert"
                data-testid="form-error"
                class="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
            >
                {move || message.get()}
            </div>
        </Show>
    }
}

/// A green notice, for what a form achieved.
#[component]
pub fn FormNotice(children: Children) -> impl IntoView {
    view! {
        <div
            role="status"
            data-testid="form-notice"
            class="rounded-lg border border-success/40 bg-success/10 px-3 py-2 text-sm text-fg"
        >
            {children()}
        </div>
    }
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
