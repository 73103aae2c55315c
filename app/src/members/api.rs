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

#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/team")]
pub async fn team_members() -> Result<Vec<TeamMemberRow>, AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let state = app_state()?;
    service::team(&state.db, &ctx).await
}

/// Changes a member's role: in the workspace `slug` names (its owners and admins), or on
/// the organisation's team when there is no `slug` (organisation owners and admins).
#[server(prefix = "/api", endpoint = "member/role")]
pub async fn change_role(
    member_id: Uuid,
    role: String,
    slug: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    match slug {
        Some(slug) => {
            let ctx = require_workspace(&slug, WorkspacePermission::MembersManage).await?;
            let role = WorkspaceRole::parse(&role).ok_or_else(|| {
                AppError::invalid("role", "Choose owner, admin, member or viewer.")
            })?;
            let txn = crate::db::begin_write(&state.db).await?;
            service::change_workspace_member(&txn, &ctx, member_id, Some(role)).await?;
            txn.commit().await?;
        }
        None => {
            let ctx = require_partner(PartnerPermission::MembersManage).await?;
            let role = PartnerRole::parse(&role)
                .ok_or_else(|| AppError::invalid("role", "Choose owner, admin or member."))?;
            let txn = crate::db::begin_write(&state.db).await?;
            service::change_team_member(&txn, &ctx, member_id, Some(role)).await?;
            txn.commit().await?;
        }
    }
    crate::components::toast::flash("Role saved.");
    Ok(())
}

/// Removes a member: from the workspace `slug` names, or without `slug` from the
/// organisation's team and with it from every workspace of the organisation. Who may is
/// as for [`change_role`].
#[server(prefix = "/api", endpoint = "member/remove")]
pub async fn remove_member(member_id: Uuid, slug: Option<String>) -> Result<(), AppError> {
    let state = app_state()?;
    let done = match slug {
        Some(slug) => {
            let ctx = require_workspace(&slug, WorkspacePermission::MembersManage).await?;
            let txn = crate::db::begin_write(&state.db).await?;
            service::change_workspace_member(&txn, &ctx, member_id, None).await?;
            txn.commit().await?;
            "Removed from the workspace."
        }
        None => {
            let ctx = require_partner(PartnerPermission::MembersManage).await?;
            let txn = crate::db::begin_write(&state.db).await?;
            service::change_team_member(&txn, &ctx, member_id, None).await?;
            txn.commit().await?;
            "Removed from the organisation's team."
        }
    };
    crate::components::toast::flash(done);
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
