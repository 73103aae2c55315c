//! Admitting a call to start: the paywall reads the balance, but fifty calls started in the
//! same second all read the same last minute of credit. So a start first sets a minute aside
//! (a hold), in a transaction that holds the workspace's wallet: a call may start only while
//! the balance, less a minute for every call in flight and every hold, is above zero. Of any
//! number of simultaneous starts at a balance of one minute, one is admitted; the overdraw
//! is bounded by the length of the calls admitted, never by how many were attempted.
//!
//! A hold is released when the start has done its work (the call is then stored, and counts
//! as in flight itself) and expires after [`HOLD_TTL`] otherwise (a browser that never
//! reports the VAPI call it created).

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::service::{Owner, wallet};
use crate::calls::model::CallStatus;
use crate::db::entity::{call_hold, conversation, credit_wallet, workspace};
use crate::error::AppError;

/// How long a start may take before its hold lapses.
pub const HOLD_TTL: Duration = Duration::minutes(2);
/// Calls still open after this long are left to the sweep that closes stale calls; they no
/// longer hold credit back.
const IN_FLIGHT_WINDOW: Duration = Duration::hours(2);

/// A minute of credit set aside for a call being started. Release it once the call is
/// stored (or its start failed); a dropped hold simply lapses.
#[derive(Debug)]
#[must_use = "release the hold once the call is stored or its start failed"]
pub struct CallHold {
    id: Option<Uuid>,
}

impl CallHold {
    pub async fn release(self, db: &DatabaseConnection) -> Result<(), AppError> {
        if let Some(id) = self.id {
            call_hold::Entity::delete_by_id(id).exec(db).await?;
        }
        Ok(())
    }
}

/// Admits one call of `ws` to start, or answers 402 when its credit is spent or already
/// committed to the calls in flight. Billing-exempt workspaces are charged to their partner
/// and are never held back.
pub async fn admit_call(
    db: &DatabaseConnection,
    ws: &workspace::Model,
) -> Result<CallHold, AppError> {
    if ws.is_billing_exempt {
        return Ok(CallHold { id: None });
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    // Opens the wallet when needed, then holds its row until commit (SQLite's write lock,
    // taken by `begin_write`, already serialises this).
    let wallet_id = wallet(&txn, Owner::Workspace(ws.id)).await?.id;
    let mut locked = credit_wallet::Entity::find_by_id(wallet_id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        locked = locked.lock_exclusive();
    }
    let balance = locked
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("The wallet"))?
        .balance_cents;
    let in_flight = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(ws.id))
        .filter(conversation::Column::Status.is_in(CallStatus::RUNNING))
        .filter(conversation::Column::CreatedAt.gt(now - IN_FLIGHT_WINDOW))
        .count(&txn)
        .await?;
    let holds: i64 = call_hold::Entity::find()
        .filter(call_hold::Column::WorkspaceId.eq(ws.id))
        .filter(call_hold::Column::ExpiresAt.gt(now))
        .all(&txn)
        .await?
        .iter()
        .map(|h| h.cents)
        .fold(0, i64::saturating_add);
    let minute = i64::from(ws.per_minute_rate_cents.max(1));
    let committed = minute
        .saturating_mul(i64::try_from(in_flight).unwrap_or(i64::MAX))
        .saturating_add(holds);
    if balance.saturating_sub(committed) <= 0 {
        return Err(AppError::PaymentRequired {
            message: if balance <= 0 {
                "Credits exhausted: this workspace is read-only until credits are added on its \
                 Billing page."
                    .into()
            } else {
                "The credit left is set aside for the calls in progress. Wait for them to end, \
                 or add credit on the Billing page."
                    .into()
            },
            billing_url: format!("/w/{}/billing", ws.slug),
        });
    }
    let id = Uuid::now_v7();
    call_hold::ActiveModel {
        id: Set(id),
        workspace_id: Set(ws.id),
        cents: Set(minute),
        expires_at: Set(now + HOLD_TTL),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(CallHold { id: Some(id) })
}

/// Forgets lapsed holds (housekeeping).
pub async fn purge_expired<C: ConnectionTrait>(db: &C) -> Result<u64, AppError> {
    Ok(call_hold::Entity::delete_many()
        .filter(call_hold::Column::ExpiresAt.lte(Utc::now()))
        .exec(db)
        .await?
        .rows_affected)
}

/// The periodic job that runs [`purge_expired`].
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PurgeHolds;

impl crate::jobs::Job for PurgeHolds {
    const KIND: &'static str = "call_holds.purge";

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        purge_expired(&cx.state.db).await?;
        Ok(())
    }
}
