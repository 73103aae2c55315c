//! A campaign's pace and its newest attempts, on its live page: calls in flight against
//! its concurrency, calls started per minute, when it will be through its list, and an
//! activity feed of its latest calls.

use leptos::prelude::*;

use super::super::model::{Activity, AttemptState, CampaignStatus, PACE_MINUTES, Pulse};
use crate::components::badge::{Badge, Tone};
use crate::components::stat_card::StatCard;

/// "About 2 h 5 min", "About 12 min", "Under a minute".
fn eta_text(minutes: u64) -> String {
    match minutes {
        0 => "Under a minute".to_owned(),
        m if m < 60 => format!("About {m} min"),
        m => format!("About {} h {} min", m / 60, m % 60),
    }
}

#[component]
pub fn PulseCards(pulse: Pulse, status: CampaignStatus) -> impl IntoView {
    let eta = match (status, pulse.eta_minutes) {
        (CampaignStatus::Running, Some(m)) => eta_text(m),
        (CampaignStatus::Running, None) => "Waiting for calling hours".to_owned(),
        (s, _) if s.is_over() => "Done".to_owned(),
        _ => "Not calling now".to_owned(),
    };
    let full = pulse.concurrency > 0 && pulse.in_flight >= u64::from(pulse.concurrency);
    view! {
        <div class="grid gap-4 sm:grid-cols-3" data-testid="campaign-pulse">
            <StatCard
                label="Calls in flight"
                value=format!("{} of {}", pulse.in_flight, pulse.concurrency)
                note=if full { "Every line busy" } else { "Lines in use of the campaign's" }
            />
            <StatCard
                label="Calls per minute"
                value=format!("{:.1}", pulse.per_minute())
                note=format!("Started in the last {PACE_MINUTES} minutes")
            />
            <StatCard label="Time left" value=eta note="At this pace, retries not counted" />
        </div>
    }
}

#[component]
pub fn ActivityFeed(slug: String, items: Vec<Activity>) -> impl IntoView {
    let empty = items.is_empty();
    view! {
        <section class="rounded-xl border border-line bg-surface p-5" aria-labelledby="activity">
            <h2 id="activity" class="text-sm font-semibold">
                "Latest calls"
            </h2>
            {empty.then(|| view! { <p class="mt-2 text-sm text-muted">"No calls yet."</p> })}
            <ol class="mt-3 divide-y divide-line text-sm" data-testid="activity">
                {items
                    .into_iter()
                    .map(|a| {
                        let (tone, what) = describe(&a);
                        let slug = slug.clone();
                        let link = a
                            .conversation_id
                            .map(move |c| {
                                view! {
                                    <a
                                        href=format!("/w/{slug}/calls/{c}")
                                        class="text-xs text-brand-ink hover:underline"
                                    >
                                        "Open call"
                                    </a>
                                }
                            });
                        let who = match a.name.clone() {
                            Some(name) => format!("{name} · {}", a.phone),
                            None => a.phone.clone(),
                        };
                        let number = (a.number > 1).then(|| format!("call {}", a.number));
                        view! {
                            <li
                                class="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
                                data-testid="activity-item"
                                data-phone=a.phone.clone()
                            >
                                <span class="w-20 shrink-0 text-xs tabular-nums text-muted">
                                    {a.at.format("%H:%M:%S").to_string()}
                                </span>
                                <span class="min-w-0 flex-1 truncate">{who}</span>
                                <span class="text-xs text-muted">{number}</span>
                                <Badge tone>{what}</Badge>
                                {a
                                    .error
                                    .clone()
                                    .map(|e| {
                                        view! { <span class="text-xs text-danger">{e}</span> }
                                    })}
                                {link}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="mt-2 text-xs text-muted">"Times are UTC."</p>
        </section>
    }
}

/// An attempt's badge: where it stands, or how it ended.
fn describe(a: &Activity) -> (Tone, String) {
    match (a.state, a.outcome) {
        (AttemptState::Placing, _) => (Tone::Info, "Dialling".to_owned()),
        (AttemptState::Placed, _) => (Tone::Info, "On the line".to_owned()),
        (AttemptState::Failed, _) => (Tone::Danger, "Not placed".to_owned()),
        (AttemptState::Ended, Some(o)) => {
            let tone = match o {
                super::super::model::RecipientOutcome::Answered => Tone::Success,
                super::super::model::RecipientOutcome::Failed
                | super::super::model::RecipientOutcome::InvalidNumber => Tone::Danger,
                _ => Tone::Warning,
            };
            (tone, o.label().to_owned())
        }
        (AttemptState::Ended, None) => (Tone::Neutral, "Ended".to_owned()),
    }
}
