//! A modal dialog on the native `<dialog>` element, which traps focus, closes on Escape and
//! makes the rest of the page inert. It is opened and closed by invoker commands
//! (`commandfor` + `command`) on plain buttons, so it needs no wasm and no script: the
//! server renders it closed, and [`DialogOpener`] and [`DialogCloser`] work it.

use leptos::prelude::*;

use super::button::{Size, Variant, button_class};

/// The element id of the dialog titled `title`, which its buttons name.
pub fn dialog_id(title: &str) -> String {
    format!("dialog-{}", crate::components::control_id(title))
}

#[component]
pub fn Dialog(
    #[prop(into)] title: String,
    #[prop(optional, into)] description: Option<String>,
    children: Children,
) -> impl IntoView {
    let id = dialog_id(&title);
    let heading_id = format!("{id}-title");
    let (close_for, labelled_by) = (id.clone(), heading_id.clone());
    view! {
        <dialog
            id=id
            aria-labelledby=labelled_by
            closedby="any"
            class="m-auto w-full max-w-lg rounded-xl border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/50"
        >
            <div class="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
                <div>
                    <h2 id=heading_id class="text-base font-semibold">
                        {title}
                    </h2>
                    {description.map(|d| view! { <p class="mt-1 text-sm text-muted">{d}</p> })}
                </div>
                <button
                    type="button"
                    aria-label="Close"
                    commandfor=close_for
                    command="close"
                    class="rounded-md p-1 text-muted hover:bg-surface-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                >
                    <super::icon::Icon name=super::icon::IconName::Close />
                </button>
            </div>
            <div class="px-5 py-4">{children()}</div>
        </dialog>
    }
}

/// A button that opens the dialog titled `dialog`.
#[component]
pub fn DialogOpener(
    #[prop(into)] dialog: String,
    #[prop(optional)] variant: Variant,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            commandfor=dialog_id(&dialog)
            command="show-modal"
            class=button_class(variant, Size::Medium)
        >
            {children()}
        </button>
    }
}

/// A button that closes the dialog titled `dialog`, for its Cancel.
#[component]
pub fn DialogCloser(
    #[prop(into)] dialog: String,
    #[prop(optional)] variant: Variant,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            commandfor=dialog_id(&dialog)
            command="close"
            class=button_class(variant, Size::Medium)
        >
            {children()}
        </button>
    }
}
