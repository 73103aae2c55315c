//! The workspace sidebar: the product's sections, with those not yet open marked as such.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::icon::{Icon, IconName};

/// A section of a workspace. `path` is relative to `/w/{slug}`; `None` means the section
/// is not available on this deployment yet, so it is shown but cannot be opened.
pub struct Section {
    pub label: &'static str,
    pub icon: IconName,
    pub path: Option<&'static str>,
}

pub const SECTIONS: &[Section] = &[
    Section {
        label: "Dashboard",
        icon: IconName::Dashboard,
        path: Some(""),
    },
    Section {
        label: "Agents",
        icon: IconName::Agent,
        path: Some("agents"),
    },
    Section {
        label: "Campaigns",
        icon: IconName::Campaign,
        path: Some("campaigns"),
    },
    Section {
        label: "Calls",
        icon: IconName::Phone,
        path: Some("calls"),
    },
    Section {
        label: "Knowledge Base",
        icon: IconName::Book,
        path: Some("knowledge"),
    },
    Section {
        label: "Leads",
        icon: IconName::Leads,
        path: None,
    },
    Section {
        label: "Analytics",
        icon: IconName::Chart,
        path: Some("analytics"),
    },
    Section {
        label: "Billing",
        icon: IconName::Billing,
        path: Some("billing"),
    },
    Section {
        label: "Team",
        icon: IconName::Team,
        path: Some("members"),
    },
    Section {
        label: "Settings",
        icon: IconName::Settings,
        path: Some("settings"),
    },
];

#[component]
pub fn SidebarNav(
    #[prop(into)] slug: Signal<String>,
    /// Partner owners and admins also get the organisation area.
    #[prop(optional)]
    show_org: bool,
    /// In the small screens' menu, the first link takes the focus when the menu opens.
    #[prop(optional)]
    in_menu: bool,
) -> impl IntoView {
    let location = use_location();
    view! {
        <nav aria-label="Workspace" class="flex-1 space-y-0.5 px-3 py-4">
            {SECTIONS
                .iter()
                .enumerate()
                .map(|(i, section)| match section.path {
                    Some(path) => {
                        let href = move || {
                            format!(
                                "/w/{}{}{}",
                                slug.get(),
                                if path.is_empty() { "" } else { "/" },
                                path,
                            )
                        };
                        let current = move || location.pathname.get() == href();
                        view! {
                            <a
                                href=href
                                autofocus=in_menu && i == 0
                                aria-current=move || current().then_some("page")
                                class=move || {
                                    format!(
                                        "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand {}",
                                        if current() {
                                            "bg-brand/10 text-brand-ink"
                                        } else {
                                            "text-muted hover:bg-surface-2 hover:text-fg"
                                        },
                                    )
                                }
                            >
                                <Icon name=section.icon />
                                {section.label}
                            </a>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <span
                                aria-disabled="true"
                                title="Not available yet"
                                class="flex cursor-not-allowed items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-muted/60"
                            >
                                <Icon name=section.icon />
                                <span class="flex-1">{section.label}</span>
                                <span class="rounded bg-surface-2 px-1.5 py-0.5 text-[10px] uppercase tracking-wide">
                                    "Soon"
                                </span>
                            </span>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
            {show_org
                .then(|| {
                    view! {
                        <a
                            href="/org"
                            data-testid="org-link"
                            class="flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-muted hover:bg-surface-2 hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                        >
                            <Icon name=IconName::Building />
                            "Organization"
                        </a>
                    }
                })}
        </nav>
    }
}
