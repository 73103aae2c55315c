//! A small label for status and categories.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Neutral,
    Brand,
    Success,
    Warning,
    Danger,
    Info,
}

impl Tone {
    fn classes(self) -> &'static str {
        match self {
            Tone::Neutral => "bg-surface-2 text-muted ring-line",
            // Text in the partner's own colour is not readable for every colour they pick.
            Tone::Brand => "bg-brand/10 text-fg ring-brand/30",
            Tone::Success => "bg-success/10 text-success ring-success/30",
            Tone::Warning => "bg-warning/10 text-warning ring-warning/30",
            Tone::Danger => "bg-danger/10 text-danger ring-danger/30",
            Tone::Info => "bg-info/10 text-info ring-info/30",
        }
    }
}

#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    view! {
        <span class=format!(
            "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {}",
            tone.classes(),
        )>{children()}</span>
    }
}
