//! Campaign server functions: every role reads; members build, launch, pause, resume and
//! cancel; numbers go onto the do-not-call list by any member and come off it only by an
//! admin. Stopping calls (pause, cancel, do-not-call) is never refused for want of credit. Lists of recipients arrive by `import::handler` (a CSV streamed as the body).

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};
use uuid::Uuid;

use super::model::{
    CampaignDetail, CampaignSettings, CampaignStatus, CampaignSummary, LaunchPreview,
};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::access::guard::{require_workspace, require_workspace_unmetered},
    crate::access::permission::WorkspacePermission,
    crate::components::toast::flash,
    crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "campaigns/list")]
pub async fn list_campaigns(slug: String) -> Result<Vec<CampaignSummary>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsRead).await?;
    let state = app_state()?;
    service::summaries(&state.db, &ctx).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "campaigns/get")]
pub async fn get_campaign(slug: String, id: Uuid) -> Result<CampaignDetail, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsRead).await?;
    let state = app_state()?;
    let mut detail = service::detail(&state.db, &ctx, id).await?;
    let row = service::find(&state.db, &ctx, id).await?;
    detail.test_values = test_call::form_values(&state.db, &ctx, &row).await?;
    Ok(detail)
}

#[server(input = Json, prefix = "/api", endpoint = "campaigns/create")]
pub async fn create_campaign(slug: String, settings: CampaignSettings) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    service::create(&state.db, &ctx, &settings).await
}

#[server(input = Json, prefix = "/api", endpoint = "campaigns/save")]
pub async fn save_campaign(
    slug: String,
    id: Uuid,
    settings: CampaignSettings,
    step: Option<i32>,
) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    service::save(&state.db, &ctx, id, &settings, step).await
}

#[server(prefix = "/api", endpoint = "campaigns/add-recipient")]
pub async fn add_recipient(
    slug: String,
    id: Uuid,
    phone: String,
    name: String,
) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    service::add_one(&state.db, &ctx, id, &phone, &name).await?;
    flash("Added to the list.");
    leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}/edit?step=2"));
    Ok(())
}

#[server(input = GetUrl, prefix = "/api", endpoint = "campaigns/preview")]
pub async fn preview_launch(slug: String, id: Uuid) -> Result<LaunchPreview, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsRead).await?;
    let state = app_state()?;
    service::preview(&state, &ctx, id).await
}

#[server(prefix = "/api", endpoint = "campaigns/launch")]
pub async fn launch_campaign(slug: String, id: Uuid) -> Result<CampaignStatus, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    let caller_id = service::caller_id_problem(&state, &ctx, id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let status = service::launch(&txn, &ctx, id, caller_id).await?;
    txn.commit().await?;
    moved(&state, &ctx, id).await;
    flash(match status {
        CampaignStatus::Scheduled => "Launched: it starts by itself at its start time.",
        _ => "Launched: calling whoever is inside their calling hours now.",
    });
    leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}"));
    Ok(status)
}

/// Tells the campaign's open pages it moved (best effort: the change stands regardless).
#[cfg(feature = "ssr")]
async fn moved(
    state: &crate::state::AppState,
    ctx: &crate::access::context::WorkspaceCtx,
    id: Uuid,
) {
    let told = super::news::announce(&state.db, &state.live, ctx.id(), id).await;
    if let Err(e) = told {
        tracing::warn!(error = %e, "could not announce a campaign's progress");
    }
}

#[server(prefix = "/api", endpoint = "campaigns/pause")]
pub async fn pause_campaign(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace_unmetered(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    service::pause(&state.db, &ctx, id).await?;
    moved(&state, &ctx, id).await;
    flash("Paused: no new calls; calls under way finish.");
    leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "campaigns/resume")]
pub async fn resume_campaign(slug: String, id: Uuid) -> Result<CampaignStatus, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let status = service::resume(&txn, &ctx, id).await?;
    txn.commit().await?;
    moved(&state, &ctx, id).await;
    flash("Resumed.");
    leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}"));
    Ok(status)
}

#[server(prefix = "/api", endpoint = "campaigns/cancel")]
pub async fn cancel_campaign(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace_unmetered(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::cancel(&txn, &ctx, id).await?;
    txn.commit().await?;
    moved(&state, &ctx, id).await;
    flash("Cancelled: nobody else on the list will be called.");
    leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}"));
    Ok(())
}

/// Has the campaign's agent call one number with chosen values; nobody on the list is
/// touched. A Sandbox call opens on its call page; a provider's is announced.
#[server(prefix = "/api", endpoint = "campaigns/test-call")]
pub async fn test_campaign_call(
    slug: String,
    id: Uuid,
    number: String,
    #[server(default)] name: String,
    #[server(default)] values: Vec<super::model::TestValue>,
) -> Result<(), AppError> {
    use crate::agents::model::CallMeOutcome;
    use crate::auth::rate_limit;
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    rate_limit::take_both(
        &state.db,
        (rate_limit::CALL_ME_PER_USER, &ctx.user_id().to_string()),
        (rate_limit::CALL_ME_PER_WORKSPACE, &ctx.id().to_string()),
    )
    .await?;
    let chosen = values.into_iter().map(|v| (v.name, v.value)).collect();
    let outcome = test_call::place(&state, &ctx, id, &number, &name, chosen).await?;
    match outcome {
        CallMeOutcome::Simulated {
            conversation_id,
            to,
            ..
        } => {
            flash(&format!(
                "Test call to {to}, simulated by the Sandbox: here is how it went."
            ));
            leptos_axum::redirect(&format!("/w/{slug}/calls/{conversation_id}"));
        }
        CallMeOutcome::Placed { from, to, .. } => {
            flash(&format!(
                "Calling {to} from {from}. The test call appears on the Calls page when it ends."
            ));
            leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}#test-call"));
        }
    }
    Ok(())
}

mod dnc;
#[cfg(feature = "ssr")]
pub mod dnc_files;
pub use dnc::*;
mod steps;
#[cfg(feature = "ssr")]
pub mod test_call;
pub use steps::*;

#[server(input = GetUrl, prefix = "/api", endpoint = "campaigns/recipients")]
pub async fn list_recipients(
    slug: String,
    id: Uuid,
    status: String,
    search: String,
    page: u64,
) -> Result<super::model::RecipientPage, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsRead).await?;
    let state = app_state()?;
    let status = match status.trim() {
        "" => None,
        text => Some(super::model::RecipientStatus::parse(text).ok_or_else(|| {
            AppError::invalid("status", format!("\"{text}\" is not a recipient status."))
        })?),
    };
    if search.chars().count() > 100 {
        return Err(AppError::invalid(
            "search",
            "Search for at most 100 characters of a name or number.",
        ));
    }
    service::recipient_page(&state.db, &ctx, id, status, &search, page.max(1)).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "campaigns/pulse")]
pub async fn campaign_pulse(slug: String, id: Uuid) -> Result<super::model::Pulse, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsRead).await?;
    let state = app_state()?;
    super::pulse::pulse(&state.db, &ctx, id, chrono::Utc::now()).await
}
