//! Access queries: a user's partner role, the workspaces they can open, and their role in
//! one of them. Every query is bounded by the partner the request's host resolved to.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::model::WorkspaceAccess;
use crate::billing::model::WalletFigures;
use crate::db::entity::{credit_wallet, partner_member, workspace, workspace_member};
use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// A workspace as one user may open it.
#[derive(Debug, Clone)]
pub struct Access {
    pub workspace: workspace::Model,
    pub role: WorkspaceRole,
    /// The role comes from the partner rather than a membership.
    pub via_partner: bool,
    /// Its wallet, read in the same query (none until its first credit moves): what the
    /// workspace's frame shows. Anything that moves money reads the wallet again.
    pub wallet: Option<WalletFigures>,
}

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
        .map(|a| summary(&a.workspace, a.role, a.via_partner))
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
    let mut query = with_role_and_wallet(workspace::Entity::find(), user_id)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null());
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
        .filter_map(|row| row.access(via_partner))
        .collect();
    list.sort_by_cached_key(|a| a.workspace.name.to_lowercase());
    Ok(list)
}

/// A workspace row with the user's live membership role there, if any, and its wallet.
#[derive(FromQueryResult)]
struct WorkspaceWithRole {
    #[sea_orm(nested)]
    workspace: workspace::Model,
    member_role: Option<WorkspaceRole>,
    wallet_balance_cents: Option<i64>,
    wallet_low_balance_threshold_cents: Option<i64>,
}

impl WorkspaceWithRole {
    /// How the user may open this workspace, given the role their partner role gives them
    /// in every workspace; `None` when they cannot.
    fn access(self, via_partner: Option<WorkspaceRole>) -> Option<Access> {
        let (role, via_partner) = effective_role(self.member_role, via_partner)?;
        let wallet = self
            .wallet_balance_cents
            .zip(self.wallet_low_balance_threshold_cents)
            .map(
                |(balance_cents, low_balance_threshold_cents)| WalletFigures {
                    balance_cents,
                    low_balance_threshold_cents,
                },
            );
        Some(Access {
            workspace: self.workspace,
            role,
            via_partner,
            wallet,
        })
    }
}

/// `select` with the user's membership role and the workspace's wallet beside each row.
fn with_role_and_wallet(
    select: Select<workspace::Entity>,
    user_id: Uuid,
) -> Select<workspace::Entity> {
    use credit_wallet::Column as W;
    let wallet = credit_wallet::Entity::belongs_to(workspace::Entity)
        .from(W::WorkspaceId)
        .to(workspace::Column::Id)
        .into();
    select
        .expr_as(member_role(user_id), "member_role")
        .join_rev(JoinType::LeftJoin, wallet)
        .expr_as(
            Expr::col((credit_wallet::Entity, W::BalanceCents)),
            "wallet_balance_cents",
        )
        .expr_as(
            Expr::col((credit_wallet::Entity, W::LowBalanceThresholdCents)),
            "wallet_low_balance_threshold_cents",
        )
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
    let Some(found) = with_role_and_wallet(workspace::Entity::find(), user_id)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::Slug.eq(slug))
        .filter(workspace::Column::DeletedAt.is_null())
        .into_model::<WorkspaceWithRole>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(found.access(partner_role.and_then(WorkspaceRole::from_partner_role)))
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
