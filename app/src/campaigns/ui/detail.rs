//! `/w/{slug}/campaigns/{id}`: a campaign's progress, pace and latest calls, its controls
//! (pause, resume, cancel), and its recipients. Live: while the page is open it listens to
//! the campaign's news (`campaigns::live`) and renders its live regions again on each.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::super::api::{campaign_pulse, get_campaign, list_recipients};
use super::super::model::{CampaignDetail, CampaignStatus, Progress, Pulse, RecipientPage};
use super::pulse::{ActivityFeed, PulseCards};
use super::recipients::{RECIPIENTS_REGION, Recipients};
use super::test_call::TestCall;
use super::{progress_line, tone};
use crate::access::permission::WorkspacePermission;
use crate::components::badge::Badge;
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::live::LiveIndicator;
use crate::components::pagination::page_in;
use crate::components::stat_card::StatCard;
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
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || u64::from(page_in(&query.read()));
    let campaign = Resource::new(move || (slug(), id()), |(s, i)| get_campaign(s, i));
    let pulse = Resource::new(move || (slug(), id()), |(s, i)| campaign_pulse(s, i));
    let recipients = Resource::new(
        move || (slug(), id(), status(), search(), page()),
        |(s, i, st, q, p)| list_recipients(s, i, st, q, p),
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
                let pulse = pulse.await?;
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
                            pulse
                            recipients
                            status=status()
                            search=search()
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

/// The region of the page the live news renders again, beside the recipients table.
const NOW_REGION: &str = "campaign-now";

#[component]
fn Campaign(
    slug: String,
    can_write: bool,
    detail: CampaignDetail,
    pulse: Pulse,
    recipients: RecipientPage,
    status: String,
    search: String,
) -> impl IntoView {
    let id = detail.id;
    let live = !detail.status.is_over() && detail.status != CampaignStatus::Draft;
    view! {
        <div class="space-y-6" data-testid="campaign-page">
            <div class="flex items-center justify-between gap-3 text-sm">
                <a href=format!("/w/{slug}/campaigns") class="text-muted hover:text-fg">
                    "← Campaigns"
                </a>
                {live
                    .then(|| {
                        view! {
                            <LiveIndicator
                                stream=format!("/w/{slug}/campaigns/{id}/live")
                                events=vec!["campaign".to_owned()]
                                regions=vec![NOW_REGION.to_owned(), RECIPIENTS_REGION.to_owned()]
                            />
                        }
                    })}
            </div>
            <div id=NOW_REGION>
                <Now slug=slug.clone() can_write detail=detail.clone() pulse />
            </div>
            {(can_write && detail.agent_name.is_some() && !detail.status.is_over())
                .then(|| {
                    view! { <TestCall slug=slug.clone() id values=detail.test_values.clone() /> }
                })}
            <Recipients slug id rejected=detail.rejected recipients status search />
        </div>
    }
}

/// Where the campaign stands now: its state and controls, progress, pace and latest calls.
#[component]
fn Now(slug: String, can_write: bool, detail: CampaignDetail, pulse: Pulse) -> impl IntoView {
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
    view! {
        <div class="space-y-6" data-testid="campaign-state" data-status=s.as_str()>
            <div class="flex flex-wrap items-start justify-between gap-4">
                <div>
                    <h1 class="flex items-center gap-3 text-2xl font-bold tracking-tight">
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
                    <p class="text-muted" data-testid="status-counts">
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
            <PulseCards pulse=pulse.clone() status=s />
            <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <StatCard label="Answered" value=p.answered.to_string() />
                <StatCard label="No answer" value=p.no_answer.to_string() />
                <StatCard label="Busy or voicemail" value=(p.busy + p.voicemail).to_string() />
                <StatCard
                    label="Callbacks and do-not-call"
                    value=format!("{} · {}", p.callbacks, p.do_not_call)
                />
            </div>
            <ActivityFeed slug items=pulse.activity />
        </div>
    }
}
