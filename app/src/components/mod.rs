//! The in-house UI kit every page is built from. Colours come from the design tokens in
//! `style/main.css` (which carry the partner's brand), so components never hard-code them.

pub mod badge;
pub mod brand_mark;
pub mod button;
pub mod card;
pub mod checkbox;
pub mod dialog;
pub mod form;
pub mod icon;
pub mod input;
pub mod live;
pub mod pagination;
pub mod render_again;
pub mod select;
pub mod spinner;
pub mod stat_card;
pub mod table;
pub mod tabs;
pub mod textarea;
pub mod theme;
pub mod toast;

/// A stable id for a form control from its name, so labels and errors can point at it.
pub(crate) fn control_id(name: &str) -> String {
    format!(
        "field-{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// The classes every text-like control shares; `invalid` adds the error ring.
pub(crate) fn control_class(invalid: bool) -> &'static str {
    if invalid {
        "block w-full rounded-lg border border-danger bg-surface px-3 py-2 text-sm text-fg shadow-sm placeholder:text-muted focus:outline-none focus-visible:ring-2 focus-visible:ring-danger"
    } else {
        "block w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm text-fg shadow-sm placeholder:text-muted focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
    }
}

/// Keeps a text control's value in step with `value` once it is on the page, but not on
/// the first run: the server rendered the first text into the markup, and writing it again
/// when an island hydrates would erase what someone typed before the page's script was live.
pub(crate) fn keep_typed_text(
    value: leptos::prelude::MaybeProp<String>,
    set: impl Fn(&str) + 'static,
) {
    use leptos::prelude::*;
    Effect::new(move |ran: Option<()>| {
        let text = value.get().unwrap_or_default();
        if ran.is_some() {
            set(&text);
        }
    });
}
