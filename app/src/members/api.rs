//! Member server functions: a workspace's members (read by every role, changed by owners
//! and admins) and the organisation's team (organisation owners and admins).

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{TeamMemberRow, WorkspaceChoice, WorkspaceMemberRow};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::access::guard::{require_partner, require_workspace},
    crate::access::permission::{PartnerPermission, WorkspacePermission},
    crate::state::app_state,
    crate::tenancy::model::{PartnerRole, WorkspaceRole},
};

#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "workspace/members")]
pub async fn workspace_members(slug: String) -> Result<Vec<WorkspaceMemberRow>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::MembersRead).await?;
    let state = app_state()?;
    service::workspace_members(&state.db, &ctx).await
}

#[server(prefix = "/api", endpoint = "workspace/member/role")]
pub async fn change_member_role(
    slug: String,
    member_id: Uuid,
    role: String,
) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::MembersManage).await?;
    let state = app_state()?;
    let role = WorkspaceRole::parse(&role)
        .ok_or_else(|| AppError::invalid("role", "Choose owner, admin, member or viewer."))?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::change_workspace_member(&txn, &ctx, member_id, Some(role)).await?;
    txn.commit().await?;
    crate::components::toast::flash("Role saved.");
    Ok(())
}

#[server(prefix = "/api", endpoint = "workspace/member/remove")]
pub async fn remove_member(slug: String, member_id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::MembersManage).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::change_workspace_member(&txn, &ctx, member_id, None).await?;
    txn.commit().await?;
    crate::components::toast::flash("Removed from the workspace.");
    Ok(())
}

#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/team")]
pub async fn team_members() -> Result<Vec<TeamMemberRow>, AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = app_state()?;
    service::team(&state.db, &ctx).await
}

#[server(prefix = "/api", endpoint = "org/team/role")]
pub async fn change_team_role(member_id: Uuid, role: String) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = app_state()?;
    let role = PartnerRole::parse(&role)
        .ok_or_else(|| AppError::invalid("role", "Choose owner, admin or member."))?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::change_team_member(&txn, &ctx, member_id, Some(role)).await?;
    txn.commit().await?;
    crate::components::toast::flash("Role saved.");
    Ok(())
}

#[server(prefix = "/api", endpoint = "org/team/remove")]
pub async fn remove_team_member(member_id: Uuid) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::change_team_member(&txn, &ctx, member_id, None).await?;
    txn.commit().await?;
    crate::components::toast::flash("Removed from the organisation's team.");
    Ok(())
}

/// The organisation's workspaces, for granting in a team invitation.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/workspaces")]
pub async fn org_workspaces() -> Result<Vec<WorkspaceChoice>, AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = app_state()?;
    Ok(
        crate::access::service::partner_workspaces(&state.db, ctx.user.partner.id)
            .await?
            .into_iter()
            .map(|w| WorkspaceChoice {
                id: w.id,
                name: w.name,
            })
            .collect(),
    )
}
