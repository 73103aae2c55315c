//! The light / dark switch. The choice is kept in a cookie so the server renders the right
//! scheme on the next page load without a flash; with no cookie the system setting wins.

use leptos::prelude::*;

use super::icon::{Icon, IconName};
use crate::shell::THEME_COOKIE;

/// An island: the one control on every page.
#[island]
pub fn ThemeToggle() -> impl IntoView {
    // Unknown until hydration reads the document; the server renders the neutral label.
    let dark = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if dark.get_untracked().is_none() {
            dark.set(Some(currently_dark()));
        }
    });
    let toggle = move |_| {
        let next = !dark.get_untracked().unwrap_or_else(currently_dark);
        apply(next);
        dark.set(Some(next));
    };
    view! {
        <button
            type="button"
            data-testid="theme-toggle"
            on:click=toggle
            aria-label=move || match dark.get() {
                Some(true) => "Switch to light mode",
                Some(false) => "Switch to dark mode",
                None => "Toggle colour scheme",
            }
            aria-pressed=move || dark.get().map(|d| if d { "true" } else { "false" })
            class="inline-flex h-9 w-9 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
        >
            {move || if dark.get() == Some(true) { view! { <Icon name=IconName::Sun/> } } else { view! { <Icon name=IconName::Moon/> } }}
        </button>
    }
}

/// Whether the page shows the dark scheme now: an explicit class, else the system setting.
fn currently_dark() -> bool {
    let root = document().document_element();
    let classes = root.as_ref().map(|r| r.class_list());
    if classes.as_ref().is_some_and(|c| c.contains("dark")) {
        return true;
    }
    if classes.as_ref().is_some_and(|c| c.contains("light")) {
        return false;
    }
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

fn apply(dark: bool) {
    if let Some(root) = document().document_element() {
        let classes = root.class_list();
        let (on, off) = if dark {
            ("dark", "light")
        } else {
            ("light", "dark")
        };
        let _ = classes.remove_1(off);
        let _ = classes.add_1(on);
    }
    if let Ok(doc) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDocument>(document()) {
        let value = if dark { "dark" } else { "light" };
        let _ = doc.set_cookie(&format!(
            "{THEME_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
        ));
    }
}
