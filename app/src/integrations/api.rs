//! Integration server functions, for organisation owners and admins: list, add (the key is
//! checked with the provider first), make default, remove, and assign to a workspace.

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{IntegrationSummary, WorkspaceAssignments};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::assign,
    super::model::Provider,
    super::service::{self, NewIntegration},
    crate::access::context::PartnerCtx,
    crate::access::guard::require_partner,
    crate::access::permission::PartnerPermission,
    crate::state::app_state,
};

#[cfg(feature = "ssr")]
async fn admin() -> Result<PartnerCtx, AppError> {
    require_partner(PartnerPermission::IntegrationsManage).await
}

#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/integrations")]
pub async fn list_integrations() -> Result<Vec<IntegrationSummary>, AppError> {
    let ctx = admin().await?;
    let state = app_state()?;
    service::list(&state.db, ctx.user.partner.id).await
}

/// Adds an integration once its provider accepts the key.
#[server(prefix = "/api", endpoint = "org/integrations/create")]
pub async fn create_integration(
    provider: String,
    name: String,
    secret_key: String,
    public_key: String,
    app_id: String,
    is_default: Option<String>,
    outbound_number: Option<String>,
) -> Result<IntegrationSummary, AppError> {
    let ctx = admin().await?;
    let state = &app_state()?;
    let new = NewIntegration {
        provider: &provider,
        name: &name,
        secret_key: &secret_key,
        public_key: &public_key,
        app_id: &app_id,
        outbound_number: outbound_number.as_deref().unwrap_or_default(),
        is_default: is_default.is_some_and(|v| v == "true" || v == "on"),
    };
    // Check the form first, then the key with the provider, then save.
    service::validate(&new)?;
    if let Some(provider) = Provider::parse(&provider) {
        service::verify_key(&state.config.providers, provider, &secret_key, &app_id).await?;
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let created = service::create(
        &txn,
        &state.vault,
        ctx.user.partner.id,
        Some(ctx.user.user_id()),
        new,
    )
    .await?;
    if created.provider == Provider::Algolia {
        let reindex = crate::calls::algolia::Reindex {
            partner_id: ctx.user.partner.id,
            workspace_id: None,
        };
        crate::jobs::enqueue(&txn, &reindex).await?;
    }
    txn.commit().await?;
    crate::components::toast::flash(&format!("{} connected.", created.name));
    Ok(created)
}

#[server(prefix = "/api", endpoint = "org/integrations/default")]
pub async fn make_default_integration(id: Uuid) -> Result<(), AppError> {
    let ctx = admin().await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::set_default(&txn, ctx.user.partner.id, id).await?;
    txn.commit().await?;
    crate::components::toast::flash("Default integration changed: new workspaces use it.");
    Ok(())
}

#[server(prefix = "/api", endpoint = "org/integrations/delete")]
pub async fn delete_integration(id: Uuid) -> Result<(), AppError> {
    let ctx = admin().await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::delete(&txn, ctx.user.partner.id, id).await?;
    txn.commit().await?;
    crate::components::toast::flash("Integration removed.");
    Ok(())
}

#[server(prefix = "/api", endpoint = "org/integrations/assign")]
pub async fn assign_integration(workspace_id: Uuid, integration_id: Uuid) -> Result<(), AppError> {
    let ctx = admin().await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let provider = assign::assign(
        &txn,
        ctx.user.partner.id,
        workspace_id,
        integration_id,
        Some(ctx.user.user_id()),
    )
    .await?;
    // A workspace that now uses Algolia gets its calls there.
    if provider == Provider::Algolia {
        let reindex = crate::calls::algolia::Reindex {
            partner_id: ctx.user.partner.id,
            workspace_id: Some(workspace_id),
        };
        crate::jobs::enqueue(&txn, &reindex).await?;
    }
    txn.commit().await?;
    crate::components::toast::flash("Saved: the workspace uses this integration now.");
    Ok(())
}

/// Which integration each workspace of the organisation uses.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/integrations/assignments")]
pub async fn integration_assignments() -> Result<Vec<WorkspaceAssignments>, AppError> {
    let ctx = admin().await?;
    let state = app_state()?;
    assign::assignments(&state.db, ctx.user.partner.id).await
}

/// Renames an integration and sets or clears its shared outbound number and its limit of
/// calls at once.
#[server(prefix = "/api", endpoint = "org/integrations/update")]
pub async fn update_integration(
    id: Uuid,
    name: String,
    outbound_number: String,
    #[server(default)] calls_at_once: String,
) -> Result<IntegrationSummary, AppError> {
    let ctx = admin().await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let partner_id = ctx.user.partner.id;
    let updated = service::update(
        &txn,
        partner_id,
        id,
        &name,
        &outbound_number,
        &calls_at_once,
    )
    .await?;
    txn.commit().await?;
    crate::components::toast::flash(&format!("{} saved.", updated.name));
    Ok(updated)
}
