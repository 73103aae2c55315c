//! `/w/{slug}/campaigns/{id}`: a campaign's progress, its controls (pause, resume, cancel),
//! and its recipients (filtered by status, each with a link to their last call).

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::super::api::{get_campaign, list_recipients};
use super::super::model::{
    CampaignDetail, CampaignStatus, Progress, RecipientPage, RecipientStatus,
};
use super::{progress_line, status_chips, tone};
use crate::access::permission::WorkspacePermission;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::pagination::{Pagination, page_in};
use crate::components::stat_card::StatCard;
use crate::components::table::Table;
use crate::error::AppError;
use crate::pages::not_found::NotFound;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

#[component]
pub fn CampaignPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|i| Uuid::parse_str(&i).ok())
            .unwrap_or_default()
    };
    let status = move || query.read().get("status").unwrap_or_default();
    let page = move || u64::from(page_in(&query.read()));
    let campaign = Resource::new(move || (slug(), id()), |(s, i)| get_campaign(s, i));
    let recipients = Resource::new(
        move || (slug(), id(), status(), page()),
        |(s, i, st, p)| list_recipients(s, i, st, p),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let detail = match campaign.await {
                    Ok(detail) => detail,
                    Err(AppError::NotFound(_)) => {
                        return Ok(view! { <NotFound /> }.into_any());
                    }
                    Err(e) => return Err(e),
                };
                let recipients = recipients.await?;
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <Title text=detail.settings.name.clone() />
                        <Campaign
                            slug=overview.workspace.slug.clone()
                            can_write=overview.role.can(WorkspacePermission::CampaignsWrite)
                            detail
                            recipients
                            status=status()
                        />
                    }
                        .into_any(),
                )
            })}
        </Suspense>
    }
}

/// A plain form posting one of the controls (`campaigns/{endpoint}`); the server answers
/// with this page again, saying what happened.
fn control_form(
    endpoint: &'static str,
    slug: &str,
    id: Uuid,
    label: &'static str,
    variant: Variant,
) -> AnyView {
    view! {
        <form method="post" action=format!("/api/campaigns/{endpoint}")>
            <input type="hidden" name="slug" value=slug.to_owned() />
            <input type="hidden" name="id" value=id.to_string() />
            <Button kind="submit" size=Size::Small variant>
                {label}
            </Button>
        </form>
    }
    .into_any()
}

/// A ring showing the share of recipients done with.
#[component]
fn Ring(percent: u64) -> impl IntoView {
    let circumference = 2.0 * std::f64::consts::PI * 40.0;
    let filled = circumference * (percent.min(100) as f64) / 100.0;
    view! {
        <svg
            viewBox="0 0 100 100"
            class="h-28 w-28"
            role="img"
            aria-label=format!("{percent}% done")
        >
            <circle cx="50" cy="50" r="40" fill="none" stroke-width="10" class="stroke-line" />
            <circle
                cx="50"
                cy="50"
                r="40"
                fill="none"
                stroke-width="10"
                stroke-linecap="round"
                class="stroke-brand"
                transform="rotate(-90 50 50)"
                stroke-dasharray=format!("{filled:.1} {circumference:.1}")
            />
            <text x="50" y="56" text-anchor="middle" class="fill-fg text-lg font-semibold">
                {format!("{percent}%")}
            </text>
        </svg>
    }
}

#[component]
fn Campaign(
    slug: String,
    can_write: bool,
    detail: CampaignDetail,
    recipients: RecipientPage,
    status: String,
) -> impl IntoView {
    let id = detail.id;
    let p: Progress = detail.progress.clone();
    let s = detail.status;
    let controls = can_write.then(|| {
        view! {
            <div class="flex flex-wrap gap-2" data-testid="campaign-controls">
                {matches!(s, CampaignStatus::Running | CampaignStatus::Scheduled)
                    .then(|| {
                        view! { {control_form("pause", &slug, id, "Pause", Variant::Secondary)} }
                    })}
                {(s == CampaignStatus::Paused)
                    .then(|| {
                        view! {
                            {control_form("resume", &slug, id, "Resume", Variant::Primary)}
                            <LinkButton
                                href=format!("/w/{slug}/campaigns/{id}/edit")
                                size=Size::Small
                                variant=Variant::Secondary
                            >
                                "Edit"
                            </LinkButton>
                        }
                    })}
                {(s == CampaignStatus::Draft)
                    .then(|| {
                        view! {
                            <LinkButton
                                href=format!("/w/{slug}/campaigns/{id}/edit")
                                size=Size::Small
                            >
                                "Continue building"
                            </LinkButton>
                        }
                    })}
                {(!s.is_over())
                    .then(|| {
                        view! {
                            {control_form("cancel", &slug, id, "Cancel campaign", Variant::Danger)}
                        }
                    })}
            </div>
        }
    });
    let filters = status_chips(
        RecipientStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
        &status,
        |value| match value {
            "" => format!("/w/{slug}/campaigns/{id}#recipients"),
            v => format!("/w/{slug}/campaigns/{id}?status={v}#recipients"),
        },
    );
    let page_href = {
        let (slug, status) = (slug.clone(), status.clone());
        Callback::new(move |n: u32| {
            format!("/w/{slug}/campaigns/{id}?status={status}&page={n}#recipients")
        })
    };
    let rows = recipients.rows.clone();
    let empty = rows.is_empty();
    let row_slug = slug.clone();
    view! {
        <div class="space-y-6" data-testid="campaign-page" data-status=s.as_str()>
            <div class="flex flex-wrap items-start justify-between gap-4">
                <div>
                    <p class="text-sm">
                        <a href=format!("/w/{slug}/campaigns") class="text-muted hover:text-fg">
                            "← Campaigns"
                        </a>
                    </p>
                    <h1 class="mt-1 flex items-center gap-3 text-2xl font-bold tracking-tight">
                        {detail.settings.name.clone()} <Badge tone=tone(s)>{s.label()}</Badge>
                    </h1>
                    <p class="mt-1 text-sm text-muted">
                        {format!(
                            "{} · {} at once · {}",
                            detail.agent_name.clone().unwrap_or_else(|| "No agent".into()),
                            detail.settings.concurrency,
                            detail.settings.time_zone,
                        )}
                    </p>
                </div>
                {controls}
            </div>
            {detail
                .pause_reason
                .map(|reason| {
                    view! {
                        <div
                            role="status"
                            class="rounded-xl border border-warning/40 bg-warning/10 p-4 text-sm"
                            data-testid="pause-reason"
                        >
                            <p class="font-medium">{reason.explain()}</p>
                            {detail.pause_detail.clone().map(|d| view! { <p class="mt-1">{d}</p> })}
                        </div>
                    }
                })}
            <div class="flex flex-wrap items-center gap-6 rounded-xl border border-line bg-surface p-5">
                <Ring percent=p.percent_done() />
                <div class="space-y-1 text-sm">
                    <p class="font-medium" data-testid="progress-line">
                        {progress_line(&p)}
                    </p>
                    <p class="text-muted">
                        {format!(
                            "{} queued · {} calling now · {} not reached · {} skipped",
                            p.queued,
                            p.calling,
                            p.failed,
                            p.skipped,
                        )}
                    </p>
                    {(detail.rejected > 0)
                        .then(|| {
                            view! {
                                <p class="text-muted">
                                    {format!(
                                        "{} rows of the imported list could not be used.",
                                        detail.rejected,
                                    )}
                                </p>
                            }
                        })}
                </div>
            </div>
            <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <StatCard label="Answered" value=p.answered.to_string() />
                <StatCard label="No answer" value=p.no_answer.to_string() />
                <StatCard label="Busy or voicemail" value=(p.busy + p.voicemail).to_string() />
                <StatCard
                    label="Callbacks and do-not-call"
                    value=format!("{} · {}", p.callbacks, p.do_not_call)
                />
            </div>
            <section id="recipients" class="space-y-3">
                <div class="flex flex-wrap items-center justify-between gap-3">
                    <h2 class="text-lg font-semibold">"Recipients"</h2>
                    <div class="flex gap-2">
                        <LinkButton
                            href=format!("/w/{slug}/campaigns/{id}/recipients.csv")
                            size=Size::Small
                            variant=Variant::Secondary
                            attr:download=""
                        >
                            "Export results (CSV)"
                        </LinkButton>
                        {(detail.rejected > 0)
                            .then(|| {
                                view! {
                                    <LinkButton
                                        href=format!("/w/{slug}/campaigns/{id}/rejects.csv")
                                        size=Size::Small
                                        variant=Variant::Ghost
                                    >
                                        "Rows not used (CSV)"
                                    </LinkButton>
                                }
                            })}
                    </div>
                </div>
                <nav aria-label="Recipient status" class="flex flex-wrap gap-2">
                    {filters}
                </nav>
                <Table
                    caption="Recipients"
                    headers=vec!["Recipient", "Status", "Outcome", "Attempts", "Next or last"]
                    empty=empty
                    empty_title="Nobody here"
                >
                    {rows
                        .clone()
                        .into_iter()
                        .map(|r| {
                            let slug = row_slug.clone();
                            let status_label = r.status.label();
                            let call = r
                                .conversation_id
                                .map(move |c| {
                                    view! {
                                        <a
                                            href=format!("/w/{slug}/calls/{c}")
                                            class="text-brand-ink hover:underline"
                                        >
                                            "Last call"
                                        </a>
                                    }
                                });
                            let when = match (r.status, r.next_attempt_at) {
                                (RecipientStatus::Queued, Some(at)) => {
                                    format!("Next {}", at.format("%b %-d, %H:%M UTC"))
                                }
                                _ => r.last_error.clone().unwrap_or_default(),
                            };
                            let status_tone = match r.status {
                                RecipientStatus::Completed => Tone::Success,
                                RecipientStatus::Failed => Tone::Danger,
                                RecipientStatus::Calling => Tone::Info,
                                RecipientStatus::Skipped | RecipientStatus::Cancelled => {
                                    Tone::Warning
                                }
                                RecipientStatus::Queued => Tone::Neutral,
                            };
                            view! {
                                <tr data-testid="recipient-row" data-phone=r.phone.clone()>
                                    <td class="px-4 py-3">
                                        <p class="font-medium tabular-nums">{r.phone.clone()}</p>
                                        <p class="text-xs text-muted">
                                            {r.name.clone().unwrap_or_default()}
                                        </p>
                                    </td>
                                    <td class="px-4 py-3">
                                        <Badge tone=status_tone>{status_label}</Badge>
                                    </td>
                                    <td class="px-4 py-3">
                                        {r.outcome.map(|o| o.label()).unwrap_or("—")}
                                    </td>
                                    <td class="px-4 py-3 tabular-nums">{r.attempts}</td>
                                    <td class="px-4 py-3 text-xs text-muted">
                                        <span>{when}</span>
                                        " "
                                        {call}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </Table>
                <Pagination
                    page=recipients.page as u32
                    total_pages=recipients.pages as u32
                    href=page_href
                />
            </section>
        </div>
    }
}
