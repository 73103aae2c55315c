//! `/super-admin/outbox`: every email the platform wrote, newest first, with its text
//! and delivery state: how local runs read invitations and reset links.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::badge::{Badge, Tone};
use crate::email::model::EmailStatus;
use crate::super_admin::api::outbox;
use crate::super_admin::ui::ConsoleFrame;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let emails = Resource::new_blocking(|| (), |_| outbox(0));
    view! {
        <Title text="Email outbox" />
        <ConsoleFrame title="Email outbox">
            <Suspense>
                {move || Suspend::new(async move {
                    match emails.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="text-sm text-muted">"No emails yet."</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="space-y-3" data-testid="outbox">
                                    {list
                                        .into_iter()
                                        .map(|e| {
                                            view! {
                                                <li
                                                    class="rounded-xl border border-line bg-surface p-4"
                                                    data-testid="outbox-email"
                                                    data-to=e.to.clone()
                                                    data-kind=e.kind.as_str()
                                                >
                                                    <details>
                                                        <summary class="flex cursor-pointer flex-wrap items-center gap-3">
                                                            <span class="flex-1 font-medium">{e.subject}</span>
                                                            <span class="text-sm text-muted">
                                                                {format!("to {}", e.to)}
                                                            </span>
                                                            <Badge tone=if e.status == EmailStatus::Failed {
                                                                Tone::Danger
                                                            } else {
                                                                Tone::Neutral
                                                            }>{e.status.as_str()}</Badge>
                                                            <span class="text-xs text-muted">
                                                                {e.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()}
                                                            </span>
                                                        </summary>
                                                        <p class="mt-2 text-xs text-muted">
                                                            {format!("From {} · {}", e.from, e.kind)}
                                                        </p>
                                                        {e
                                                            .last_error
                                                            .map(|err| {
                                                                view! { <p class="mt-1 text-xs text-danger">{err}</p> }
                                                            })}
                                                        <pre
                                                            class="mt-3 whitespace-pre-wrap break-all rounded bg-surface-2 p-3 text-sm"
                                                            data-testid="outbox-text"
                                                        >
                                                            {e.text}
                                                        </pre>
                                                    </details>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => crate::super_admin::ui::refusal(e),
                    }
                })}
            </Suspense>
        </ConsoleFrame>
    }
}
