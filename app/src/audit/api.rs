//! The audit log's server functions: an organisation's entries for its owners and admins,
//! and everyone's for the super admin.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use super::model::{AuditFilter, AuditPage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service::{self, Scope},
    crate::access::guard::{require_partner, require_super_admin},
    crate::access::permission::PartnerPermission,
    crate::state::app_state,
};

/// Page `page` (from 1) of the organisation's log, newest first.
#[server(input = GetUrl, prefix = "/api", endpoint = "org/audit")]
pub async fn org_audit(
    #[server(default)] filter: AuditFilter,
    #[server(default)] page: u32,
) -> Result<AuditPage, AppError> {
    let ctx = require_partner(PartnerPermission::AuditRead).await?;
    let mut query = filter.check()?;
    // Another organisation is not the admin's to read: the choice is ignored.
    query.organisation = None;
    service::page(
        &app_state()?.db,
        Scope::Organisation(ctx.user.partner.id),
        &query,
        page,
    )
    .await
}

/// Page `page` (from 1) of every organisation's log, newest first.
#[server(input = GetUrl, prefix = "/api", endpoint = "super-admin/audit")]
pub async fn all_audit(
    #[server(default)] filter: AuditFilter,
    #[server(default)] page: u32,
) -> Result<AuditPage, AppError> {
    require_super_admin().await?;
    let query = filter.check()?;
    service::page(&app_state()?.db, Scope::Everything, &query, page).await
}
