//! Access queries: a user's partner role, the workspaces they can open, and their role in
//! one of them. Every query is bounded by the partner the request's host resolved to.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::model::WorkspaceAccess;
use crate::db::entity::{partner_member, workspace, workspace_member};
use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// A workspace as one user may open it: the row, their role, and whether the role comes
/// from the partner rather than a membership.
pub type Access = (workspace::Model, WorkspaceRole, bool);

/// The user's live role in the partner, if they are a member.
pub async fn partner_role<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
) -> Result<Option<PartnerRole>, DbErr> {
    Ok(partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::UserId.eq(user_id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .map(|m| m.role))
}

/// Every live workspace of the partner the user can open, by name: their memberships, and
/// for partner owners and admins every other workspace, as admin.
pub async fn accessible_workspaces<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
    partner_role: Option<PartnerRole>,
) -> Result<Vec<WorkspaceAccess>, DbErr> {
    Ok(accessible(db, partner_id, user_id, partner_role)
        .await?
        .iter()
        .map(|(ws, role, via)| summary(ws, *role, *via))
        .collect())
}

/// [`accessible_workspaces`] with each workspace's whole row, as [`workspace_access`]
/// answers for one, in one query.
pub async fn accessible<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
    partner_role: Option<PartnerRole>,
) -> Result<Vec<Access>, DbErr> {
    let via_partner = partner_role.and_then(WorkspaceRole::from_partner_role);
    let mut query = workspace::Entity::find()
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .expr_as(member_role(user_id), "member_role");
    if via_partner.is_none() {
        let theirs = Query::select()
            .column(workspace_member::Column::WorkspaceId)
            .from(workspace_member::Entity)
            .and_where(workspace_member::Column::UserId.eq(user_id))
            .and_where(workspace_member::Column::RemovedAt.is_null())
            .to_owned();
        query = query.filter(workspace::Column::Id.in_subquery(theirs));
    }
    let rows = query.into_model::<WorkspaceWithRole>().all(db).await?;
    let mut list: Vec<Access> = rows
        .into_iter()
        .filter_map(|row| {
            let member = row.member_role;
            let (role, partner_admin_access) = effective_role(member, via_partner)?;
            Some((row.workspace, role, partner_admin_access))
        })
        .collect();
    list.sort_by_cached_key(|(ws, ..)| ws.name.to_lowercase());
    Ok(list)
}

/// A workspace row with the user's live membership role there, if any.
#[derive(FromQueryResult)]
struct WorkspaceWithRole {
    #[sea_orm(nested)]
    workspace: workspace::Model,
    member_role: Option<WorkspaceRole>,
}

/// The workspace `slug` of the partner and the user's role there, or `None` when they
/// cannot open it (unknown, deleted, another partner's, or not theirs), in one query.
/// `partner_role` is the user's role in the partner, which reaches every workspace for
/// owners and admins.
pub async fn workspace_access<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
    slug: &str,
    partner_role: Option<PartnerRole>,
) -> Result<Option<Access>, DbErr> {
    let Some(found) = workspace::Entity::find()
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::Slug.eq(slug))
        .filter(workspace::Column::DeletedAt.is_null())
        .expr_as(member_role(user_id), "member_role")
        .into_model::<WorkspaceWithRole>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let member = found.member_role;
    let via_partner = partner_role.and_then(WorkspaceRole::from_partner_role);
    Ok(effective_role(member, via_partner).map(|(role, via)| (found.workspace, role, via)))
}

/// The user's live membership role in the workspace of the enclosing row, as a subquery.
fn member_role(user_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    use workspace_member::Column as M;
    Query::select()
        .column((workspace_member::Entity, M::Role))
        .from(workspace_member::Entity)
        .and_where(
            Expr::col((workspace_member::Entity, M::WorkspaceId))
                .equals((workspace::Entity, workspace::Column::Id)),
        )
        .and_where(Expr::col((workspace_member::Entity, M::UserId)).eq(user_id))
        .and_where(Expr::col((workspace_member::Entity, M::RemovedAt)).is_null())
        .to_owned()
}

/// The role someone acts with in a workspace, from their membership there and the role
/// their partner role gives in every workspace, and whether it came from the partner
/// role (a partner admin who is also a plain member acts as admin); `None` when neither
/// lets them in.
fn effective_role(
    member: Option<WorkspaceRole>,
    via_partner: Option<WorkspaceRole>,
) -> Option<(WorkspaceRole, bool)> {
    match (member, via_partner) {
        (Some(m), Some(p)) if p > m => Some((p, true)),
        (Some(m), _) => Some((m, false)),
        (None, Some(p)) => Some((p, true)),
        (None, None) => None,
    }
}

/// Live workspaces of the partner, by name (for the organisation's pickers).
pub async fn partner_workspaces<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
) -> Result<Vec<workspace::Model>, DbErr> {
    workspace::Entity::find()
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .order_by_asc(workspace::Column::Name)
        .all(db)
        .await
}

/// What the browser is told of a workspace the user can open.
pub fn summary(
    ws: &workspace::Model,
    role: WorkspaceRole,
    partner_admin_access: bool,
) -> WorkspaceAccess {
    WorkspaceAccess {
        id: ws.id,
        name: ws.name.clone(),
        slug: ws.slug.clone(),
        description: ws.description.clone(),
        role,
        partner_admin_access,
    }
}
