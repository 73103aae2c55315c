//! A labelled checkbox, and a switch for on/off settings. Both are native checkboxes, so
//! they work in plain forms without wasm: checked, they post `name=true`; unchecked,
//! nothing, which the server reads as false.

use leptos::prelude::*;

use super::control_id;

#[component]
pub fn Checkbox(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional)] checked: bool,
    #[prop(optional, into)] description: Option<String>,
) -> impl IntoView {
    let id = control_id(&name);
    view! {
        <div class="flex items-start gap-3">
            <input
                id=id.clone()
                name=name
                type="checkbox"
                value="true"
                checked=checked
                class="mt-0.5 h-4 w-4 rounded border-line accent-[var(--brand-primary)] focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
            />
            <div>
                <label for=id class="text-sm font-medium text-fg">
                    {label}
                </label>
                {description.map(|d| view! { <p class="text-xs text-muted">{d}</p> })}
            </div>
        </div>
    }
}

/// An on/off switch: a checkbox with `role="switch"`, drawn as a track and a knob.
#[component]
pub fn Switch(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional)] checked: bool,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let id = control_id(&name);
    view! {
        <div class="flex items-center justify-between gap-4">
            <label for=id.clone() class="text-sm font-medium text-fg">
                {label}
            </label>
            <input
                id=id
                name=name
                type="checkbox"
                role="switch"
                value="true"
                checked=checked
                disabled=disabled
                class="relative h-6 w-11 shrink-0 cursor-pointer appearance-none rounded-full bg-line transition-colors before:absolute before:top-0.5 before:left-0.5 before:h-5 before:w-5 before:rounded-full before:bg-white before:shadow before:transition-transform checked:bg-brand checked:before:translate-x-5 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2 focus-visible:ring-offset-canvas disabled:cursor-not-allowed disabled:opacity-50"
            />
        </div>
    }
}
