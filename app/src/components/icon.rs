//! A small set of line icons, drawn as inline SVG (no icon font, no network request).
//! Decorative: hidden from screen readers; the control around an icon carries the label.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    Dashboard,
    Agent,
    Campaign,
    Phone,
    Book,
    Leads,
    Chart,
    Billing,
    Team,
    Settings,
    Building,
    Sun,
    Moon,
    Menu,
    Close,
    ChevronDown,
    Check,
}

/// `<path d="…"></path>` for each piece of path data, joined at compile time.
macro_rules! paths {
    ($($d:literal),+ $(,)?) => {
        concat!($("<path d=\"", $d, "\"></path>"),+)
    };
}

impl IconName {
    /// The icon's `<path>` elements on a 24×24 grid, stroked: markup written once, at
    /// compile time, so a page copies it instead of building and escaping each path.
    fn paths(self) -> &'static str {
        match self {
            Self::Dashboard => paths![
                "M4 4h7v7H4z",
                "M13 4h7v4h-7z",
                "M13 10h7v10h-7z",
                "M4 13h7v7H4z",
            ],
            Self::Agent => paths![
                "M7 8h10a3 3 0 0 1 3 3v5a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3v-5a3 3 0 0 1 3-3z",
                "M12 4v4",
                "M9 13h.01",
                "M15 13h.01",
            ],
            Self::Campaign => paths![
                "M4 10v4h3l6 4V6L7 10z",
                "M17 9a4 4 0 0 1 0 6",
                "M19.5 6.5a8 8 0 0 1 0 11",
            ],
            Self::Phone => paths![
                "M6 3h3l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z",
            ],
            Self::Book => paths![
                "M5 4h10a3 3 0 0 1 3 3v13H8a3 3 0 0 1-3-3z",
                "M5 17a3 3 0 0 1 3-3h10",
            ],
            Self::Leads => paths![
                "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z",
                "M4 20a8 8 0 0 1 16 0",
            ],
            Self::Chart => paths!["M4 20V4", "M4 20h16", "M8 16v-4", "M12 16V8", "M16 16v-6"],
            Self::Billing => paths!["M3 7h18v10H3z", "M3 11h18", "M7 15h3"],
            Self::Team => paths![
                "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
                "M2.5 20a6.5 6.5 0 0 1 13 0",
                "M16 4.5a3.5 3.5 0 0 1 0 6.5",
                "M18 14a6.5 6.5 0 0 1 3.5 6",
            ],
            Self::Settings => paths![
                "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
                "M12 2v3",
                "M12 19v3",
                "M2 12h3",
                "M19 12h3",
                "M4.9 4.9l2.1 2.1",
                "M17 17l2.1 2.1",
                "M4.9 19.1L7 17",
                "M17 7l2.1-2.1",
            ],
            Self::Building => paths![
                "M5 21V5l7-2v18",
                "M12 8l7 2v11",
                "M3 21h18",
                "M8 9h1",
                "M8 13h1",
                "M8 17h1",
                "M15 13h1",
                "M15 17h1",
            ],
            Self::Sun => paths![
                "M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z",
                "M12 2v2",
                "M12 20v2",
                "M2 12h2",
                "M20 12h2",
                "M5 5l1.5 1.5",
                "M17.5 17.5L19 19",
                "M5 19l1.5-1.5",
                "M17.5 6.5L19 5",
            ],
            Self::Moon => paths!["M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"],
            Self::Menu => paths!["M4 6h16", "M4 12h16", "M4 18h16"],
            Self::Close => paths!["M6 6l12 12", "M18 6L6 18"],
            Self::ChevronDown => paths!["M6 9l6 6 6-6"],
            Self::Check => paths!["M5 12l5 5L20 7"],
        }
    }
}

#[component]
pub fn Icon(name: IconName, #[prop(default = "h-5 w-5")] class: &'static str) -> impl IntoView {
    view! {
        <svg
            class=class
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="1.75"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            focusable="false"
            inner_html=name.paths()
        ></svg>
    }
}
