//! Wallets and their ledger. A wallet's balance changes only in the transaction that books
//! the ledger entry explaining it; an entry with an idempotency key is booked once (a
//! unique index backs the check); finished calls are charged here.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::model::{
    BilledTo, Credits, DEFAULT_PARTNER_LOW_BALANCE_CENTS, DEFAULT_PARTNER_RATE_CENTS,
    DEFAULT_WORKSPACE_LOW_BALANCE_CENTS, EntryKind, FREE_TIER_GRANT_CENTS, LedgerEntry, LedgerPage,
    WalletFigures, billed_minutes, dollars,
};
use crate::db::entity::{conversation, credit_transaction, credit_wallet, user, workspace};
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
    let inserted = credit_wallet::Entity::insert(credit_wallet::ActiveModel {
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
    .exec_without_returning(db)
    .await?;
    let made = credit_wallet::Entity::find()
        .filter(column.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("a wallet vanished as it was made"))?;
    let opened = matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0);
    if !opened || !matches!(owner, Owner::Workspace(_)) {
        return Ok(made);
    }
    // Every workspace starts with the free tier's credit, booked like any other.
    book(
        db,
        made.id,
        Entry {
            kind: EntryKind::Adjustment,
            amount_cents: FREE_TIER_GRANT_CENTS,
            description: format!("Free tier credit: {}", dollars(FREE_TIER_GRANT_CENTS)),
            idempotency_key: Some("free_tier_grant".into()),
            conversation_id: None,
            actor_id: None,
            metadata: json!({ "reason": "free_tier_grant" }),
        },
    )
    .await?;
    credit_wallet::Entity::find_by_id(made.id)
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
    match post(db, wallet_id, entry, false).await? {
        Posted::Booked(row) => Ok(Some(row)),
        Posted::Duplicate => Ok(None),
        Posted::Short => Err(AppError::internal("an unguarded entry came back short")),
    }
}

/// What [`post`] did.
pub(super) enum Posted {
    Booked(credit_transaction::Model),
    /// An entry with the same key was booked before.
    Duplicate,
    /// The balance would have gone below zero, so nothing moved.
    Short,
}

/// Books an entry. With `keep_non_negative`, the balance moves only if it stays at or above
/// zero, decided by the same `UPDATE … WHERE balance + amount >= 0` that moves it, so two
/// concurrent removals cannot both pass (under PostgreSQL's READ COMMITTED the second one
/// re-reads the row the first one changed). A usage entry is never positive.
pub(super) async fn post<C: ConnectionTrait>(
    db: &C,
    wallet_id: Uuid,
    entry: Entry,
    keep_non_negative: bool,
) -> Result<Posted, AppError> {
    if entry.kind == EntryKind::Usage && entry.amount_cents > 0 {
        return Err(AppError::internal(format!(
            "a usage entry of +{} cents was refused",
            entry.amount_cents
        )));
    }
    if let Some(key) = &entry.idempotency_key
        && credit_transaction::Entity::find()
            .filter(credit_transaction::Column::WalletId.eq(wallet_id))
            .filter(credit_transaction::Column::IdempotencyKey.eq(key))
            .one(db)
            .await?
            .is_some()
    {
        return Ok(Posted::Duplicate);
    }
    let now = Utc::now();
    // One statement moves the balance, so concurrent entries add up exactly.
    let mut update = credit_wallet::Entity::update_many()
        .col_expr(
            credit_wallet::Column::BalanceCents,
            Expr::col(credit_wallet::Column::BalanceCents).add(entry.amount_cents),
        )
        .col_expr(credit_wallet::Column::UpdatedAt, Expr::value(now))
        .filter(credit_wallet::Column::Id.eq(wallet_id));
    if keep_non_negative {
        update = update.filter(
            Expr::col(credit_wallet::Column::BalanceCents)
                .add(entry.amount_cents)
                .gte(0),
        );
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Ok(Posted::Short);
    }
    let balance = credit_wallet::Entity::find_by_id(wallet_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The wallet"))?
        .balance_cents;
    let row = credit_transaction::ActiveModel {
        id: Set(Uuid::now_v7()),
        wallet_id: Set(wallet_id),
        kind: Set(entry.kind),
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
    Ok(Posted::Booked(row))
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
    let cents = i64::from(minutes)
        .checked_mul(i64::from(rate))
        .filter(|c| *c >= 0)
        .ok_or_else(|| AppError::internal(format!("{minutes} min at {rate}¢ is out of range")))?;
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
                Owner::Workspace(_) => BilledTo::Workspace,
                Owner::Partner(_) => BilledTo::Partner,
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

/// What the workspace has to spend, and whether it is read-only for want of it. A
/// workspace is paywalled when it is not billing-exempt and its balance is at or below
/// zero. (Subscriptions, which will also lift it, arrive with Stripe.) A wallet never
/// opened still holds the free tier's credit.
/// A workspace's credit from its wallet's figures (a workspace without a wallet yet has the
/// free tier's grant).
pub fn credits_of(ws: &workspace::Model, wallet: Option<WalletFigures>) -> Credits {
    let WalletFigures {
        balance_cents,
        low_balance_threshold_cents,
    } = wallet.unwrap_or(WalletFigures {
        balance_cents: FREE_TIER_GRANT_CENTS,
        low_balance_threshold_cents: DEFAULT_WORKSPACE_LOW_BALANCE_CENTS,
    });
    Credits {
        balance_cents,
        rate_cents: ws.per_minute_rate_cents,
        low_balance_threshold_cents,
        billing_exempt: ws.is_billing_exempt,
        paywalled: !ws.is_billing_exempt && balance_cents <= 0,
    }
}

impl From<&credit_wallet::Model> for WalletFigures {
    fn from(wallet: &credit_wallet::Model) -> Self {
        Self {
            balance_cents: wallet.balance_cents,
            low_balance_threshold_cents: wallet.low_balance_threshold_cents,
        }
    }
}

pub async fn credits<C: ConnectionTrait>(
    db: &C,
    ws: &workspace::Model,
) -> Result<Credits, AppError> {
    let wallet = credit_wallet::Entity::find()
        .filter(credit_wallet::Column::WorkspaceId.eq(ws.id))
        .one(db)
        .await?;
    Ok(credits_of(ws, wallet.as_ref().map(WalletFigures::from)))
}

/// 402 with the way to the billing page when the workspace is paywalled.
pub async fn ensure_not_paywalled<C: ConnectionTrait>(
    db: &C,
    ws: &workspace::Model,
) -> Result<(), AppError> {
    if credits(db, ws).await?.paywalled {
        return Err(AppError::PaymentRequired {
            message: "Credits exhausted: this workspace is read-only until credits are added \
                      on its Billing page."
                .into(),
            billing_url: format!("/w/{}/billing", ws.slug),
        });
    }
    Ok(())
}

pub const LEDGER_PAGE_SIZE: u64 = 25;

/// A page (from 1) of the workspace's ledger, newest first, with who booked manual entries.
pub async fn ledger<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    page: u32,
) -> Result<LedgerPage, AppError> {
    use sea_orm::{PaginatorTrait, QueryOrder};
    let Some(wallet) = credit_wallet::Entity::find()
        .filter(credit_wallet::Column::WorkspaceId.eq(workspace_id))
        .one(db)
        .await?
    else {
        return Ok(LedgerPage {
            entries: Vec::new(),
            page: 1,
            total_pages: 1,
        });
    };
    let pages = credit_transaction::Entity::find()
        .filter(credit_transaction::Column::WalletId.eq(wallet.id))
        .order_by_desc(credit_transaction::Column::CreatedAt)
        .order_by_desc(credit_transaction::Column::Id)
        .find_also_related(user::Entity)
        .paginate(db, LEDGER_PAGE_SIZE);
    let total_pages = Ord::max(
        u32::try_from(pages.num_pages().await?).unwrap_or(u32::MAX),
        1,
    );
    let page = page.clamp(1, total_pages);
    let rows = pages.fetch_page(u64::from(page - 1)).await?;
    Ok(LedgerPage {
        entries: rows
            .into_iter()
            .map(|(t, actor)| LedgerEntry {
                id: t.id,
                kind: t.kind,
                amount_cents: t.amount_cents,
                balance_after_cents: t.balance_after_cents,
                description: t.description,
                conversation_id: t.conversation_id,
                actor: actor.map(|u| u.display_name()),
                created_at: t.created_at,
            })
            .collect(),
        page,
        total_pages,
    })
}
