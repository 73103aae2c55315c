//! Billing server functions: a workspace's credit and ledger (anyone who can open it), and
//! the organisation's manual credits and per-minute rates (partner owners and admins).

use leptos::prelude::*;
use server_fn::codec::GetUrl;
use uuid::Uuid;

use super::model::{Credits, LedgerPage, WorkspaceBilling};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{Cents, parse_rate},
    super::service,
    crate::access::context::PartnerCtx,
    crate::access::guard::{require_partner, require_workspace},
    crate::access::permission::{PartnerPermission, WorkspacePermission},
    crate::state::app_state,
};

#[cfg(feature = "ssr")]
async fn org_billing() -> Result<PartnerCtx, AppError> {
    require_partner(PartnerPermission::BillingUpdate).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "billing/credits")]
pub async fn workspace_credits(slug: String) -> Result<Credits, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::BillingRead).await?;
    let state = app_state()?;
    service::credits(&state.db, &ctx.workspace).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "billing/ledger")]
pub async fn workspace_ledger(slug: String, page: u32) -> Result<LedgerPage, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::BillingRead).await?;
    let state = app_state()?;
    service::ledger(&state.db, ctx.id(), page).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "org/billing/workspaces")]
pub async fn org_workspace_billing() -> Result<Vec<WorkspaceBilling>, AppError> {
    let ctx = org_billing().await?;
    let state = app_state()?;
    super::org::partner_workspaces(&state.db, ctx.user.partner.id).await
}

/// Grants credit to a workspace, or takes it back with a minus sign, for a stated reason.
#[server(prefix = "/api", endpoint = "org/billing/adjust")]
pub async fn adjust_credits(
    workspace_id: Uuid,
    amount: String,
    reason: String,
) -> Result<Credits, AppError> {
    let ctx = org_billing().await?;
    let state = app_state()?;
    let amount = Cents::parse_dollars(&amount).map_err(|m| AppError::invalid("amount", m))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let credits = super::org::adjust(&txn, &ctx, workspace_id, amount, &reason).await?;
    txn.commit().await?;
    crate::components::toast::flash(&format!(
        "Saved. The balance is now {}.",
        super::model::dollars(credits.balance_cents)
    ));
    Ok(credits)
}

#[server(prefix = "/api", endpoint = "org/billing/rate")]
pub async fn set_workspace_rate(
    workspace_id: Uuid,
    rate_cents: String,
) -> Result<Credits, AppError> {
    let ctx = org_billing().await?;
    let state = app_state()?;
    let rate = parse_rate(&rate_cents).map_err(|m| AppError::invalid("rate_cents", m))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let credits = super::org::set_rate(&txn, &ctx, workspace_id, rate).await?;
    txn.commit().await?;
    crate::components::toast::flash(&format!(
        "Saved. A minute now costs {}.",
        super::model::dollars(i64::from(credits.rate_cents))
    ));
    Ok(credits)
}
