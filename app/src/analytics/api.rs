//! Dashboard and analytics server functions.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use super::model::{Analytics, Dashboard};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::access::guard::require_workspace, crate::access::permission::WorkspacePermission,
    crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "analytics/dashboard")]
pub async fn workspace_dashboard(slug: String, days: u32) -> Result<Dashboard, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::DashboardRead).await?;
    let state = app_state()?;
    let days = super::model::window_days(days, 7);
    super::service::dashboard(&state.db, &ctx.workspace, days).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "analytics/report")]
pub async fn workspace_analytics(
    slug: String,
    days: u32,
    #[server(default)] agent: String,
) -> Result<Analytics, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AnalyticsRead).await?;
    let state = app_state()?;
    let days = super::model::window_days(days, 30);
    let agent_id =
        match agent.trim() {
            "" => None,
            text => Some(uuid::Uuid::parse_str(text).map_err(|_| {
                AppError::invalid("agent", "That is not an agent of this workspace.")
            })?),
        };
    super::service::analytics(&state.db, ctx.id(), days, agent_id).await
}
