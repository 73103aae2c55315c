//! Do-not-call server functions: the workspace's list (every role reads; members add;
//! admins remove) and the organisation's, which applies to all its workspaces (its owners
//! and admins manage it on `/org/do-not-call`). Adding is never refused for want of
//! credit. Files come in through `dnc_files` (plain routes).

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use super::super::model::DncList;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::super::dnc,
    crate::access::guard::{require_partner, require_workspace, require_workspace_unmetered},
    crate::access::permission::{PartnerPermission, WorkspacePermission},
    crate::components::toast::flash,
    crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "dnc/list")]
pub async fn list_do_not_call(slug: String) -> Result<DncList, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsRead).await?;
    let state = app_state()?;
    let shown = Some(super::super::model::DNC_SHOWN);
    dnc::entries_for(&state.db, &ctx, shown).await
}

#[cfg(feature = "ssr")]
fn added_message(added: bool) -> &'static str {
    if added {
        "Added to the do-not-call list: it will not be called."
    } else {
        "That number was already on the do-not-call list."
    }
}

#[server(prefix = "/api", endpoint = "dnc/add")]
pub async fn add_do_not_call(
    slug: String,
    phone: String,
    reason: String,
) -> Result<bool, AppError> {
    let ctx = require_workspace_unmetered(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    let list = dnc::List::of_workspace(&ctx);
    let added = dnc::add_typed(&state.db, list, &phone, &reason, ctx.user_id()).await?;
    flash(added_message(added));
    leptos_axum::redirect(&format!("/w/{slug}/campaigns#do-not-call"));
    Ok(added)
}

#[server(prefix = "/api", endpoint = "dnc/remove")]
pub async fn remove_do_not_call(slug: String, phone: String) -> Result<bool, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::DoNotCallRemove).await?;
    let state = app_state()?;
    let removed = dnc::remove_typed(&state.db, dnc::List::of_workspace(&ctx), &phone).await?;
    flash(if removed {
        "Taken off the do-not-call list."
    } else {
        "That number was not on this workspace's list."
    });
    leptos_axum::redirect(&format!("/w/{slug}/campaigns#do-not-call"));
    Ok(removed)
}

/// The organisation's own list, newest first.
#[server(input = GetUrl, prefix = "/api", endpoint = "dnc/org-list")]
pub async fn list_org_do_not_call() -> Result<DncList, AppError> {
    let ctx = require_partner(PartnerPermission::DoNotCallManage).await?;
    let state = app_state()?;
    let shown = Some(super::super::model::DNC_SHOWN);
    dnc::org_entries(&state.db, ctx.user.partner.id, shown).await
}

#[server(prefix = "/api", endpoint = "dnc/org-add")]
pub async fn add_org_do_not_call(phone: String, reason: String) -> Result<bool, AppError> {
    let ctx = require_partner(PartnerPermission::DoNotCallManage).await?;
    let state = app_state()?;
    let list = dnc::List::of_organisation(&ctx);
    let added = dnc::add_typed(&state.db, list, &phone, &reason, ctx.user.user.id).await?;
    flash(added_message(added));
    leptos_axum::redirect("/org/do-not-call");
    Ok(added)
}

#[server(prefix = "/api", endpoint = "dnc/org-remove")]
pub async fn remove_org_do_not_call(phone: String) -> Result<bool, AppError> {
    let ctx = require_partner(PartnerPermission::DoNotCallManage).await?;
    let state = app_state()?;
    let list = dnc::List::of_organisation(&ctx);
    let removed = dnc::remove_typed(&state.db, list, &phone).await?;
    flash(if removed {
        "Taken off the organisation's do-not-call list."
    } else {
        "That number was not on the organisation's list."
    });
    leptos_axum::redirect("/org/do-not-call");
    Ok(removed)
}
