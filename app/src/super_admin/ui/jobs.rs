//! `/super-admin/jobs`: the job queue. How much of each kind waits, runs and died; the
//! jobs in trouble with their errors (a dead one can be retried or discarded); and when
//! each worker last reported alive.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::form::{FormAlert, form_error};
use crate::super_admin::api::{DiscardJob, RetryJob, queue_overview};
use crate::super_admin::model::{JobQueue, JobRow};
use crate::super_admin::ui::ConsoleFrame;

#[component]
pub fn JobsPage() -> impl IntoView {
    let queue = Resource::new_blocking(|| (), |_| queue_overview());
    view! {
        <Title text="Jobs" />
        <ConsoleFrame title="Jobs">
            <Suspense>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(queue) => view! { <Queue queue /> }.into_any(),
                        Err(e) => crate::super_admin::ui::refusal(e),
                    }
                })}
            </Suspense>
        </ConsoleFrame>
    }
}

#[component]
fn Queue(queue: JobQueue) -> impl IntoView {
    let retry = ServerAction::<RetryJob>::new();
    let discard = ServerAction::<DiscardJob>::new();
    let errors = Signal::derive(move || {
        form_error(retry.value())
            .get()
            .or_else(|| form_error(discard.value()).get())
    });
    let now = chrono::Utc::now();
    view! {
        <FormAlert message=errors />
        <section aria-labelledby="depth-title" class="rounded-xl border border-line bg-surface p-4">
            <h2 id="depth-title" class="mb-3 font-semibold">
                "By kind"
            </h2>
            {if queue.depth.is_empty() {
                view! { <p class="text-sm text-muted">"The queue is empty."</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-sm" data-testid="job-depth">
                        <thead class="text-left text-muted">
                            <tr>
                                <th class="py-1">"Kind"</th>
                                <th>"Waiting"</th>
                                <th>"Running"</th>
                                <th>"Dead"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {queue
                                .depth
                                .into_iter()
                                .map(|d| {
                                    let kind = d.kind.clone();
                                    view! {
                                        <tr class="border-t border-line" data-kind=kind>
                                            <td class="py-1 font-mono">{d.kind}</td>
                                            <td>{d.queued}</td>
                                            <td>{d.running}</td>
                                            <td class:text-danger={d.dead > 0}>{d.dead}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        <section
            aria-labelledby="troubled-title"
            class="rounded-xl border border-line bg-surface p-4"
        >
            <h2 id="troubled-title" class="mb-3 font-semibold">
                "Failed and dead"
            </h2>
            {if queue.troubled.is_empty() {
                view! { <p class="text-sm text-muted">"No job is failing."</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-line" data-testid="troubled-jobs">
                        {queue
                            .troubled
                            .into_iter()
                            .map(|job| view! { <Troubled job now retry discard /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section
            aria-labelledby="workers-title"
            class="rounded-xl border border-line bg-surface p-4"
        >
            <h2 id="workers-title" class="mb-3 font-semibold">
                "Workers"
            </h2>
            {if queue.workers.is_empty() {
                view! {
                    <p class="text-sm text-muted">
                        "No worker has reported in the last day. Jobs wait until `server serve` or `server worker` runs."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="space-y-1 text-sm" data-testid="workers">
                        {queue
                            .workers
                            .into_iter()
                            .map(|w| {
                                view! {
                                    <li>
                                        <span class="font-mono">{w.id}</span>
                                        <span class="text-muted">
                                            {format!(
                                                " · last heard {} · up since {}",
                                                ago(now, w.beat_at),
                                                w.started_at.format("%Y-%m-%d %H:%M UTC"),
                                            )}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Troubled(
    job: JobRow,
    now: chrono::DateTime<chrono::Utc>,
    retry: ServerAction<RetryJob>,
    discard: ServerAction<DiscardJob>,
) -> impl IntoView {
    let (id_a, id_b) = (job.id.to_string(), job.id.to_string());
    let kind = job.kind.clone();
    let when = if job.dead {
        format!("gave up {}", ago(now, job.updated_at))
    } else {
        format!("next attempt {}", until(now, job.run_at))
    };
    view! {
        <li
            class="flex flex-wrap items-center gap-3 py-3"
            data-testid="troubled-job"
            data-kind=kind
        >
            <span class="min-w-0 flex-1">
                <span class="block font-mono text-sm">{job.kind}</span>
                <span class="block text-xs text-muted">
                    {format!("{} attempt(s) · {when}", job.attempts)}
                </span>
                {job
                    .last_error
                    .map(|e| {
                        view! { <span class="block break-words text-xs text-danger">{e}</span> }
                    })}
            </span>
            {if job.dead {
                view! {
                    <Badge tone=Tone::Danger>"Dead"</Badge>
                    <ActionForm action=retry>
                        <input type="hidden" name="id" value=id_a />
                        <Button kind="submit" size=Size::Small variant=Variant::Secondary>
                            "Retry"
                        </Button>
                    </ActionForm>
                    <ActionForm action=discard>
                        <input type="hidden" name="id" value=id_b />
                        <Button kind="submit" size=Size::Small variant=Variant::Ghost>
                            "Discard"
                        </Button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! { <Badge tone=Tone::Warning>"Retrying"</Badge> }.into_any()
            }}
        </li>
    }
}

fn ago(now: chrono::DateTime<chrono::Utc>, at: chrono::DateTime<chrono::Utc>) -> String {
    let seconds = (now - at).num_seconds().max(0);
    format!("{} ago", span(seconds))
}

fn until(now: chrono::DateTime<chrono::Utc>, at: chrono::DateTime<chrono::Utc>) -> String {
    let seconds = (at - now).num_seconds();
    if seconds <= 0 {
        "now".into()
    } else {
        format!("in {}", span(seconds))
    }
}

fn span(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}
