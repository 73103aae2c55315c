//! Call server functions: the calls table (filters, search, totals) and one call.

use leptos::prelude::*;
use server_fn::codec::GetUrl;
use uuid::Uuid;

use super::model::{CallDetail, CallFilter, CallPage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {crate::access::context::require_workspace, crate::access::permission::WorkspacePermission};

#[server(input = GetUrl, prefix = "/api", endpoint = "calls/list")]
pub async fn list_calls(
    slug: String,
    #[server(default)] filter: CallFilter,
    #[server(default)] page: u32,
) -> Result<CallPage, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::ConversationsRead).await?;
    let query = filter.check()?;
    super::list::page(&ctx.user.state.db, ctx.id(), &query, page).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "calls/get")]
pub async fn get_call(slug: String, id: Uuid) -> Result<CallDetail, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::ConversationsRead).await?;
    let mut detail = super::list::detail(&ctx.user.state.db, ctx.id(), id).await?;
    // Sandbox calls are recorded here, from their transcript.
    if detail.row.provider == "sandbox"
        && detail.recording_url.is_none()
        && !detail.transcript.is_empty()
    {
        detail.recording_url = Some(super::recording::url(&slug, id));
    }
    Ok(detail)
}

/// Asks the providers now about this workspace's calls that are not over and have been
/// quiet (the periodic pass does the same for every workspace each minute).
#[server(prefix = "/api", endpoint = "calls/refresh")]
pub async fn refresh_calls(slug: String) -> Result<super::model::SweepSummary, AppError> {
    // Recording what providers report is never refused by the paywall.
    let ctx = crate::access::context::require_workspace_unmetered(
        &slug,
        WorkspacePermission::ConversationsCreate,
    )
    .await?;
    let sweep = super::poll::sweep(&ctx.user.state, Some(ctx.id()), chrono::Utc::now()).await?;
    Ok(super::model::SweepSummary {
        asked: sweep.asked,
        updated: sweep.updated + sweep.given_up,
        errors: sweep.errors,
    })
}
