//! A modal dialog on the native `<dialog>` element, which traps focus, closes on Escape and
//! makes the rest of the page inert.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn Dialog(
    /// Opens and closes the dialog; set to false when the user dismisses it.
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    #[prop(optional, into)] description: Option<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let title_id = format!("dialog-{}", crate::components::control_id(&title));
    let heading_id = title_id.clone();
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        if open.get() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    view! {
        <dialog
            node_ref=dialog
            aria-labelledby=title_id.clone()
            on:close=move |_| open.set(false)
            class="w-full max-w-lg rounded-xl border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/50"
        >
            <div class="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
                <div>
                    <h2 id=heading_id class="text-base font-semibold">{title}</h2>
                    {description.map(|d| view! { <p class="mt-1 text-sm text-muted">{d}</p> })}
                </div>
                <button
                    type="button"
                    aria-label="Close"
                    on:click=move |_| open.set(false)
                    class="rounded-md p-1 text-muted hover:bg-surface-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                >
                    <super::icon::Icon name=super::icon::IconName::Close/>
                </button>
            </div>
            <div class="px-5 py-4">{move || open.get().then(|| children())}</div>
        </dialog>
    }
}
