//! A labelled native `<select>`.

use leptos::prelude::*;

use super::input::FieldError;
use super::{control_class, control_id};

#[component]
pub fn Select(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    /// `(value, label)` pairs, in order.
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: MaybeProp<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional)] on_change: Option<Callback<String>>,
    /// The control's id, when two forms on one page share a field name.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| control_id(&name));
    let error_id = format!("{id}-error");
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium text-fg">
                {label}
            </label>
            <select
                id=id
                name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || error.get().is_some().then(|| error_id.clone())
                }
                class=move || control_class(error.get().is_some())
                on:change=move |ev| {
                    if let Some(cb) = on_change {
                        cb.run(event_target_value(&ev));
                    }
                }
            >
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = {
                            let v = v.clone();
                            move || value.get().as_deref() == Some(v.as_str())
                        };
                        view! {
                            <option value=v selected=selected>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError id=error_id error />
        </div>
    }
}
