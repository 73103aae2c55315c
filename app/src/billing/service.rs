//! Wallets and their ledger. A wallet's balance changes only in the transaction that books
//! the ledger entry explaining it; an entry with an idempotency key is booked once (a
//! unique index backs the check); finished calls are charged here.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::model::{
    DEFAULT_PARTNER_LOW_BALANCE_CENTS, DEFAULT_PARTNER_RATE_CENTS,
    DEFAULT_WORKSPACE_LOW_BALANCE_CENTS, EntryKind, billed_minutes, dollars,
};
use crate::db::entity::{conversation, credit_transaction, credit_wallet, workspace};
use crate::error::AppError;

/// Whose wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Workspace(Uuid),
    Partner(Uuid),
}

/// The owner's wallet, made (empty) on first use.
pub async fn wallet<C: ConnectionTrait>(
    db: &C,
    owner: Owner,
) -> Result<credit_wallet::Model, AppError> {
    let (column, id) = match owner {
        Owner::Workspace(id) => (credit_wallet::Column::WorkspaceId, id),
        Owner::Partner(id) => (credit_wallet::Column::PartnerId, id),
    };
    if let Some(found) = credit_wallet::Entity::find()
        .filter(column.eq(id))
        .one(db)
        .await?
    {
        return Ok(found);
    }
    let now = Utc::now();
    let (workspace_id, partner_id, threshold, rate) = match owner {
        // A workspace's minutes are priced by the workspace's own rate.
        Owner::Workspace(id) => (Some(id), None, DEFAULT_WORKSPACE_LOW_BALANCE_CENTS, 0),
        Owner::Partner(id) => (
            None,
            Some(id),
            DEFAULT_PARTNER_LOW_BALANCE_CENTS,
            DEFAULT_PARTNER_RATE_CENTS,
        ),
    };
    credit_wallet::Entity::insert(credit_wallet::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id),
        partner_id: Set(partner_id),
        balance_cents: Set(0),
        low_balance_threshold_cents: Set(threshold),
        per_minute_rate_cents: Set(rate),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict_do_nothing_on([column])
    .exec(db)
    .await?;
    credit_wallet::Entity::find()
        .filter(column.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("a wallet vanished as it was made"))
}

/// A ledger entry to book.
pub struct Entry {
    pub kind: EntryKind,
    /// Positive adds credit, negative spends it.
    pub amount_cents: i64,
    pub description: String,
    /// Booked at most once per wallet.
    pub idempotency_key: Option<String>,
    pub conversation_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub metadata: serde_json::Value,
}

/// Books `entry` on `wallet_id` and moves the balance with it; `None` when an entry with
/// the same key is already booked. Run it inside the transaction that owns the change.
pub async fn book<C: ConnectionTrait>(
    db: &C,
    wallet_id: Uuid,
    entry: Entry,
) -> Result<Option<credit_transaction::Model>, AppError> {
    if let Some(key) = &entry.idempotency_key
        && credit_transaction::Entity::find()
            .filter(credit_transaction::Column::WalletId.eq(wallet_id))
            .filter(credit_transaction::Column::IdempotencyKey.eq(key))
            .one(db)
            .await?
            .is_some()
    {
        return Ok(None);
    }
    let now = Utc::now();
    // One statement moves the balance, so concurrent entries add up exactly.
    credit_wallet::Entity::update_many()
        .col_expr(
            credit_wallet::Column::BalanceCents,
            Expr::col(credit_wallet::Column::BalanceCents).add(entry.amount_cents),
        )
        .col_expr(credit_wallet::Column::UpdatedAt, Expr::value(now))
        .filter(credit_wallet::Column::Id.eq(wallet_id))
        .exec(db)
        .await?;
    let balance = credit_wallet::Entity::find_by_id(wallet_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The wallet"))?
        .balance_cents;
    let row = credit_transaction::ActiveModel {
        id: Set(Uuid::now_v7()),
        wallet_id: Set(wallet_id),
        kind: Set(entry.kind.as_str().into()),
        amount_cents: Set(entry.amount_cents),
        balance_after_cents: Set(balance),
        description: Set(entry.description),
        idempotency_key: Set(entry.idempotency_key),
        conversation_id: Set(entry.conversation_id),
        actor_id: Set(entry.actor_id),
        metadata: Set(entry.metadata),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Some(row))
}

/// What a finished call was charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub minutes: i32,
    pub cents: i64,
    pub owner: Owner,
}

/// Charges a finished call: whole minutes at the workspace's rate from its wallet, or, for
/// a billing-exempt workspace, at the partner's rate from the partner's wallet. Booked under
/// the key `usage:{conversation}`, so a call is never charged twice; a call may take the
/// balance below zero (it happened), which is what the paywall then reads.
pub async fn charge_call<C: ConnectionTrait>(
    db: &C,
    conversation_id: Uuid,
) -> Result<Option<Charge>, AppError> {
    let call = conversation::Entity::find_by_id(conversation_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The call"))?;
    let minutes = billed_minutes(call.duration_seconds);
    if minutes == 0 {
        return Ok(None);
    }
    let ws = workspace::Entity::find_by_id(call.workspace_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))?;
    let (owner, rate) = if ws.is_billing_exempt {
        let owner = Owner::Partner(ws.partner_id);
        (owner, wallet(db, owner).await?.per_minute_rate_cents)
    } else {
        (Owner::Workspace(ws.id), ws.per_minute_rate_cents)
    };
    let cents = i64::from(minutes) * i64::from(rate);
    let wallet = wallet(db, owner).await?;
    let booked = book(
        db,
        wallet.id,
        Entry {
            kind: EntryKind::Usage,
            amount_cents: -cents,
            description: format!(
                "Usage: {minutes} minute{} @ {}/min",
                if minutes == 1 { "" } else { "s" },
                dollars(i64::from(rate))
            ),
            idempotency_key: Some(format!("usage:{conversation_id}")),
            conversation_id: Some(conversation_id),
            actor_id: None,
            metadata: json!({
                "minutes": minutes,
                "rate_cents": rate,
                "workspace_id": ws.id,
                "duration_seconds": call.duration_seconds,
            }),
        },
    )
    .await?;
    if booked.is_none() {
        return Ok(None);
    }
    conversation::Entity::update_many()
        .col_expr(conversation::Column::BilledMinutes, Expr::value(minutes))
        .col_expr(conversation::Column::BilledCents, Expr::value(cents))
        .col_expr(
            conversation::Column::BilledTo,
            Expr::value(match owner {
                Owner::Workspace(_) => "workspace",
                Owner::Partner(_) => "partner",
            }),
        )
        .filter(conversation::Column::Id.eq(conversation_id))
        .exec(db)
        .await?;
    Ok(Some(Charge {
        minutes,
        cents,
        owner,
    }))
}
