//! `/w/{slug}/calls/{id}`: one call, what happened and what it cost, and its transcript,
//! following the recording as it plays.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::outcome_tone;
use crate::billing::model::{BilledTo, dollars};
use crate::calls::api::get_call;
use crate::calls::model::{CallDetail, Turn, clock};
use crate::components::badge::Badge;
use crate::components::button::{Size, Variant, button_class};
use crate::error::AppError;
use crate::pages::not_found::NotFound;

#[component]
pub fn CallDetailPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|i| Uuid::parse_str(&i).ok())
    };
    let call = Resource::new(
        move || (slug(), id()),
        |(s, id)| async move {
            match id {
                Some(id) => get_call(s, id).await,
                None => Err(AppError::not_found("The call")),
            }
        },
    );
    view! {
        <Title text="Call" />
        <Suspense fallback=|| {
            view! { <p class="text-sm text-muted">"Loading the call…"</p> }
        }>
            {move || Suspend::new(async move {
                match call.await {
                    Ok(detail) => Ok(view! { <CallView detail slug=slug() /> }.into_any()),
                    Err(AppError::NotFound(_)) => Ok(view! { <NotFound /> }.into_any()),
                    Err(e) => Err(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallView(detail: CallDetail, slug: String) -> impl IntoView {
    let r = detail.row.clone();
    let nav = |target: Option<Uuid>, text: &'static str| match target {
        Some(id) => view! {
            <a
                href=format!("/w/{slug}/calls/{id}")
                class=button_class(Variant::Secondary, Size::Small)
            >
                {text}
            </a>
        }
        .into_any(),
        None => view! {
            <span
                aria-disabled="true"
                class=format!("{} opacity-50", button_class(Variant::Secondary, Size::Small))
            >
                {text}
            </span>
        }
        .into_any(),
    };
    let rate =
        (detail.billed_minutes > 0).then(|| r.billed_cents / i64::from(detail.billed_minutes));
    let facts: Vec<(&str, String)> = vec![
        ("Agent", r.agent_name.clone().unwrap_or_else(|| "—".into())),
        ("Direction", r.direction.label().into()),
        (
            "Caller / number",
            r.caller_name
                .clone()
                .into_iter()
                .chain(r.phone_number.clone())
                .collect::<Vec<_>>()
                .join(" · "),
        ),
        (
            "Started",
            detail
                .started_at
                .unwrap_or(r.created_at)
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string(),
        ),
        ("Duration", clock(r.duration_seconds)),
        ("Status", r.status.label().into()),
        (
            "Ended because",
            detail.end_reason.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            "Sentiment",
            r.sentiment.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            "Goal reached",
            match detail.successful {
                Some(true) => "Yes".into(),
                Some(false) => "No".into(),
                None => "—".into(),
            },
        ),
        ("Provider", r.provider.label().into()),
        ("Provider call id", detail.external_id.clone()),
    ];
    view! {
        <div class="space-y-6" data-testid="call-detail">
            <div class="flex flex-wrap items-center gap-3">
                <a
                    href=format!("/w/{slug}/calls")
                    class="text-sm text-brand-ink underline underline-offset-2"
                >
                    "← Calls"
                </a>
                <h1 class="flex-1 text-2xl font-bold tracking-tight">
                    {format!("{} call", r.direction.label())} <span class="ml-3 align-middle">
                        <Badge tone=outcome_tone(r.outcome)>{r.outcome.label()}</Badge>
                    </span>
                </h1>
                {nav(detail.newer, "← Newer")}
                {nav(detail.older, "Older →")}
            </div>
            <div class="grid gap-6 lg:grid-cols-3">
                <section class="space-y-4 lg:col-span-2">
                    {detail
                        .summary
                        .clone()
                        .map(|s| {
                            view! {
                                <div class="rounded-xl border border-line bg-surface p-5">
                                    <h2 class="text-sm font-semibold text-muted">"Summary"</h2>
                                    <p class="mt-2 text-sm" data-testid="call-summary">
                                        {s}
                                    </p>
                                </div>
                            }
                        })}
                    <Transcript
                        turns=detail.transcript.clone()
                        recording=detail.recording_url.clone()
                    />
                </section>
                <aside class="space-y-4">
                    <dl class="divide-y divide-line rounded-xl border border-line bg-surface text-sm">
                        {facts
                            .into_iter()
                            .map(|(k, v)| {
                                view! {
                                    <div class="flex justify-between gap-4 px-4 py-2">
                                        <dt class="text-muted">{k}</dt>
                                        <dd class="text-right font-medium break-all">{v}</dd>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </dl>
                    <dl
                        class="divide-y divide-line rounded-xl border border-line bg-surface text-sm"
                        data-testid="cost-breakdown"
                    >
                        <div class="flex justify-between px-4 py-2">
                            <dt class="text-muted">"Minutes billed"</dt>
                            <dd class="font-medium">{detail.billed_minutes}</dd>
                        </div>
                        <div class="flex justify-between px-4 py-2">
                            <dt class="text-muted">"Rate"</dt>
                            <dd class="font-medium">
                                {rate
                                    .map(|c| format!("{}/min", dollars(c)))
                                    .unwrap_or_else(|| "—".into())}
                            </dd>
                        </div>
                        <div class="flex justify-between px-4 py-2">
                            <dt class="text-muted">"Charged"</dt>
                            <dd class="font-medium">
                                {dollars(r.billed_cents)}
                                {(detail.billed_to == Some(BilledTo::Partner))
                                    .then_some(" (organisation)")}
                            </dd>
                        </div>
                        <div class="flex justify-between px-4 py-2">
                            <dt class="text-muted">"Provider cost"</dt>
                            <dd class="font-medium">{dollars(detail.provider_cost_cents)}</dd>
                        </div>
                    </dl>
                </aside>
            </div>
        </div>
    }
}

/// The transcript, and when there is a recording, its player: the line being spoken is
/// highlighted and kept in view; a line's time seeks the recording there. The lines are
/// rendered by the server; only the player is an island, and it gets the lines' start times.
#[component]
fn Transcript(turns: Vec<Turn>, recording: Option<String>) -> impl IntoView {
    let starts: Vec<f64> = turns.iter().map(|t| f64::from(t.seconds)).collect();
    let has_audio = recording.is_some();
    let lines = if turns.is_empty() {
        view! { <p class="mt-3 text-sm text-muted">"No transcript was recorded for this call."</p> }
            .into_any()
    } else {
        view! {
            <ol class="mt-3 max-h-[28rem] space-y-2 overflow-y-auto" data-testid="transcript">
                {turns
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| view! { <Line i turn=t has_audio /> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <div class="rounded-xl border border-line bg-surface p-5">
            <h2 class="text-sm font-semibold text-muted">"Transcript"</h2>
            {match recording {
                Some(src) => {
                    view! {
                        <Player src starts>
                            {lines}
                        </Player>
                    }
                        .into_any()
                }
                None => lines,
            }}
        </div>
    }
}

/// One line of the transcript; its time is a button that plays the recording from there.
#[component]
fn Line(i: usize, turn: Turn, has_audio: bool) -> impl IntoView {
    let at = turn.seconds;
    let time = clock(at as i32);
    let agent = turn.role == "agent";
    view! {
        <li
            id=format!("turn-{i}")
            data-testid="turn"
            class="flex gap-3 rounded-lg px-2 py-1.5 text-sm aria-[current=true]:bg-brand/10 aria-[current=true]:ring-1 aria-[current=true]:ring-brand/40"
        >
            <button
                type="button"
                class="shrink-0 font-mono text-xs text-brand-ink underline underline-offset-2 disabled:text-muted disabled:no-underline"
                disabled=!has_audio
                data-seek=at.to_string()
                aria-label=format!("Play from {time}")
            >
                {time.clone()}
            </button>
            <span class=if agent {
                "shrink-0 font-semibold text-brand-ink"
            } else {
                "shrink-0 font-semibold"
            }>{if agent { "Agent" } else if turn.role == "tool" { "Tool" } else { "Caller" }}</span>
            <span>{turn.text}</span>
        </li>
    }
}

/// The recording's player around the transcript (`children`, rendered by the server): it
/// marks the line being spoken (`turn-{i}`, `aria-current`), keeps it in view while
/// playing, and seeks to the time of a line's button (`data-seek`) when it is clicked.
#[island(lazy)]
fn Player(src: String, starts: Vec<f64>, children: Children) -> impl IntoView {
    let audio = NodeRef::<leptos::html::Audio>::new();
    let now = RwSignal::new(0.0f64);
    let current = Memo::new(move |_| {
        let t = now.get();
        starts.iter().rposition(|s| *s <= t + 0.05)
    });
    let seek = move |to: f64| {
        if let Some(a) = audio.get() {
            a.set_current_time(to.max(0.0));
            now.set(to.max(0.0));
        }
    };
    Effect::new(move |shown: Option<Option<usize>>| {
        let line = |i: usize| document().get_element_by_id(&format!("turn-{i}"));
        if let Some(old) = shown.flatten().and_then(line) {
            let _ = old.remove_attribute("aria-current");
        }
        let i = current.get();
        if let Some(new) = i.and_then(line) {
            let _ = new.set_attribute("aria-current", "true");
            if audio.get_untracked().is_some_and(|a| !a.paused()) {
                new.scroll_into_view_with_bool(false);
            }
        }
        i
    });
    let on_line = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let at = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-seek]").ok().flatten())
            .and_then(|el| el.get_attribute("data-seek"))
            .and_then(|at| at.parse::<f64>().ok());
        if let Some(at) = at {
            seek(at);
        }
    };
    view! {
        <div class="mt-3 space-y-2" data-testid="player">
            <audio
                node_ref=audio
                controls=true
                preload="metadata"
                src=src
                class="w-full"
                on:timeupdate=move |_| {
                    if let Some(a) = audio.get() {
                        now.set(a.current_time())
                    }
                }
            ></audio>
            <div class="flex flex-wrap items-center gap-2 text-sm">
                <button
                    type="button"
                    class=button_class(Variant::Secondary, Size::Small)
                    on:click=move |_| seek(now.get_untracked() - 10.0)
                >
                    "−10 s"
                </button>
                <button
                    type="button"
                    class=button_class(Variant::Secondary, Size::Small)
                    on:click=move |_| seek(now.get_untracked() + 10.0)
                >
                    "+10 s"
                </button>
                <label for="playback-rate" class="ml-2 text-muted">
                    "Speed"
                </label>
                <select
                    id="playback-rate"
                    class="rounded-lg border border-line bg-surface px-2 py-1"
                    on:change=move |ev| {
                        if let (Some(a), Ok(rate)) = (
                            audio.get(),
                            event_target_value(&ev).parse::<f64>(),
                        ) {
                            a.set_playback_rate(rate);
                        }
                    }
                >
                    {["0.5", "0.75", "1", "1.25", "1.5", "2"]
                        .into_iter()
                        .map(|r| {
                            view! {
                                <option value=r selected=r == "1">
                                    {format!("{r}×")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </div>
        <div on:click=on_line>{children()}</div>
    }
}
