//! A labelled multi-line text input.

use leptos::prelude::*;

use super::input::FieldError;
use super::{control_class, control_id, keep_typed_text};

#[component]
pub fn TextArea(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional, into)] value: MaybeProp<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] max_length: Option<u32>,
    #[prop(optional)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let id = control_id(&name);
    let error_id = format!("{id}-error");
    let control = NodeRef::<leptos::html::Textarea>::new();
    keep_typed_text(value, move |text| {
        if let Some(area) = control.get_untracked() {
            area.set_value(text);
        }
    });
    let initial = value.get_untracked().unwrap_or_default();
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium text-fg">
                {label}
            </label>
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=max_length
                placeholder=placeholder
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || error.get().is_some().then(|| error_id.clone())
                }
                class=move || control_class(error.get().is_some())
                node_ref=control
                on:input=move |ev| {
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                }
            >
                {initial}
            </textarea>
            <FieldError id=error_id error />
        </div>
    }
}
