//! What an organisation's admins do to their workspaces' credit: see every workspace's
//! balance, grant or take back credit, and set a workspace's rate; each change audited.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::model::{Cents, Credits, EntryKind, WalletFigures, WorkspaceBilling, dollars};
use super::service::{Entry, Owner, Posted, credits, credits_of, post, wallet};
use crate::access::context::PartnerCtx;
use crate::db::entity::{credit_wallet, workspace};
use crate::error::AppError;

/// Every live workspace of the partner with its credit, by name.
pub async fn partner_workspaces<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
) -> Result<Vec<WorkspaceBilling>, AppError> {
    let workspaces = crate::access::service::partner_workspaces(db, partner_id).await?;
    // Every wallet in one query.
    let wallets: std::collections::HashMap<Uuid, credit_wallet::Model> =
        credit_wallet::Entity::find()
            .filter(credit_wallet::Column::WorkspaceId.is_in(workspaces.iter().map(|w| w.id)))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|w| w.workspace_id.map(|id| (id, w)))
            .collect();
    Ok(workspaces
        .into_iter()
        .map(|ws| WorkspaceBilling {
            workspace_id: ws.id,
            credits: credits_of(&ws, wallets.get(&ws.id).map(WalletFigures::from)),
            name: ws.name,
            slug: ws.slug,
        })
        .collect())
}

/// A live workspace of the partner, or 404.
async fn partner_workspace<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    workspace_id: Uuid,
) -> Result<workspace::Model, AppError> {
    workspace::Entity::find_by_id(workspace_id)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))
}

/// An organisation admin grants (positive) or takes back (negative) workspace credit,
/// with the reason kept on the entry and in the audit log. Taking back more than the
/// balance is refused, so an adjustment never invents a debt.
pub async fn adjust<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    workspace_id: Uuid,
    amount: Cents,
    reason: &str,
) -> Result<Credits, AppError> {
    let reason = reason.trim();
    if reason.chars().count() < 3 || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "Say why, in 3 to 500 characters; it is kept in the ledger and the audit log.",
        ));
    }
    let ws = partner_workspace(db, ctx.user.partner.id, workspace_id).await?;
    if ws.is_billing_exempt {
        return Err(AppError::invalid(
            "amount",
            "This workspace is billing-exempt: its minutes are charged to the organisation.",
        ));
    }
    let wallet = wallet(db, Owner::Workspace(ws.id)).await?;
    let verb = if amount.is_negative() {
        "Credit removed"
    } else {
        "Credit granted"
    };
    let posted = post(
        db,
        wallet.id,
        Entry {
            kind: EntryKind::Adjustment,
            amount_cents: amount.0,
            description: format!("{verb}: {}. {reason}", amount.magnitude()),
            idempotency_key: None,
            conversation_id: None,
            actor_id: Some(ctx.user.user_id()),
            metadata: json!({ "reason": reason }),
        },
        amount.is_negative(),
    )
    .await?;
    let entry = match posted {
        Posted::Booked(entry) => entry,
        Posted::Duplicate => return Err(AppError::internal("an unkeyed entry was a duplicate")),
        Posted::Short => {
            // Read again: another removal may have moved it since.
            let balance = super::service::wallet(db, Owner::Workspace(ws.id))
                .await?
                .balance_cents;
            return Err(AppError::invalid(
                "amount",
                format!(
                    "That would leave {}; at most {} can be taken back.",
                    dollars(balance.saturating_add(amount.0)),
                    dollars(Ord::max(balance, 0))
                ),
            ));
        }
    };
    crate::audit::record(
        db,
        crate::audit::Entry {
            metadata: Some(json!({ "amount_cents": amount.0, "reason": reason })),
            ..ctx.audit_of(
                &ws,
                (
                    "credits.adjusted",
                    "credit_transaction",
                    entry.id.to_string(),
                ),
                json!({ "balance_cents": wallet.balance_cents }),
                json!({ "balance_cents": entry.balance_after_cents }),
            )
        },
        &ctx.user.meta,
    )
    .await?;
    credits(db, &ws).await
}

/// An organisation admin sets what a minute costs the workspace (audited).
pub async fn set_rate<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    workspace_id: Uuid,
    rate_cents: i32,
) -> Result<Credits, AppError> {
    let ws = partner_workspace(db, ctx.user.partner.id, workspace_id).await?;
    workspace::Entity::update_many()
        .col_expr(
            workspace::Column::PerMinuteRateCents,
            Expr::value(rate_cents),
        )
        .col_expr(workspace::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(workspace::Column::Id.eq(ws.id))
        .exec(db)
        .await?;
    crate::audit::record(
        db,
        ctx.audit_of(
            &ws,
            ("workspace.rate_changed", "workspace", ws.id.to_string()),
            json!({ "per_minute_rate_cents": ws.per_minute_rate_cents }),
            json!({ "per_minute_rate_cents": rate_cents }),
        ),
        &ctx.user.meta,
    )
    .await?;
    let ws = workspace::Model {
        per_minute_rate_cents: rate_cents,
        ..ws
    };
    credits(db, &ws).await
}
