//! Workspace-variable server functions: every role reads them (they appear in the prompt
//! editor); owners and admins change them on the settings page.

use leptos::prelude::*;
use server_fn::codec::GetUrl;
use uuid::Uuid;

use super::model::WorkspaceVariable;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{Variable, VariableCategory},
    super::service,
    crate::access::guard::require_workspace,
    crate::access::permission::WorkspacePermission,
    crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "variables/list")]
pub async fn list_variables(slug: String) -> Result<Vec<WorkspaceVariable>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsRead).await?;
    let state = app_state()?;
    service::list(&state.db, &ctx).await
}

/// Adds (`id` empty) or changes a variable; the browser goes back to the settings page.
/// `is_required` is a checkbox: present ("true" or "on") when ticked.
#[server(prefix = "/api", endpoint = "variables/save")]
pub async fn save_variable(
    slug: String,
    id: Option<Uuid>,
    name: String,
    description: String,
    default_value: String,
    category: String,
    is_required: Option<String>,
) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsUpdate).await?;
    let state = app_state()?;
    let category = VariableCategory::parse(&category)
        .ok_or_else(|| AppError::invalid("category", "Choose a category."))?;
    let variable = Variable {
        name,
        description,
        default_value,
        is_required: is_required.is_some_and(|v| v == "true" || v == "on"),
        category,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let id = service::save(&txn, &ctx, id, &variable).await?;
    txn.commit().await?;
    crate::components::toast::flash(&format!("{{{{{}}}}} saved.", variable.name.trim()));
    leptos_axum::redirect(&format!("/w/{slug}/settings"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "variables/delete")]
pub async fn delete_variable(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsUpdate).await?;
    let state = app_state()?;
    service::delete(&state.db, &ctx, id).await?;
    crate::components::toast::flash("Variable deleted.");
    Ok(())
}
