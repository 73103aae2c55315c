//! Tenancy server functions: the host's brand, its workspaces, one workspace's overview.
//!
//! These read only the partner the request's host resolved to, so one partner's host never
//! answers with another partner's data.

use leptos::prelude::*;

use super::model::{PartnerBrand, WorkspaceOverview, WorkspaceSummary};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::state::{app_state, current_partner},
};

/// The brand of the partner serving this host.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "tenancy/brand")]
pub async fn get_brand() -> Result<PartnerBrand, AppError> {
    let partner = current_partner()?;
    Ok(service::brand(&partner.0))
}

/// The live workspaces of the partner serving this host, for the workspace switcher.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "tenancy/workspaces")]
pub async fn list_workspaces() -> Result<Vec<WorkspaceSummary>, AppError> {
    let state = app_state()?;
    let partner = current_partner()?;
    Ok(service::list_workspaces(&state.db, partner.0.id).await?)
}

/// One workspace of the partner serving this host; 404 for any other partner's slug.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "tenancy/workspace")]
pub async fn get_workspace_overview(slug: String) -> Result<WorkspaceOverview, AppError> {
    let state = app_state()?;
    let partner = current_partner()?;
    service::workspace_overview(&state.db, partner.0.id, &slug)
        .await?
        .ok_or_else(|| AppError::not_found("Workspace"))
}
