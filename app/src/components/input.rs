//! A labelled text input with hint and error text wired up for screen readers.

use leptos::prelude::*;

use super::{control_class, control_id, keep_typed_text};

#[component]
pub fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    /// The input `type`: text (default), email, password, tel, number, url, search…
    #[prop(optional, into)]
    kind: Option<&'static str>,
    #[prop(optional, into)] value: MaybeProp<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] autocomplete: Option<&'static str>,
    /// Called with the new text on every keystroke.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
    /// The control's id, when two forms on one page share a field name.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| control_id(&name));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let describedby = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let control = NodeRef::<leptos::html::Input>::new();
    keep_typed_text(value, move |text| {
        if let Some(input) = control.get_untracked() {
            input.set_value(text);
        }
    });
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium text-fg">
                {label}
                {required
                    .then(|| {
                        view! {
                            <span class="text-danger" aria-hidden="true">
                                " *"
                            </span>
                        }
                    })}
            </label>
            <input
                id=id
                name=name
                type=kind.unwrap_or("text")
                node_ref=control
                value=value.get_untracked().unwrap_or_default()
                placeholder=placeholder
                required=required
                autocomplete=autocomplete
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=describedby
                class=move || control_class(error.get().is_some())
                on:input=move |ev| {
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                }
            />
            {hint
                .map(|h| {
                    view! {
                        <p id=hint_id class="text-xs text-muted">
                            {h}
                        </p>
                    }
                })}
            <FieldError id=error_id error />
        </div>
    }
}

/// The error line under a control; announced when it appears.
#[component]
pub fn FieldError(
    #[prop(into)] id: String,
    #[prop(into)] error: MaybeProp<String>,
) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p id=id.clone() role="alert" class="text-xs font-medium text-danger">
                {move || error.get()}
            </p>
        </Show>
    }
}
