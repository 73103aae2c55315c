//! The workspace dashboard: what this workspace is and where to start.

use leptos::prelude::*;
use leptos_meta::Title;

use super::workspace_shell::WorkspaceResource;
use crate::components::badge::{Badge, Tone};
use crate::components::card::Card;
use crate::components::icon::IconName;
use crate::components::spinner::Skeleton;
use crate::components::stat_card::StatCard;

/// Cents per minute as dollars, e.g. 20 → "$0.20".
pub fn format_rate(cents: i32) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

#[component]
pub fn WorkspaceDashboard() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    view! {
        <Title text="Dashboard"/>
        <Suspense fallback=|| view! { <Skeleton class="h-32 w-full"/> }>
            {move || Suspend::new(async move {
                workspace
                    .await
                    .map(|o| {
                        let members = o.member_count.to_string();
                        let rate = format_rate(o.per_minute_rate_cents);
                        let created = o.created_at.format("%b %-d, %Y").to_string();
                        view! {
                            <div class="space-y-6">
                                <div class="flex flex-wrap items-center gap-3">
                                    <h1 class="text-2xl font-bold tracking-tight">{o.workspace.name.clone()}</h1>
                                    {o.is_billing_exempt.then(|| view! { <Badge tone=Tone::Info>"Billing exempt"</Badge> })}
                                </div>
                                {o.workspace.description.clone().map(|d| view! { <p class="max-w-2xl text-muted">{d}</p> })}
                                <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
                                    <StatCard label="Members" value=Signal::stored(members) icon=IconName::Team/>
                                    <StatCard label="Rate per minute" value=Signal::stored(rate) icon=IconName::Billing note="Charged per started minute"/>
                                    <StatCard label="Created" value=Signal::stored(created) icon=IconName::Dashboard/>
                                </div>
                                <Card title="Getting started" description="What this workspace will hold.">
                                    <ol class="list-decimal space-y-1 pl-5 text-sm text-muted">
                                        <li>"Create a voice agent and give it a prompt, a voice and tools."</li>
                                        <li>"Place a test call from the browser."</li>
                                        <li>"Read the call log with its transcript and recording."</li>
                                        <li>"Run a campaign over a list of contacts."</li>
                                    </ol>
                                </Card>
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::format_rate;

    #[test]
    fn rates_show_as_dollars() {
        assert_eq!(format_rate(20), "$0.20");
        assert_eq!(format_rate(105), "$1.05");
        assert_eq!(format_rate(1000), "$10.00");
    }
}
