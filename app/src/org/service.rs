//! The organisation's overview (figures, workspaces, team) and what its owners and admins
//! do from it: give a team member a place in a workspace, and bill a workspace to the
//! organisation or to itself. Every change is audited.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{OrgKpis, OrgOverview, OverviewPerson, OverviewWorkspace};
use crate::access::context::PartnerCtx;
use crate::access::permission::PartnerPermission;
use crate::db::entity::{
    agent, call_day_total, partner_integration, partner_member, user, workspace, workspace_member,
};
use crate::error::AppError;
use crate::tenancy::model::WorkspaceRole;

/// Everything the overview shows, read in a fixed number of queries whatever the size.
pub async fn overview<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
) -> Result<OrgOverview, AppError> {
    let partner = &ctx.user.partner;
    let billing = crate::billing::org::partner_workspaces(db, partner.id).await?;
    let ids: Vec<Uuid> = billing.iter().map(|w| w.workspace_id).collect();
    let names: HashMap<Uuid, String> = billing
        .iter()
        .map(|w| (w.workspace_id, w.name.clone()))
        .collect();

    let memberships = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.is_in(ids.clone()))
        .filter(workspace_member::Column::RemovedAt.is_null())
        .all(db)
        .await?;
    let team = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner.id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .all(db)
        .await?;
    let people: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(
            user::Column::Id.is_in(
                memberships
                    .iter()
                    .map(|m| m.user_id)
                    .chain(team.iter().map(|m| m.user_id)),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();

    let agents: HashMap<Uuid, i64> = agent::Entity::find()
        .select_only()
        .column(agent::Column::WorkspaceId)
        .column_as(agent::Column::Id.count(), "n")
        .filter(agent::Column::WorkspaceId.is_in(ids.clone()))
        .filter(agent::Column::DeletedAt.is_null())
        .group_by(agent::Column::WorkspaceId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let today = Utc::now().date_naive();
    let month_start = today.with_day(1).unwrap_or(today);
    let usage: HashMap<Uuid, (i64, i64)> = call_day_total::Entity::find()
        .select_only()
        .column(call_day_total::Column::WorkspaceId)
        .column_as(Expr::cust("CAST(SUM(calls) AS BIGINT)"), "calls")
        .column_as(Expr::cust("CAST(SUM(billed_minutes) AS BIGINT)"), "minutes")
        .filter(call_day_total::Column::WorkspaceId.is_in(ids.clone()))
        .filter(call_day_total::Column::Day.gte(month_start))
        .group_by(call_day_total::Column::WorkspaceId)
        .into_tuple::<(Uuid, Option<i64>, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, calls, minutes)| (id, (calls.unwrap_or(0), minutes.unwrap_or(0))))
        .collect();
    let integrations = integration_labels(db, partner.id).await?;

    let mut workspaces: Vec<OverviewWorkspace> = billing
        .into_iter()
        .map(|w| {
            let here = memberships
                .iter()
                .filter(|m| m.workspace_id == w.workspace_id);
            let mut owners: Vec<String> = here
                .clone()
                .filter(|m| m.role == WorkspaceRole::Owner)
                .filter_map(|m| people.get(&m.user_id).map(user::Model::display_name))
                .collect();
            owners.sort();
            let (calls, minutes) = usage.get(&w.workspace_id).copied().unwrap_or_default();
            OverviewWorkspace {
                id: w.workspace_id,
                owners,
                members: here.count() as u64,
                agents: agents.get(&w.workspace_id).copied().unwrap_or(0) as u64,
                calls_this_month: calls,
                minutes_this_month: minutes,
                billing_exempt: w.credits.billing_exempt,
                credit_cents: w.credits.balance_cents,
                integrations: integrations
                    .get(&w.workspace_id)
                    .cloned()
                    .unwrap_or_default(),
                name: w.name,
                slug: w.slug,
            }
        })
        .collect();
    workspaces.sort_by_key(|w| w.name.to_lowercase());

    let mut team: Vec<OverviewPerson> = team
        .into_iter()
        .filter_map(|m| {
            let u = people.get(&m.user_id)?;
            let mut places: Vec<(String, WorkspaceRole)> = memberships
                .iter()
                .filter(|w| w.user_id == m.user_id)
                .filter_map(|w| names.get(&w.workspace_id).map(|n| (n.clone(), w.role)))
                .collect();
            places.sort();
            Some(OverviewPerson {
                user_id: u.id,
                name: u.display_name(),
                email: u.email.clone(),
                role: m.role,
                workspaces: places,
            })
        })
        .collect();
    team.sort_by(|a, b| {
        b.role
            .cmp(&a.role)
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });

    let max_workspaces = partner
        .resource_limits
        .get("max_workspaces")
        .and_then(serde_json::Value::as_u64);
    let kpis = OrgKpis {
        workspaces: workspaces.len() as u64,
        members: team.len() as u64,
        agents: workspaces.iter().map(|w| w.agents).sum(),
        calls_this_month: workspaces.iter().map(|w| w.calls_this_month).sum(),
        minutes_this_month: workspaces.iter().map(|w| w.minutes_this_month).sum(),
        credit_cents: workspaces
            .iter()
            .filter(|w| !w.billing_exempt)
            .map(|w| w.credit_cents)
            .sum(),
    };
    Ok(OrgOverview {
        room_for_workspace: crate::tenancy::service::ensure_room_for_workspace(db, partner)
            .await
            .is_ok(),
        max_workspaces,
        can_bill: ctx.role.can(PartnerPermission::BillingUpdate),
        kpis,
        workspaces,
        team,
    })
}

/// "VAPI: Main account" for each provider assigned, by workspace.
async fn integration_labels<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
) -> Result<HashMap<Uuid, Vec<String>>, AppError> {
    let names: HashMap<Uuid, String> = partner_integration::Entity::find()
        .filter(partner_integration::Column::PartnerId.eq(partner_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, format!("{}: {}", i.provider.label(), i.name)))
        .collect();
    Ok(crate::integrations::assign::assignments(db, partner_id)
        .await?
        .into_iter()
        .map(|w| {
            let mut labels: Vec<String> = w
                .assigned
                .iter()
                .filter_map(|(_, id)| names.get(id).cloned())
                .collect();
            labels.sort();
            (w.workspace_id, labels)
        })
        .collect())
}

/// What giving someone a place did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Added,
    RoleChanged,
    AlreadyThere,
}

/// Gives a member of the organisation's team `role` in a workspace of the organisation:
/// added (or back, if they had left), or their role there changed. The last owner of a
/// workspace keeps the role until someone else has it.
pub async fn place_member<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    user_id: Uuid,
    workspace_id: Uuid,
    role: WorkspaceRole,
) -> Result<Placed, AppError> {
    let partner_id = ctx.user.partner.id;
    let on_team = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::UserId.eq(user_id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .count(db)
        .await?
        > 0;
    if !on_team {
        return Err(AppError::not_found("That team member"));
    }
    let ws = workspace::Entity::find_by_id(workspace_id)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))?;
    let existing = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.eq(ws.id))
        .filter(workspace_member::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let touches_owner = role == WorkspaceRole::Owner
        || existing
            .as_ref()
            .is_some_and(|m| m.removed_at.is_none() && m.role == WorkspaceRole::Owner);
    if touches_owner && ctx.role != crate::tenancy::model::PartnerRole::Owner {
        return Err(AppError::invalid(
            "role",
            "Only organization owners make someone a workspace owner or change an owner's role.",
        ));
    }
    let now = Utc::now();
    let (placed, before) = match existing {
        Some(m) if m.removed_at.is_none() && m.role == role => return Ok(Placed::AlreadyThere),
        Some(m) if m.removed_at.is_none() => {
            if m.role == WorkspaceRole::Owner {
                let owners = workspace_member::Entity::find()
                    .filter(workspace_member::Column::WorkspaceId.eq(ws.id))
                    .filter(workspace_member::Column::Role.eq(WorkspaceRole::Owner))
                    .filter(workspace_member::Column::RemovedAt.is_null())
                    .count(db)
                    .await?;
                if owners <= 1 {
                    return Err(AppError::invalid(
                        "role",
                        format!(
                            "They are the only owner of {}: make someone else its owner first.",
                            ws.name
                        ),
                    ));
                }
            }
            let before = m.role;
            let mut active = m.into_active_model();
            active.role = Set(role);
            active.updated_at = Set(now);
            active.update(db).await?;
            (Placed::RoleChanged, Some(before))
        }
        Some(m) => {
            let mut active = m.into_active_model();
            active.role = Set(role);
            active.removed_at = Set(None);
            active.removed_by = Set(None);
            active.invited_by = Set(Some(ctx.user.user_id()));
            active.joined_at = Set(now);
            active.updated_at = Set(now);
            active.update(db).await?;
            (Placed::Added, None)
        }
        None => {
            crate::tenancy::service::add_workspace_member(db, ws.id, user_id, role).await?;
            (Placed::Added, None)
        }
    };
    crate::audit::record(
        db,
        ctx.audit_of(
            &ws,
            ("member.placed", "user", user_id.to_string()),
            json!({ "role": before.map(WorkspaceRole::as_str) }),
            json!({ "role": role.as_str() }),
        ),
        &ctx.user.meta,
    )
    .await?;
    Ok(placed)
}

/// Bills a workspace's minutes to the organisation (`exempt`) or to its own credit.
/// Returns the workspace's name.
pub async fn set_billing_exempt<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    workspace_id: Uuid,
    exempt: bool,
) -> Result<String, AppError> {
    let ws = workspace::Entity::find_by_id(workspace_id)
        .filter(workspace::Column::PartnerId.eq(ctx.user.partner.id))
        .filter(workspace::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))?;
    if ws.is_billing_exempt == exempt {
        return Ok(ws.name);
    }
    let name = ws.name.clone();
    let mut active = ws.clone().into_active_model();
    active.is_billing_exempt = Set(exempt);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    crate::audit::record(
        db,
        ctx.audit_of(
            &ws,
            (
                "workspace.billing_exempt_changed",
                "workspace",
                ws.id.to_string(),
            ),
            json!({ "billing_exempt": ws.is_billing_exempt }),
            json!({ "billing_exempt": exempt }),
        ),
        &ctx.user.meta,
    )
    .await?;
    Ok(name)
}
