//! The campaign pages: the list (`/w/{slug}/campaigns`), the wizard (`…/new`, `…/{id}/edit`)
//! and a campaign's own page (`…/{id}`). Server-rendered; every action is a plain form.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{list_campaigns, list_do_not_call};
use super::model::{CampaignStatus, CampaignSummary, Progress};
use crate::access::permission::WorkspacePermission;
use crate::components::badge::{Badge, Tone};
use crate::components::button::LinkButton;
use crate::components::table::Table;
use crate::error::AppError;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

mod detail;
mod dnc;
mod pulse;
mod recipients;
mod steps;
mod test_call;
mod wizard;

pub use detail::CampaignPage;
pub use dnc::OrgDoNotCallPage;
use dnc::{DoNotCallList, ListPlace};
pub use wizard::{EditCampaignPage, NewCampaignPage};

/// A status's badge colour.
pub(crate) fn tone(status: CampaignStatus) -> Tone {
    match status {
        CampaignStatus::Running => Tone::Success,
        CampaignStatus::Scheduled => Tone::Info,
        CampaignStatus::Paused => Tone::Warning,
        CampaignStatus::Cancelled => Tone::Danger,
        CampaignStatus::Draft | CampaignStatus::Completed => Tone::Neutral,
    }
}

/// Filter links by status: "All", then each `(value, label)`, the current one marked.
pub(crate) fn status_chips(
    options: impl Iterator<Item = (&'static str, &'static str)>,
    current: &str,
    href: impl Fn(&str) -> String,
) -> AnyView {
    std::iter::once(("", "All"))
        .chain(options)
        .map(|(value, label)| {
            let here = value == current;
            view! {
                <a
                    href=href(value)
                    aria-current=here.then_some("page")
                    class=if here {
                        "rounded-full bg-brand px-3 py-1 text-xs font-medium text-brand-fg"
                    } else {
                        "rounded-full border border-line px-3 py-1 text-xs font-medium text-muted hover:text-fg"
                    }
                >
                    {label}
                </a>
            }
        })
        .collect_view()
        .into_any()
}

/// When a campaign in the list calls next: now, at a time (UTC), at its start, or never.
fn next_call_text(c: &CampaignSummary) -> String {
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%b %-d, %H:%M UTC").to_string();
    match (c.status, c.next_call) {
        (CampaignStatus::Scheduled, _) => {
            c.starts_at.map(at).unwrap_or_else(|| "At its start".into())
        }
        (CampaignStatus::Running, Some(t)) if t <= chrono::Utc::now() => "Now".into(),
        (CampaignStatus::Running | CampaignStatus::Paused, Some(t)) => at(t),
        _ => "—".into(),
    }
}

/// "12 of 40 done · 9 reached".
pub(crate) fn progress_line(p: &Progress) -> String {
    format!(
        "{} of {} done · {} reached · {} calls",
        p.total - p.queued - p.calling,
        p.total,
        p.completed,
        p.calls
    )
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let campaigns = Resource::new(slug, list_campaigns);
    let do_not_call = Resource::new(slug, list_do_not_call);
    view! {
        <Title text="Campaigns" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let list = campaigns.await?;
                let listed = do_not_call.await?;
                let status = query.read().get("status").unwrap_or_default();
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <CampaignList
                            slug=overview.workspace.slug.clone()
                            can_write=overview.role.can(WorkspacePermission::CampaignsWrite)
                            list
                            status
                        />
                        <DoNotCallList
                            place=ListPlace::Workspace(overview.workspace.slug.clone())
                            can_add=overview.role.can(WorkspacePermission::CampaignsWrite)
                            can_remove=overview.role.can(WorkspacePermission::DoNotCallRemove)
                            list=listed
                        />
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
fn CampaignList(
    slug: String,
    can_write: bool,
    list: Vec<CampaignSummary>,
    status: String,
) -> impl IntoView {
    let shown: Vec<CampaignSummary> = list
        .into_iter()
        .filter(|c| status.is_empty() || c.status.as_str() == status)
        .collect();
    let empty = shown.is_empty();
    let row_slug = slug.clone();
    let filters = status_chips(
        CampaignStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
        &status,
        |value| match value {
            "" => format!("/w/{slug}/campaigns"),
            v => format!("/w/{slug}/campaigns?status={v}"),
        },
    );
    view! {
        <div class="space-y-6" data-testid="campaigns-page">
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight">"Campaigns"</h1>
                    <p class="mt-1 text-sm text-muted">
                        "Lists your outbound agents call, inside each person's own calling hours, with retries and callbacks."
                    </p>
                </div>
                {can_write
                    .then(|| {
                        view! {
                            <LinkButton href=format!(
                                "/w/{slug}/campaigns/new",
                            )>"New campaign"</LinkButton>
                        }
                    })}
            </div>
            <nav aria-label="Campaign status" class="flex flex-wrap gap-2">
                {filters}
            </nav>
            <Table
                caption="Campaigns"
                headers=vec!["Campaign", "Status", "Progress", "Outcomes", "Next call", "Agent"]
                empty=empty
                empty_title="No campaigns here"
                empty_message="Create a campaign, import a list, and launch it."
            >
                {shown
                    .clone()
                    .into_iter()
                    .map(|c| {
                        let href = if c.status == CampaignStatus::Draft {
                            format!("/w/{row_slug}/campaigns/{}/edit", c.id)
                        } else {
                            format!("/w/{row_slug}/campaigns/{}", c.id)
                        };
                        let p = c.progress.clone();
                        let next = next_call_text(&c);
                        let (status_tone, status_label) = (tone(c.status), c.status.label());
                        view! {
                            <tr data-testid="campaign-row" data-name=c.name.clone()>
                                <td class="px-4 py-3">
                                    <a href=href class="font-medium text-brand-ink hover:underline">
                                        {c.name.clone()}
                                    </a>
                                </td>
                                <td class="px-4 py-3">
                                    <Badge tone=status_tone>{status_label}</Badge>
                                </td>
                                <td class="px-4 py-3 tabular-nums">
                                    {format!("{}% · {}", p.percent_done(), progress_line(&p))}
                                </td>
                                <td class="px-4 py-3 text-muted">
                                    {format!(
                                        "{} answered · {} no answer · {} busy · {} voicemail",
                                        p.answered,
                                        p.no_answer,
                                        p.busy,
                                        p.voicemail,
                                    )}
                                </td>
                                <td class="px-4 py-3 text-muted" data-testid="next-call">
                                    {next}
                                </td>
                                <td class="px-4 py-3 text-muted">
                                    {c.agent_name.clone().unwrap_or_else(|| "—".into())}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </Table>
        </div>
    }
}
