//! Tenancy server functions: the host's brand, the viewer's workspaces, one workspace's
//! overview, and creating a workspace.
//!
//! These read only the partner the request's host resolved to, so one partner's host never
//! answers with another partner's data.

use leptos::prelude::*;

use super::model::{PartnerBrand, WorkspaceOverview};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::NewWorkspace,
    super::service,
    crate::access::context::{require_partner, require_workspace},
    crate::access::permission::{PartnerPermission, WorkspacePermission},
    crate::state::current_partner,
};

/// The brand of the partner serving this host.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "tenancy/brand")]
pub async fn get_brand() -> Result<PartnerBrand, AppError> {
    let partner = current_partner()?;
    Ok(service::brand(&partner.0))
}

/// One workspace the viewer can open, with their role; 404 for any other.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "tenancy/workspace")]
pub async fn get_workspace_overview(slug: String) -> Result<WorkspaceOverview, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::Read).await?;
    service::workspace_overview(&ctx).await
}

/// Creates a workspace in the host's partner (partner owners and admins); the creator
/// owns it. Returns its slug; the browser goes on to the new workspace.
#[server(prefix = "/api", endpoint = "tenancy/create-workspace")]
pub async fn create_workspace(name: String, description: String) -> Result<String, AppError> {
    let ctx = require_partner(PartnerPermission::WorkspacesCreate).await?;
    let input = NewWorkspace::parse(&name, &description)?;
    let txn = crate::db::begin_write(&ctx.user.state.db).await?;
    let ws = service::create_workspace_for(&txn, &ctx, &input).await?;
    txn.commit().await?;
    leptos_axum::redirect(&format!("/w/{}", ws.slug));
    Ok(ws.slug)
}
