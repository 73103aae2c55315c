//! The campaign wizard: `/w/{slug}/campaigns/new` (step 1 makes the draft) and
//! `/w/{slug}/campaigns/{id}/edit?step=N`. Each step is a plain form that saves its part,
//! so a draft can be left at any step and resumed from the campaigns list.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::super::api::wizard_data;
use super::super::model::{CampaignStatus, WizardData};
use super::steps::{DetailsStep, RecipientsStep, ReviewStep, ScheduleStep, VariablesStep};
use crate::error::AppError;
use crate::pages::not_found::NotFound;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

pub const STEPS: [&str; 5] = ["Details", "Recipients", "Variables", "Schedule", "Review"];

#[component]
pub fn NewCampaignPage() -> impl IntoView {
    view! { <Wizard editing=false /> }
}

#[component]
pub fn EditCampaignPage() -> impl IntoView {
    view! { <Wizard editing=true /> }
}

/// `editing`: a campaign named by the address (`…/{id}/edit`), else a new one.
#[component]
fn Wizard(editing: bool) -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // An address id that is not one names nothing: the nil id, found nowhere (404).
    let id = move || {
        editing.then(|| {
            params
                .read()
                .get("id")
                .and_then(|i| Uuid::parse_str(&i).ok())
                .unwrap_or_default()
        })
    };
    let data = Resource::new(move || (slug(), id()), |(s, i)| wizard_data(s, i));
    view! {
        <Title text="New campaign" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let data = match data.await {
                    Ok(data) => data,
                    Err(AppError::NotFound(_)) => {
                        return Ok(view! { <NotFound /> }.into_any());
                    }
                    Err(e) => return Err(e),
                };
                let q = query.read();
                let furthest = data.detail.as_ref().map_or(1, |d| d.step.clamp(1, 5));
                let step = q
                    .get("step")
                    .and_then(|s| s.parse::<i32>().ok())
                    .unwrap_or(furthest)
                    .clamp(1, furthest.max(1));
                let import_error = q.get("import_error");
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <Steps
                            slug=overview.workspace.slug.clone()
                            data
                            step
                            furthest
                            import_error
                        />
                    }
                        .into_any(),
                )
            })}
        </Suspense>
    }
}

#[component]
fn Steps(
    slug: String,
    data: WizardData,
    step: i32,
    furthest: i32,
    import_error: Option<String>,
) -> impl IntoView {
    let id = data.detail.as_ref().map(|d| d.id);
    let locked = data
        .detail
        .as_ref()
        .is_some_and(|d| !matches!(d.status, CampaignStatus::Draft | CampaignStatus::Paused));
    let nav = STEPS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let n = i as i32 + 1;
            let text = format!("{n}. {label}");
            let current = n == step;
            match id {
                Some(id) if n <= furthest && !current => view! {
                    <li>
                        <a
                            href=format!("/w/{slug}/campaigns/{id}/edit?step={n}")
                            class="text-brand-ink hover:underline"
                        >
                            {text}
                        </a>
                    </li>
                }
                .into_any(),
                _ => view! {
                    <li
                        aria-current=current.then_some("step")
                        class=if current { "font-semibold text-fg" } else { "text-muted" }
                    >
                        {text}
                    </li>
                }
                .into_any(),
            }
        })
        .collect_view();
    let title = data
        .detail
        .as_ref()
        .map_or_else(|| "New campaign".to_owned(), |d| d.settings.name.clone());
    let body = if locked {
        view! { <p class="text-sm text-muted">"This campaign is under way; pause it to change it."</p> }
        .into_any()
    } else {
        match (step, id) {
            (2, Some(id)) => {
                let detail = data.detail.clone();
                view! { <RecipientsStep slug=slug.clone() id detail=detail data=data.clone() error=import_error /> }
                    .into_any()
            }
            (3, Some(id)) => {
                view! { <VariablesStep slug=slug.clone() id data=data.clone() /> }.into_any()
            }
            (4, Some(id)) => {
                view! { <ScheduleStep slug=slug.clone() id data=data.clone() /> }.into_any()
            }
            (5, Some(id)) => {
                view! { <ReviewStep slug=slug.clone() id data=data.clone() /> }.into_any()
            }
            _ => view! { <DetailsStep slug=slug.clone() data=data.clone() /> }.into_any(),
        }
    };
    view! {
        <div class="mx-auto max-w-3xl space-y-6" data-testid="campaign-wizard" data-step=step>
            <div>
                <p class="text-sm">
                    <a href=format!("/w/{slug}/campaigns") class="text-muted hover:text-fg">
                        "← Campaigns"
                    </a>
                </p>
                <h1 class="mt-1 text-2xl font-bold tracking-tight">{title}</h1>
            </div>
            <nav aria-label="Steps">
                <ol class="flex flex-wrap gap-4 text-sm">{nav}</ol>
            </nav>
            {body}
        </div>
    }
}
