//! Listing members, changing roles and removing people, for a workspace and for the
//! organisation's team. Removal is soft (the row keeps who removed whom and when).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{TeamMemberRow, WorkspaceMemberRow};
use crate::access::context::{PartnerCtx, WorkspaceCtx};
use crate::access::permission::{RoleChange, check_role_change};
use crate::audit;
use crate::db::entity::{partner_member, user, workspace, workspace_member};
use crate::error::AppError;
use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// The live members of the workspace in `ctx`, owners first, then by name.
pub async fn workspace_members<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
) -> Result<Vec<WorkspaceMemberRow>, AppError> {
    let rows = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.eq(ctx.id()))
        .filter(workspace_member::Column::RemovedAt.is_null())
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    let mut list = Vec::with_capacity(rows.len());
    for (m, u) in rows {
        let Some(u) = u else {
            continue;
        };
        list.push(WorkspaceMemberRow {
            member_id: m.id,
            user_id: u.id,
            name: u.display_name(),
            email: u.email,
            role: m.role,
            joined_at: m.joined_at,
            is_you: m.user_id == ctx.user_id(),
        });
    }
    list.sort_by(|a, b| {
        b.role
            .cmp(&a.role)
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(list)
}

/// Changes a workspace member's role (`to: Some`) or removes them (`to: None`).
pub async fn change_workspace_member<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    member_id: Uuid,
    to: Option<WorkspaceRole>,
) -> Result<(), AppError> {
    let member = workspace_member::Entity::find_by_id(member_id)
        .filter(workspace_member::Column::WorkspaceId.eq(ctx.id()))
        .filter(workspace_member::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Member"))?;
    let current = member.role;
    if to == Some(current) {
        return Ok(());
    }
    let owner_count = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.eq(ctx.id()))
        .filter(workspace_member::Column::RemovedAt.is_null())
        .filter(workspace_member::Column::Role.eq(WorkspaceRole::Owner.as_str()))
        .count(db)
        .await? as usize;
    check_role_change(
        RoleChange {
            actor: ctx.role,
            actor_is_target: member.user_id == ctx.user_id(),
            current,
            to,
            owner_count,
        },
        WorkspaceRole::Admin,
        WorkspaceRole::Owner,
    )
    .map_err(|refusal| AppError::Forbidden(refusal.message().into()))?;

    let now = Utc::now();
    let mut active = member.clone().into_active_model();
    match to {
        Some(role) => active.role = Set(role),
        None => {
            active.removed_at = Set(Some(now));
            active.removed_by = Set(Some(ctx.user_id()));
        }
    }
    active.updated_at = Set(now);
    active.update(db).await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(ctx.user.partner.id),
            workspace_id: Some(ctx.id()),
            user_id: Some(ctx.user_id()),
            action: if to.is_some() {
                "member.role_changed"
            } else {
                "member.removed"
            },
            entity_type: "workspace_member",
            entity_id: Some(member.id.to_string()),
            old_values: Some(json!({"role": current.as_str()})),
            new_values: to.map(|r| json!({"role": r.as_str()})),
            metadata: Some(json!({"user_id": member.user_id})),
        },
        &ctx.user.meta,
    )
    .await
}

/// The organisation's live team, owners first, with their workspaces.
pub async fn team<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
) -> Result<Vec<TeamMemberRow>, AppError> {
    let partner_id = ctx.user.partner.id;
    let rows = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    // Every live membership of this partner's workspaces, in one query, by user.
    let mut workspaces_of: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (m, w) in workspace_member::Entity::find()
        .filter(workspace_member::Column::RemovedAt.is_null())
        .find_also_related(workspace::Entity)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .all(db)
        .await?
    {
        if let Some(w) = w {
            workspaces_of.entry(m.user_id).or_default().push(w.name);
        }
    }
    let mut list = Vec::with_capacity(rows.len());
    for (m, u) in rows {
        let Some(u) = u else {
            continue;
        };
        let mut workspaces = workspaces_of.remove(&u.id).unwrap_or_default();
        workspaces.sort();
        list.push(TeamMemberRow {
            member_id: m.id,
            user_id: u.id,
            name: u.display_name(),
            email: u.email,
            role: m.role,
            joined_at: m.joined_at,
            workspaces,
            is_you: m.user_id == ctx.user.user_id(),
        });
    }
    list.sort_by(|a, b| {
        b.role
            .cmp(&a.role)
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(list)
}

/// Changes a team member's role, or removes them from the team and from every workspace
/// of the organisation.
pub async fn change_team_member<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    member_id: Uuid,
    to: Option<PartnerRole>,
) -> Result<(), AppError> {
    let partner_id = ctx.user.partner.id;
    let member = partner_member::Entity::find_by_id(member_id)
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Team member"))?;
    let current = member.role;
    if to == Some(current) {
        return Ok(());
    }
    let owner_count = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .filter(partner_member::Column::Role.eq(PartnerRole::Owner.as_str()))
        .count(db)
        .await? as usize;
    check_role_change(
        RoleChange {
            actor: ctx.role,
            actor_is_target: member.user_id == ctx.user.user_id(),
            current,
            to,
            owner_count,
        },
        PartnerRole::Admin,
        PartnerRole::Owner,
    )
    .map_err(|refusal| AppError::Forbidden(refusal.message().into()))?;

    let now = Utc::now();
    let mut active = member.clone().into_active_model();
    match to {
        Some(role) => active.role = Set(role),
        None => {
            active.removed_at = Set(Some(now));
            active.removed_by = Set(Some(ctx.user.user_id()));
            let workspace_ids: Vec<Uuid> =
                crate::access::service::partner_workspaces(db, partner_id)
                    .await?
                    .into_iter()
                    .map(|w| w.id)
                    .collect();
            workspace_member::Entity::update_many()
                .col_expr(workspace_member::Column::RemovedAt, Expr::value(now))
                .col_expr(
                    workspace_member::Column::RemovedBy,
                    Expr::value(ctx.user.user_id()),
                )
                .filter(workspace_member::Column::UserId.eq(member.user_id))
                .filter(workspace_member::Column::WorkspaceId.is_in(workspace_ids))
                .filter(workspace_member::Column::RemovedAt.is_null())
                .exec(db)
                .await?;
        }
    }
    active.updated_at = Set(now);
    active.update(db).await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(partner_id),
            user_id: Some(ctx.user.user_id()),
            action: if to.is_some() {
                "team.role_changed"
            } else {
                "team.removed"
            },
            entity_type: "partner_member",
            entity_id: Some(member.id.to_string()),
            old_values: Some(json!({"role": current.as_str()})),
            new_values: to.map(|r| json!({"role": r.as_str()})),
            metadata: Some(json!({"user_id": member.user_id})),
            ..Default::default()
        },
        &ctx.user.meta,
    )
    .await
}
