//! Do-not-call lists: one per workspace, and one per organisation that applies to all its
//! workspaces. A number on either is never called: checked when a campaign launches and
//! again each time a call is about to be placed.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::model::DncSource;
use crate::db::entity::{do_not_call, workspace};
use crate::error::AppError;

/// Which list: a workspace's, or its organisation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Workspace {
        partner_id: Uuid,
        workspace_id: Uuid,
    },
    Organisation {
        partner_id: Uuid,
    },
}

impl List {
    /// The workspace's own list.
    pub fn of_workspace(ctx: &crate::access::context::WorkspaceCtx) -> Self {
        Self::Workspace {
            partner_id: ctx.workspace.partner_id,
            workspace_id: ctx.id(),
        }
    }

    /// The organisation's list.
    pub fn of_organisation(ctx: &crate::access::context::PartnerCtx) -> Self {
        Self::Organisation {
            partner_id: ctx.user.partner.id,
        }
    }

    fn scope(self) -> Uuid {
        match self {
            Self::Workspace { workspace_id, .. } => workspace_id,
            Self::Organisation { partner_id } => partner_id,
        }
    }

    fn partner(self) -> Uuid {
        match self {
            Self::Workspace { partner_id, .. } | Self::Organisation { partner_id } => partner_id,
        }
    }

    fn workspace(self) -> Option<Uuid> {
        match self {
            Self::Workspace { workspace_id, .. } => Some(workspace_id),
            Self::Organisation { .. } => None,
        }
    }
}

/// Puts `phone` (E.164) on `list`; already there is fine. Whether it was added.
pub async fn add<C: ConnectionTrait>(
    db: &C,
    list: List,
    phone: &str,
    source: DncSource,
    reason: Option<&str>,
    by: Option<Uuid>,
) -> Result<bool, AppError> {
    let inserted = do_not_call::Entity::insert(do_not_call::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(list.partner()),
        workspace_id: Set(list.workspace()),
        scope_id: Set(list.scope()),
        phone: Set(phone.to_owned()),
        reason: Set(reason.map(|r| r.chars().take(500).collect())),
        source: Set(source),
        created_by: Set(by),
        created_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing_on([do_not_call::Column::ScopeId, do_not_call::Column::Phone])
    .exec_without_returning(db)
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

/// `add` to a workspace's own list, by the workspace's id.
pub async fn add_in<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    phone: &str,
    source: DncSource,
    reason: Option<&str>,
    by: Option<Uuid>,
) -> Result<bool, AppError> {
    let ws = workspace::Entity::find_by_id(workspace_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))?;
    add(
        db,
        List::Workspace {
            partner_id: ws.partner_id,
            workspace_id,
        },
        phone,
        source,
        reason,
        by,
    )
    .await
}

/// Takes `phone` off `list`; whether it was there.
pub async fn remove<C: ConnectionTrait>(db: &C, list: List, phone: &str) -> Result<bool, AppError> {
    Ok(do_not_call::Entity::delete_many()
        .filter(do_not_call::Column::ScopeId.eq(list.scope()))
        .filter(do_not_call::Column::Phone.eq(phone))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Which of `phones` the workspace must not call (its list or its organisation's).
pub async fn listed<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    workspace_id: Uuid,
    phones: &[String],
) -> Result<HashSet<String>, AppError> {
    let mut found = HashSet::new();
    for chunk in phones.chunks(500) {
        let rows: Vec<String> = do_not_call::Entity::find()
            .select_only()
            .column(do_not_call::Column::Phone)
            .filter(
                Condition::any()
                    .add(do_not_call::Column::ScopeId.eq(workspace_id))
                    .add(do_not_call::Column::ScopeId.eq(partner_id)),
            )
            .filter(do_not_call::Column::Phone.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// The entries of a list, newest first; the newest `limit` of them when given.
pub async fn entries<C: ConnectionTrait>(
    db: &C,
    list: List,
    limit: Option<u64>,
) -> Result<Vec<do_not_call::Model>, AppError> {
    use sea_orm::QueryOrder;
    Ok(do_not_call::Entity::find()
        .filter(do_not_call::Column::ScopeId.eq(list.scope()))
        .order_by_desc(do_not_call::Column::CreatedAt)
        .order_by_desc(do_not_call::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// How many numbers a list holds.
async fn count<C: ConnectionTrait>(db: &C, list: List) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(do_not_call::Entity::find()
        .filter(do_not_call::Column::ScopeId.eq(list.scope()))
        .count(db)
        .await?)
}

fn entry(e: do_not_call::Model, organisation: bool) -> super::model::DncEntry {
    super::model::DncEntry {
        phone: e.phone,
        reason: e.reason,
        source: e.source,
        organisation,
        created_at: e.created_at,
    }
}

/// The workspace's list and its organisation's, as the workspace sees them: the newest
/// `limit` of each when given (a page), all of them otherwise (an export).
pub async fn entries_for<C: ConnectionTrait>(
    db: &C,
    ctx: &crate::access::context::WorkspaceCtx,
    limit: Option<u64>,
) -> Result<super::model::DncList, AppError> {
    let partner_id = ctx.workspace.partner_id;
    let mut out = super::model::DncList::default();
    for (list, organisation) in [
        (
            List::Workspace {
                partner_id,
                workspace_id: ctx.id(),
            },
            false,
        ),
        (List::Organisation { partner_id }, true),
    ] {
        let rows = entries(db, list, limit).await?;
        out.total += match limit {
            Some(_) => count(db, list).await?,
            None => rows.len() as u64,
        };
        out.entries
            .extend(rows.into_iter().map(|e| entry(e, organisation)));
    }
    out.entries.sort_by_key(|e| std::cmp::Reverse(e.created_at));
    Ok(out)
}

/// An organisation's own list, newest first (the newest `limit` when given).
pub async fn org_entries<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    limit: Option<u64>,
) -> Result<super::model::DncList, AppError> {
    let list = List::Organisation { partner_id };
    let rows = entries(db, list, limit).await?;
    let total = match limit {
        Some(_) => count(db, list).await?,
        None => rows.len() as u64,
    };
    Ok(super::model::DncList {
        entries: rows.into_iter().map(|e| entry(e, true)).collect(),
        total,
    })
}

/// Puts `numbers` (E.164, each with a reason) on `list` as imported; those already there
/// stay as they were. How many were added.
pub async fn add_many<C: ConnectionTrait>(
    db: &C,
    list: List,
    numbers: &[(String, Option<String>)],
    by: Uuid,
) -> Result<u64, AppError> {
    if numbers.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let rows = numbers
        .iter()
        .map(|(phone, reason)| do_not_call::ActiveModel {
            id: Set(Uuid::now_v7()),
            partner_id: Set(list.partner()),
            workspace_id: Set(list.workspace()),
            scope_id: Set(list.scope()),
            phone: Set(phone.clone()),
            reason: Set(reason.clone()),
            source: Set(DncSource::Import),
            created_by: Set(Some(by)),
            created_at: Set(now),
        });
    let inserted = do_not_call::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([do_not_call::Column::ScopeId, do_not_call::Column::Phone])
        .exec_without_returning(db)
        .await?;
    Ok(match inserted {
        sea_orm::TryInsertResult::Inserted(n) => n,
        _ => 0,
    })
}

fn check_reason(reason: &str) -> Result<(), AppError> {
    if reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Keep the reason to 500 characters or fewer.",
        ));
    }
    Ok(())
}

fn typed_number(phone: &str) -> Result<crate::phone::E164, AppError> {
    crate::phone::E164::from_typed(phone).ok_or_else(|| {
        AppError::invalid(
            "phone",
            "Give the number in international format, like +14155550100.",
        )
    })
}

/// Adds a typed number to `list`, by `by`.
pub async fn add_typed<C: ConnectionTrait>(
    db: &C,
    list: List,
    phone: &str,
    reason: &str,
    by: Uuid,
) -> Result<bool, AppError> {
    let phone = typed_number(phone)?;
    check_reason(reason)?;
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    add(
        db,
        list,
        phone.as_str(),
        DncSource::Manual,
        reason,
        Some(by),
    )
    .await
}

/// Takes a typed number off `list`; whether it was there.
pub async fn remove_typed<C: ConnectionTrait>(
    db: &C,
    list: List,
    phone: &str,
) -> Result<bool, AppError> {
    let phone = typed_number(phone)?;
    remove(db, list, phone.as_str()).await
}
