//! Buttons and links that look like buttons.

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use super::spinner::Spinner;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Variant {
    #[default]
    Primary,
    Secondary,
    Ghost,
    Danger,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Size {
    Small,
    #[default]
    Medium,
    Large,
}

pub(crate) fn button_class(variant: Variant, size: Size) -> String {
    let base = "inline-flex items-center justify-center gap-2 rounded-lg font-medium transition-colors \
                focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:ring-offset-canvas \
                disabled:cursor-not-allowed disabled:opacity-50";
    let variant = match variant {
        Variant::Primary => "bg-brand text-brand-fg hover:bg-brand-hover focus-visible:ring-brand",
        Variant::Secondary => {
            "border border-line bg-surface text-fg hover:bg-surface-2 focus-visible:ring-brand"
        }
        Variant::Ghost => "text-fg hover:bg-surface-2 focus-visible:ring-brand",
        Variant::Danger => "bg-danger text-surface hover:opacity-90 focus-visible:ring-danger",
    };
    let size = match size {
        Size::Small => "h-8 px-3 text-sm",
        Size::Medium => "h-10 px-4 text-sm",
        Size::Large => "h-12 px-6 text-base",
    };
    format!("{base} {variant} {size}")
}

/// A `<button>`. While `loading`, it is disabled and shows a spinner.
#[component]
pub fn Button(
    #[prop(optional)] variant: Variant,
    #[prop(optional)] size: Size,
    /// `button` (default), `submit` or `reset`.
    #[prop(optional, into)]
    kind: Option<&'static str>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] loading: Signal<bool>,
    #[prop(optional, into)] label: Option<String>,
    #[prop(optional)] on_click: Option<Callback<MouseEvent>>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=kind.unwrap_or("button")
            class=button_class(variant, size)
            disabled=move || disabled.get() || loading.get()
            aria-busy=move || loading.get().then_some("true")
            aria-label=label
            on:click=move |ev| {
                if let Some(cb) = on_click {
                    cb.run(ev);
                }
            }
        >
            <Show when=move || loading.get()>
                <Spinner size="h-4 w-4" />
            </Show>
            {children()}
        </button>
    }
}

/// An `<a>` styled as a button, for navigation.
#[component]
pub fn LinkButton(
    #[prop(into)] href: String,
    #[prop(optional)] variant: Variant,
    #[prop(optional)] size: Size,
    children: Children,
) -> impl IntoView {
    view! {
        <a href=href class=button_class(variant, size)>
            {children()}
        </a>
    }
}
