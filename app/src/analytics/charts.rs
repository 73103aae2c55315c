//! Charts drawn as SVG on the server: readable without JavaScript, each with a title and
//! a description for screen readers, every mark labelled with its value, and the figures
//! also given as a list (for people, and for anyone who cannot see colours apart).

use leptos::prelude::*;

use super::model::{Day, Slice};
use crate::text::percent;

/// Colours of outcomes, sentiments and bands, by key (CSS custom properties of the theme).
fn colour(key: &str) -> &'static str {
    match key {
        "answered" | "positive" => "var(--color-success)",
        "voicemail" | "in_progress" | "neutral" => "var(--color-brand)",
        "no_answer" | "unknown" => "#94a3b8",
        "busy" => "var(--color-warning)",
        "failed" | "negative" => "var(--color-danger)",
        _ => "var(--color-brand)",
    }
}

/// Calls per day as bars, with the day's count on hover and in the description.
#[component]
pub fn DailyBars(#[prop(into)] title: String, days: Vec<Day>) -> impl IntoView {
    let (width, height, bottom) = (640.0f64, 180.0f64, 22.0f64);
    let max = days.iter().map(|d| d.calls).max().unwrap_or(0).max(1) as f64;
    let slot = width / days.len().max(1) as f64;
    let bar = (slot * 0.7).max(2.0);
    let total: u64 = days.iter().map(|d| d.calls).sum();
    let busiest = days.iter().max_by_key(|d| d.calls).filter(|d| d.calls > 0);
    let description = match busiest {
        Some(d) => format!(
            "{total} calls over {} days; the busiest day was {} with {}.",
            days.len(),
            crate::text::month_day(&d.date),
            d.calls
        ),
        None => format!("No calls over {} days.", days.len()),
    };
    let label_every = (days.len() / 7).max(1);
    let id = format!("chart-{}", title.to_lowercase().replace(' ', "-"));
    view! {
        <figure class="space-y-2" data-testid="daily-bars" data-total=total.to_string()>
            <svg
                viewBox=format!("0 0 {width} {}", height + bottom)
                class="h-48 w-full"
                role="img"
                aria-labelledby=format!("{id}-title {id}-desc")
                preserveAspectRatio="none"
            >
                <title id=format!("{id}-title")>{title.clone()}</title>
                <desc id=format!("{id}-desc")>{description.clone()}</desc>
                <line
                    x1="0"
                    y1=height
                    x2=width
                    y2=height
                    stroke="currentColor"
                    stroke-opacity="0.2"
                />
                {days
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let h = if d.calls == 0 {
                            0.0
                        } else {
                            (d.calls as f64 / max * (height - 8.0)).max(2.0)
                        };
                        let x = i as f64 * slot + (slot - bar) / 2.0;
                        let label = format!(
                            "{}: {} call{}",
                            crate::text::month_day(&d.date),
                            d.calls,
                            if d.calls == 1 { "" } else { "s" },
                        );
                        view! {
                            <g>
                                <rect
                                    x=x
                                    y=height - h
                                    width=bar
                                    height=h
                                    rx="2"
                                    fill="var(--color-brand)"
                                    data-calls=d.calls.to_string()
                                >
                                    <title>{label}</title>
                                </rect>
                                {(i % label_every == 0)
                                    .then(|| {
                                        view! {
                                            <text
                                                x=x + bar / 2.0
                                                y=height + 15.0
                                                text-anchor="middle"
                                                font-size="10"
                                                fill="currentColor"
                                                fill-opacity="0.6"
                                            >
                                                {crate::text::day_month(&d.date)}
                                            </text>
                                        }
                                    })}
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption class="text-xs text-muted">{description}</figcaption>
        </figure>
    }
}

/// Parts of a whole as a ring, with the total in the middle and a legend with counts.
#[component]
pub fn Donut(#[prop(into)] title: String, slices: Vec<Slice>) -> impl IntoView {
    let total: u64 = slices.iter().map(|s| s.count).sum();
    let radius = 15.915_494_309_189_533f64; // a circumference of 100
    let mut offset = 25.0f64; // start at twelve o'clock
    let description = if total == 0 {
        "No calls yet.".to_owned()
    } else {
        slices
            .iter()
            .map(|s| format!("{} {} ({}%)", s.label, s.count, percent(s.count, total)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let arcs: Vec<_> = slices
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| {
            let share = s.count as f64 * 100.0 / total.max(1) as f64;
            let arc = view! {
                <circle
                    cx="21"
                    cy="21"
                    r=radius
                    fill="transparent"
                    stroke=colour(&s.key)
                    stroke-width="5"
                    stroke-dasharray=format!("{share:.3} {:.3}", 100.0 - share)
                    stroke-dashoffset=format!("{offset:.3}")
                >
                    <title>{format!("{}: {}", s.label, s.count)}</title>
                </circle>
            };
            offset = (offset - share).rem_euclid(100.0);
            arc
        })
        .collect();
    view! {
        <figure class="flex flex-wrap items-center gap-6" data-testid="donut">
            <svg
                viewBox="0 0 42 42"
                class="h-40 w-40"
                role="img"
                aria-label=format!("{title}: {description}")
            >
                <circle
                    cx="21"
                    cy="21"
                    r=radius
                    fill="transparent"
                    stroke="currentColor"
                    stroke-opacity="0.1"
                    stroke-width="5"
                />
                {arcs}
                <text
                    x="21"
                    y="21"
                    text-anchor="middle"
                    dominant-baseline="central"
                    font-size="8"
                    font-weight="600"
                    fill="currentColor"
                >
                    {total.to_string()}
                </text>
            </svg>
            <Legend slices total />
        </figure>
    }
}

/// Parts of a whole as horizontal bars with their counts.
#[component]
pub fn Bands(#[prop(into)] title: String, slices: Vec<Slice>) -> impl IntoView {
    let total: u64 = slices.iter().map(|s| s.count).sum();
    let max = slices.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    view! {
        <ul class="space-y-2" aria-label=title data-testid="bands">
            {slices
                .into_iter()
                .map(|s| {
                    let share = percent(s.count, total);
                    let width = s.count as f64 * 100.0 / max as f64;
                    view! {
                        <li
                            class="grid grid-cols-[8rem_1fr_4.5rem] items-center gap-3 text-sm"
                            data-key=s.key.clone()
                            data-count=s.count.to_string()
                        >
                            <span class="text-muted">{s.label.clone()}</span>
                            <svg
                                viewBox="0 0 100 6"
                                preserveAspectRatio="none"
                                class="h-3 w-full"
                                aria-hidden="true"
                            >
                                <rect
                                    x="0"
                                    y="0"
                                    width="100"
                                    height="6"
                                    rx="3"
                                    fill="currentColor"
                                    fill-opacity="0.08"
                                />
                                <rect
                                    x="0"
                                    y="0"
                                    width=format!("{width:.2}")
                                    height="6"
                                    rx="3"
                                    fill=colour(&s.key)
                                />
                            </svg>
                            <span class="text-right tabular-nums">
                                {format!("{} ({share}%)", s.count)}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Legend(slices: Vec<Slice>, total: u64) -> impl IntoView {
    view! {
        <ul class="space-y-1 text-sm">
            {slices
                .into_iter()
                .map(|s| {
                    let share = percent(s.count, total);
                    view! {
                        <li
                            class="flex items-center gap-2"
                            data-key=s.key.clone()
                            data-count=s.count.to_string()
                        >
                            <span
                                class="h-2.5 w-2.5 rounded-full"
                                style=format!("background:{}", colour(&s.key))
                            ></span>
                            <span>{s.label}</span>
                            <span class="tabular-nums text-muted">
                                {format!("{} ({share}%)", s.count)}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
