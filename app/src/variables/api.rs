//! Workspace-variable server functions: every role reads them (they appear in the prompt
//! editor); owners and admins change them on the settings page.

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};
use uuid::Uuid;

use super::model::{Variable, WorkspaceVariable};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service, crate::access::context::require_workspace,
    crate::access::permission::WorkspacePermission,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "variables/list")]
pub async fn list_variables(slug: String) -> Result<Vec<WorkspaceVariable>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsRead).await?;
    service::list(&ctx.user.state.db, &ctx).await
}

/// Adds (`id` empty) or changes a variable.
#[server(input = Json, prefix = "/api", endpoint = "variables/save")]
pub async fn save_variable(
    slug: String,
    id: Option<Uuid>,
    variable: Variable,
) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsUpdate).await?;
    let txn = crate::db::begin_write(&ctx.user.state.db).await?;
    let id = service::save(&txn, &ctx, id, &variable).await?;
    txn.commit().await?;
    Ok(id)
}

#[server(prefix = "/api", endpoint = "variables/delete")]
pub async fn delete_variable(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsUpdate).await?;
    service::delete(&ctx.user.state.db, &ctx, id).await
}
