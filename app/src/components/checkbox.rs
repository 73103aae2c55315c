//! A labelled checkbox, and a switch for on/off settings.

use leptos::prelude::*;

use super::control_id;

#[component]
pub fn Checkbox(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into)] checked: RwSignal<bool>,
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
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
                class="mt-0.5 h-4 w-4 rounded border-line accent-[var(--brand-primary)] focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
            />
            <div>
                <label for=id class="text-sm font-medium text-fg">{label}</label>
                {description.map(|d| view! { <p class="text-xs text-muted">{d}</p> })}
            </div>
        </div>
    }
}

/// An on/off switch (`role="switch"`). A hidden input carries its value in forms.
#[component]
pub fn Switch(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into)] checked: RwSignal<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let id = control_id(&name);
    view! {
        <div class="flex items-center justify-between gap-4">
            <label for=id.clone() class="text-sm font-medium text-fg">{label}</label>
            <input type="hidden" name=name value=move || if checked.get() { "true" } else { "false" }/>
            <button
                id=id
                type="button"
                role="switch"
                aria-checked=move || if checked.get() { "true" } else { "false" }
                disabled=disabled
                on:click=move |_| checked.update(|c| *c = !*c)
                class=move || {
                    format!(
                        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2 focus-visible:ring-offset-canvas disabled:opacity-50 {}",
                        if checked.get() { "bg-brand" } else { "bg-line" },
                    )
                }
            >
                <span class=move || {
                    format!(
                        "inline-block h-5 w-5 rounded-full bg-white shadow transition-transform {}",
                        if checked.get() { "translate-x-5" } else { "translate-x-0.5" },
                    )
                }></span>
            </button>
        </div>
    }
}
