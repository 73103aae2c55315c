//! The home page: what the product does, presented in the brand of the host's partner,
//! with a way into the partner's workspaces.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::api::get_viewer;
use crate::components::brand_mark::BrandMark;
use crate::components::button::{LinkButton, Size, Variant};
use crate::components::icon::{Icon, IconName};
use crate::components::spinner::Skeleton;
use crate::components::theme::ThemeToggle;
use crate::shell::use_brand;

const FEATURES: &[(IconName, &str, &str)] = &[
    (
        IconName::Agent,
        "Voice agents",
        "Build agents with prompts, voices, tools and knowledge, synced to VAPI or Retell.",
    ),
    (
        IconName::Phone,
        "Call logs",
        "Every call with its transcript, recording, sentiment and cost, searchable.",
    ),
    (
        IconName::Campaign,
        "Campaigns",
        "Call a list from a CSV inside each recipient's own calling hours.",
    ),
    (
        IconName::Chart,
        "Analytics",
        "Success rates, durations and outcomes per agent and per period.",
    ),
    (
        IconName::Billing,
        "Billing",
        "Credits, subscriptions and per-minute rates for every client.",
    ),
    (
        IconName::Building,
        "White label",
        "Your brand, your domain, your clients; we stay out of sight.",
    ),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let brand = use_brand();
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <Title text="" />
        <header class="mx-auto flex max-w-6xl items-center justify-between px-6 py-5">
            <Suspense fallback=|| {
                view! { <Skeleton class="h-8 w-40" /> }
            }>
                {move || Suspend::new(async move {
                    brand.await.ok().map(|brand| view! { <BrandMark brand /> })
                })}
            </Suspense>
            <ThemeToggle />
        </header>
        <main>
            <section class="mx-auto max-w-6xl px-6 pb-16 pt-10 text-center sm:pt-20">
                <h1 class="mx-auto max-w-3xl text-4xl font-bold tracking-tight text-fg sm:text-5xl">
                    "AI voice agents that answer, call and follow up for your clients"
                </h1>
                <p class="mx-auto mt-5 max-w-2xl text-lg text-muted">
                    "Design an agent, connect it to a phone number, and watch every call arrive with its transcript, recording and cost."
                </p>
                <div class="mt-8 flex flex-wrap justify-center gap-3">
                    <Suspense fallback=|| {
                        view! { <Skeleton class="h-12 w-56" /> }
                    }>
                        {move || Suspend::new(async move {
                            match viewer.await.ok().flatten() {
                                Some(_) => {
                                    view! {
                                        <LinkButton href="/select-workspace" size=Size::Large>
                                            "Open your workspaces"
                                        </LinkButton>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <LinkButton href="/signup" size=Size::Large>
                                            "Start building free"
                                        </LinkButton>
                                        <LinkButton
                                            href="/login"
                                            size=Size::Large
                                            variant=Variant::Secondary
                                        >
                                            "Sign in"
                                        </LinkButton>
                                    }
                                        .into_any()
                                }
                            }
                        })}
                    </Suspense>
                    <LinkButton href="/design-system" size=Size::Large variant=Variant::Secondary>
                        "See the interface kit"
                    </LinkButton>
                </div>
            </section>
            <section aria-labelledby="features-title" class="border-t border-line bg-surface">
                <div class="mx-auto max-w-6xl px-6 py-16">
                    <h2
                        id="features-title"
                        class="text-center text-2xl font-semibold tracking-tight"
                    >
                        "Everything a voice agency runs on"
                    </h2>
                    <ul class="mt-10 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
                        {FEATURES
                            .iter()
                            .map(|(icon, title, text)| {
                                view! {
                                    <li class="rounded-xl border border-line bg-canvas p-6">
                                        <span class="inline-flex h-10 w-10 items-center justify-center rounded-lg bg-brand/10 text-brand-ink">
                                            <Icon name=*icon />
                                        </span>
                                        <h3 class="mt-4 font-semibold">{*title}</h3>
                                        <p class="mt-1 text-sm text-muted">{*text}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </section>
        </main>
        <footer class="mx-auto max-w-6xl px-6 py-8 text-sm text-muted">
            <Suspense>
                {move || Suspend::new(async move {
                    brand.await.ok().map(|b| format!("© {}", b.name))
                })}
            </Suspense>
        </footer>
    }
}
