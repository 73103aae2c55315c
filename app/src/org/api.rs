//! The organisation overview's server functions (its owners and admins).

use leptos::prelude::*;
use uuid::Uuid;

use super::model::OrgOverview;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service::{self, Placed},
    crate::access::guard::require_partner,
    crate::access::permission::PartnerPermission,
    crate::state::app_state,
    crate::tenancy::model::WorkspaceRole,
};

/// The organisation at a glance: figures, workspaces and team.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/overview")]
pub async fn get_org_overview() -> Result<OrgOverview, AppError> {
    let ctx = require_partner(PartnerPermission::StatsRead).await?;
    service::overview(&app_state()?.db, &ctx).await
}

/// Gives a team member `role` in a workspace of the organisation (or changes it).
#[server(prefix = "/api", endpoint = "org/place-member")]
pub async fn place_member(
    user_id: String,
    workspace_id: String,
    role: String,
) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::MembersManage).await?;
    let mut fields = crate::error::FieldErrors::new();
    use crate::error::AddFieldError;
    let user_id = Uuid::parse_str(user_id.trim())
        .map_err(|_| fields.add("user_id", "Choose someone from the team."))
        .ok();
    let workspace_id = Uuid::parse_str(workspace_id.trim())
        .map_err(|_| fields.add("workspace_id", "Choose a workspace."))
        .ok();
    let role = WorkspaceRole::parse(role.trim())
        .ok_or_else(|| fields.add("role", "Choose owner, admin, member or viewer."))
        .ok();
    let (Some(user_id), Some(workspace_id), Some(role)) = (user_id, workspace_id, role) else {
        return Err(AppError::from_fields(fields).unwrap_or(AppError::Internal));
    };
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let placed = service::place_member(&txn, &ctx, user_id, workspace_id, role).await?;
    txn.commit().await?;
    crate::components::toast::flash(match placed {
        Placed::Added => "Added to the workspace.",
        Placed::RoleChanged => "Their role in the workspace is changed.",
        Placed::AlreadyThere => "They already had that role there.",
    });
    Ok(())
}

/// Bills a workspace's minutes to the organisation (`exempt`) or to its own credit.
#[server(prefix = "/api", endpoint = "org/billing-exempt")]
pub async fn set_billing_exempt(workspace_id: Uuid, exempt: bool) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::BillingUpdate).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let name = service::set_billing_exempt(&txn, &ctx, workspace_id, exempt).await?;
    txn.commit().await?;
    crate::components::toast::flash(&if exempt {
        format!("{name}'s minutes are now charged to the organization.")
    } else {
        format!("{name} now pays for its minutes from its own credit.")
    });
    Ok(())
}

/// The brand as its settings page shows it (organisation owners and admins).
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/brand")]
pub async fn get_brand_settings() -> Result<super::model::BrandSettings, AppError> {
    let ctx = require_partner(PartnerPermission::BrandingUpdate).await?;
    let state = app_state()?;
    super::brand::settings(&state.db, &ctx.user.partner, &state.config.platform_domain).await
}

/// Saves the brand's names, colours, sender and support contacts; the organisation's
/// pages show them from the next request.
#[server(prefix = "/api", endpoint = "org/brand/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_brand(
    name: String,
    display_name: String,
    primary: String,
    accent: String,
    sender_name: String,
    support_email: String,
    support_url: String,
) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::BrandingUpdate).await?;
    let state = app_state()?;
    let form = super::brand::BrandForm {
        name,
        display_name,
        primary,
        accent,
        sender_name,
        support_email,
        support_url,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    super::brand::save(&txn, &ctx, &form).await?;
    txn.commit().await?;
    state.partners.invalidate();
    crate::components::toast::flash("Brand saved. Your pages and emails use it now.");
    Ok(())
}

/// Removes the logo or the favicon.
#[server(prefix = "/api", endpoint = "org/brand/remove-image")]
pub async fn remove_brand_image(kind: String) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::BrandingUpdate).await?;
    let kind = super::model::BrandImage::parse(kind.trim())
        .ok_or_else(|| AppError::invalid("kind", "Choose the logo or the favicon."))?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    super::brand::remove_image(&txn, &ctx, kind).await?;
    txn.commit().await?;
    state.partners.invalidate();
    crate::components::toast::flash(&format!("{} removed.", kind.label()));
    Ok(())
}

/// The organisation's domains with the DNS records each needs.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "org/domains")]
pub async fn list_domains() -> Result<super::model::DomainList, AppError> {
    let ctx = require_partner(PartnerPermission::DomainsManage).await?;
    let state = app_state()?;
    super::domains::list(&state.db, &ctx.user.partner, &state.config.platform_domain).await
}

/// Adds a domain, unproven; the page then shows the records to create.
#[server(prefix = "/api", endpoint = "org/domains/add")]
pub async fn add_domain(hostname: String) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::DomainsManage).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let added = super::domains::add(&txn, &ctx, &hostname, &state.config.platform_domain).await?;
    txn.commit().await?;
    crate::components::toast::flash(&format!(
        "{} added. Create its DNS records, then verify it.",
        added.hostname
    ));
    Ok(())
}

/// Looks for the domain's TXT record now; proven, it serves the organisation's pages.
#[server(prefix = "/api", endpoint = "org/domains/verify")]
pub async fn verify_domain(id: Uuid) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::DomainsManage).await?;
    let state = app_state()?;
    let (domain, checked) = super::domains::verify(&state.db, &state.config, &ctx, id).await?;
    use super::domains::Checked;
    match checked {
        Checked::Verified => {
            state.partners.invalidate();
            crate::components::toast::flash(&format!(
                "{} is verified and serves your pages now.",
                domain.hostname
            ));
            Ok(())
        }
        Checked::AlreadyVerified => Ok(()),
        Checked::NotYet(why) => Err(AppError::invalid("id", why)),
    }
}

/// Makes a proven domain the one emails link to.
#[server(prefix = "/api", endpoint = "org/domains/primary")]
pub async fn make_primary_domain(id: Uuid) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::DomainsManage).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let domain = super::domains::make_primary(&txn, &ctx, id).await?;
    txn.commit().await?;
    state.partners.invalidate();
    crate::components::toast::flash(&format!(
        "{} is the primary domain: emails link to it.",
        domain.hostname
    ));
    Ok(())
}

/// Removes a domain: it serves nothing from now on.
#[server(prefix = "/api", endpoint = "org/domains/remove")]
pub async fn remove_domain(id: Uuid) -> Result<(), AppError> {
    let ctx = require_partner(PartnerPermission::DomainsManage).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    let hostname = super::domains::remove(&txn, &ctx, id).await?;
    txn.commit().await?;
    state.partners.invalidate();
    crate::components::toast::flash(&format!("{hostname} removed; it serves nothing now."));
    Ok(())
}
