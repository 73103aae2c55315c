//! Agent pages: the list, the create wizard and edit form (one component), and the agent
//! page with its sync state and test calls.

pub mod detail;
pub mod form;
pub mod list;

use leptos::prelude::*;

use crate::agents::model::SyncStatus;
use crate::components::badge::{Badge, Tone};

/// The sync state as a coloured label.
#[component]
pub fn SyncBadge(status: SyncStatus) -> impl IntoView {
    let tone = match status {
        SyncStatus::Synced => Tone::Success,
        SyncStatus::Pending => Tone::Info,
        SyncStatus::NotSynced => Tone::Neutral,
        SyncStatus::Error => Tone::Danger,
    };
    // While the provider is being told, `/js/agent-sync.js` (a few hundred bytes) looks
    // again every second and shows the outcome when the job has ended.
    let watch = (status == SyncStatus::Pending)
        .then(|| view! { <script type="module" src="/js/agent-sync.js"></script> });
    view! {
        <span data-testid="sync-status" data-status=status.as_str()>
            <Badge tone>{status.label()}</Badge>
        </span>
        {watch}
    }
}

/// Whole minutes, rounded up as calls are billed.
pub fn minutes(seconds: i64) -> i64 {
    (seconds + 59) / 60
}
