//! Call server functions: the calls table (filters, search, totals) and one call.

use leptos::prelude::*;
use server_fn::codec::GetUrl;
use uuid::Uuid;

use super::filter::CallFilter;
#[cfg(feature = "ssr")]
use super::model::SearchedWith;
use super::model::{CallDetail, CallPage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::access::guard::require_workspace, crate::access::permission::WorkspacePermission,
    crate::integrations::model::AgentProvider, crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "calls/list")]
pub async fn list_calls(
    slug: String,
    #[server(default)] filter: CallFilter,
    #[server(default)] page: u32,
) -> Result<CallPage, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::ConversationsRead).await?;
    let state = &app_state()?;
    let mut query = filter.check()?;
    if query.terms.is_empty() {
        // A list without a search: whether Algolia is set up is read beside the page.
        let (algolia, mut page) = tokio::try_join!(
            super::algolia::is_configured(state, ctx.id()),
            super::list::page(&state.db, ctx.id(), &query, page)
        )?;
        page.algolia = algolia;
        return Ok(page);
    }
    let algolia = super::algolia::is_configured(state, ctx.id()).await?;
    // Algolia first when the workspace has it; the built-in search when it fails. Only a
    // search talks to Algolia: listing never waits on it.
    let mut searched_with = Some(SearchedWith::BuiltIn);
    let index = if algolia {
        super::algolia::index_for(state, ctx.id()).await
    } else {
        Ok(None)
    };
    match &index {
        Ok(Some(index)) => match index.search(ctx.id(), &query.terms.join(" ")).await {
            // Nothing found there (an index not yet synced, say): the built-in search
            // looks too.
            Ok((ids, _)) if ids.is_empty() => {}
            Ok((ids, _)) => {
                query.matched = Some(ids);
                searched_with = Some(SearchedWith::Algolia);
            }
            Err(e) => searched_with = Some(SearchedWith::BuiltInInsteadOfAlgolia(e.to_string())),
        },
        Ok(None) => {}
        Err(e) => searched_with = Some(SearchedWith::BuiltInInsteadOfAlgolia(e.to_string())),
    }
    let mut page = super::list::page(&state.db, ctx.id(), &query, page).await?;
    page.searched_with = searched_with;
    page.algolia = algolia;
    Ok(page)
}

/// Replaces the workspace's records in Algolia with every call it has (admins).
#[server(prefix = "/api", endpoint = "calls/algolia-resync")]
pub async fn resync_algolia(slug: String) -> Result<u64, AppError> {
    let ctx = crate::access::guard::require_workspace_unmetered(
        &slug,
        WorkspacePermission::IntegrationsManage,
    )
    .await?;
    let state = app_state()?;
    let sent = super::algolia::resync(&state, ctx.id()).await?;
    crate::components::toast::flash(&format!("{sent} calls sent to Algolia."));
    Ok(sent)
}

/// Removes the workspace's records from Algolia (admins); search falls back to the
/// built-in index until they are resynced.
#[server(prefix = "/api", endpoint = "calls/algolia-clear")]
pub async fn clear_algolia(slug: String) -> Result<(), AppError> {
    let ctx = crate::access::guard::require_workspace_unmetered(
        &slug,
        WorkspacePermission::IntegrationsManage,
    )
    .await?;
    let state = app_state()?;
    super::algolia::clear(&state, ctx.id()).await?;
    crate::components::toast::flash("This workspace's calls were removed from Algolia.");
    Ok(())
}

#[server(input = GetUrl, prefix = "/api", endpoint = "calls/get")]
pub async fn get_call(slug: String, id: Uuid) -> Result<CallDetail, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::ConversationsRead).await?;
    let state = app_state()?;
    let mut detail = super::list::detail(&state.db, ctx.id(), id).await?;
    // Sandbox calls are recorded here, from their transcript.
    if detail.row.provider == AgentProvider::Sandbox
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
    let ctx = crate::access::guard::require_workspace_unmetered(
        &slug,
        WorkspacePermission::ConversationsCreate,
    )
    .await?;
    let state = app_state()?;
    let sweep = super::poll::sweep(&state, Some(ctx.id()), chrono::Utc::now()).await?;
    crate::components::toast::flash(&match (sweep.asked, sweep.updated + sweep.given_up) {
        (0, _) => "No call is waiting for its end: nothing to check.".to_owned(),
        (asked, updated) => format!("Checked {asked} calls with the providers; {updated} updated."),
    });
    Ok(super::model::SweepSummary {
        asked: sweep.asked,
        updated: sweep.updated + sweep.given_up,
        errors: sweep.errors,
    })
}
