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
    super::model::{NewWorkspace, WorkspaceRole, WorkspaceSummary},
    super::service,
    crate::access::context::{PartnerCtx, WorkspaceCtx},
    crate::access::guard::{require_partner, require_workspace},
    crate::access::permission::{PartnerPermission, WorkspacePermission},
    crate::db::entity::workspace,
    crate::state::{app_state, current_partner},
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
    Ok(workspace_overview(&ctx))
}

/// Creates a workspace in the host's partner (partner owners and admins); the creator
/// owns it. Returns its slug; the browser goes on to the new workspace.
#[server(prefix = "/api", endpoint = "tenancy/create-workspace")]
pub async fn create_workspace(name: String, description: String) -> Result<String, AppError> {
    let ctx = require_partner(PartnerPermission::WorkspacesCreate).await?;
    let state = app_state()?;
    let input = NewWorkspace::parse(&name, &description)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let ws = create_workspace_for(&txn, &ctx, &input).await?;
    txn.commit().await?;
    leptos_axum::redirect(&format!("/w/{}", ws.slug));
    Ok(ws.slug)
}

/// Saves the workspace's name, description and time zone (its owners and admins).
#[server(prefix = "/api", endpoint = "workspace/update")]
pub async fn update_workspace(
    slug: String,
    name: String,
    description: String,
    time_zone: String,
) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::SettingsUpdate).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::update_workspace(&txn, &ctx, &name, &description, &time_zone).await?;
    txn.commit().await?;
    crate::components::toast::flash("Workspace settings saved.");
    Ok(())
}

/// What the dashboard and shell show about the workspace in `ctx`.
#[cfg(feature = "ssr")]
fn workspace_overview(ctx: &WorkspaceCtx) -> WorkspaceOverview {
    let ws = &ctx.workspace;
    let partner_role = ctx.user.partner_role;
    WorkspaceOverview {
        workspace: summary(ws),
        role: ctx.role,
        partner_admin_access: ctx.partner_admin_access,
        partner_role,
        per_minute_rate_cents: ws.per_minute_rate_cents,
        is_billing_exempt: ws.is_billing_exempt,
        // The wallet came with the access check: no query of its own.
        credits: crate::billing::service::credits_of(ws, ctx.wallet),
        created_at: ws.created_at,
        time_zone: service::time_zone_of(ws),
    }
}

/// Creates a workspace in the partner of `ctx` with a unique slug; its creator owns it.
#[cfg(feature = "ssr")]
async fn create_workspace_for<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    input: &NewWorkspace,
) -> Result<workspace::Model, AppError> {
    let partner = &ctx.user.partner;
    service::ensure_room_for_workspace(db, partner).await?;
    let slug = service::unique_workspace_slug(db, partner.id, &input.name).await?;
    let ws = service::create_workspace(
        db,
        partner.id,
        &input.name,
        &slug,
        input.description.as_deref(),
    )
    .await?;
    service::add_workspace_member(db, ws.id, ctx.user.user_id(), WorkspaceRole::Owner).await?;
    crate::integrations::assign::assign_defaults(db, partner.id, ws.id).await?;
    crate::audit::record(
        db,
        crate::audit::Entry {
            partner_id: Some(partner.id),
            workspace_id: Some(ws.id),
            user_id: Some(ctx.user.user_id()),
            action: "workspace.created",
            entity_type: "workspace",
            entity_id: Some(ws.id.to_string()),
            new_values: Some(serde_json::json!({"name": ws.name, "slug": ws.slug})),
            ..Default::default()
        },
        &ctx.user.meta,
    )
    .await?;
    Ok(ws)
}

#[cfg(feature = "ssr")]
fn summary(w: &workspace::Model) -> WorkspaceSummary {
    WorkspaceSummary {
        id: w.id,
        name: w.name.clone(),
        slug: w.slug.clone(),
        description: w.description.clone(),
    }
}
