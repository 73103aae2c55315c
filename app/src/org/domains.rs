//! An organisation's own domains: added with a token, proven by a TXT record at
//! `_genius365.{domain}` (a CNAME to the platform sends its visitors here), made primary
//! (emails link to it), removed. A domain serves nothing until it is proven. Each change
//! is audited; the caller forgets the partner cache.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{DOMAIN_RECORD_LABEL, DomainList, DomainRow};
use crate::access::context::PartnerCtx;
use crate::db::entity::{partner, partner_domain};
use crate::error::AppError;
use crate::tenancy::model::parse_hostname;
use crate::tenancy::service::strip_port;

/// Domains an organisation may hold.
pub const MAX_DOMAINS: usize = 10;
/// How long an unproven claim keeps a domain from other organisations.
pub const CLAIM_LAPSES: chrono::Duration = chrono::Duration::days(7);

/// The organisation's domains, primary first, with the records each needs.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    platform_domain: &str,
) -> Result<DomainList, AppError> {
    let target = strip_port(platform_domain).to_owned();
    let domains = partner_domain::Entity::find()
        .filter(partner_domain::Column::PartnerId.eq(partner.id))
        .order_by_desc(partner_domain::Column::IsPrimary)
        .order_by_asc(partner_domain::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|d| row(d, &target))
        .collect();
    Ok(DomainList {
        domains,
        platform_address: (!partner.is_platform_partner)
            .then(|| format!("{}.{target}", partner.slug)),
    })
}

fn row(d: partner_domain::Model, target: &str) -> DomainRow {
    let host = strip_port(&d.hostname).to_owned();
    DomainRow {
        id: d.id,
        txt_name: format!("{DOMAIN_RECORD_LABEL}.{host}"),
        txt_value: record_value(d.verification_token.as_deref().unwrap_or_default()),
        cname_target: target.to_owned(),
        is_primary: d.is_primary,
        verified: d.verified_at.is_some(),
        checked_at: d.checked_at,
        check_error: d.check_error,
        hostname: d.hostname,
    }
}

/// What the TXT record says.
pub fn record_value(token: &str) -> String {
    format!("genius365-verify={token}")
}

/// Adds `hostname` to the organisation, unproven, with a new token.
pub async fn add<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    hostname: &str,
    platform_domain: &str,
) -> Result<partner_domain::Model, AppError> {
    let Some(host) = parse_hostname(hostname, false) else {
        return Err(AppError::invalid(
            "hostname",
            "Give a domain name like calls.youragency.com: no https://, path or port.",
        ));
    };
    let platform = strip_port(platform_domain);
    if host == platform || host.ends_with(&format!(".{platform}")) {
        return Err(AppError::invalid(
            "hostname",
            format!("Addresses under {platform} are the platform's; use a domain of your own."),
        ));
    }
    if !host.contains('.') || host.parse::<std::net::IpAddr>().is_ok() {
        return Err(AppError::invalid(
            "hostname",
            "Give a full domain name like calls.youragency.com.",
        ));
    }
    let partner_id = ctx.user.partner.id;
    // Another organisation's claim never proven within a week lapses: a domain cannot be
    // held hostage by someone who cannot create its records.
    partner_domain::Entity::delete_many()
        .filter(partner_domain::Column::Hostname.eq(&host))
        .filter(partner_domain::Column::PartnerId.ne(partner_id))
        .filter(partner_domain::Column::VerifiedAt.is_null())
        .filter(partner_domain::Column::CreatedAt.lt(Utc::now() - CLAIM_LAPSES))
        .exec(db)
        .await?;
    if let Some(taken) = partner_domain::Entity::find()
        .filter(partner_domain::Column::Hostname.eq(&host))
        .one(db)
        .await?
    {
        return Err(AppError::invalid(
            "hostname",
            if taken.partner_id == partner_id {
                "This domain is already on your list."
            } else {
                "This domain is taken by another organization. If it is yours, contact support."
            },
        ));
    }
    let held = partner_domain::Entity::find()
        .filter(partner_domain::Column::PartnerId.eq(partner_id))
        .all(db)
        .await?
        .len();
    if held >= MAX_DOMAINS {
        return Err(AppError::invalid(
            "hostname",
            format!("An organization has at most {MAX_DOMAINS} domains; remove one first."),
        ));
    }
    let token = hex::encode(rand::random::<[u8; 16]>());
    let added = partner_domain::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        hostname: Set(host.clone()),
        is_primary: Set(false),
        verified_at: Set(None),
        created_at: Set(Utc::now()),
        verification_token: Set(Some(token)),
        checked_at: Set(None),
        check_error: Set(None),
    }
    .insert(db)
    .await?;
    audit(
        db,
        ctx,
        "domain.added",
        &added,
        json!({}),
        json!({"hostname": host}),
    )
    .await?;
    Ok(added)
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    Verified,
    AlreadyVerified,
    /// Not yet: why, in words for the page.
    NotYet(String),
}

/// Looks for the domain's TXT record and, when it says the token, proves the domain.
/// The DNS question is asked before any write, so no transaction waits on it.
pub async fn verify(
    db: &sea_orm::DatabaseConnection,
    config: &crate::config::Config,
    ctx: &PartnerCtx,
    id: Uuid,
) -> Result<(partner_domain::Model, Checked), AppError> {
    let domain = own(db, ctx, id).await?;
    if domain.verified_at.is_some() {
        return Ok((domain, Checked::AlreadyVerified));
    }
    let token = domain.verification_token.clone().unwrap_or_default();
    let name = format!("{DOMAIN_RECORD_LABEL}.{}", strip_port(&domain.hostname));
    let wanted = record_value(&token);
    let outcome = match super::dns::txt_records(config.dns_resolver, &name).await {
        Ok(found) if !token.is_empty() && found.iter().any(|t| t.trim() == wanted) => Ok(()),
        Ok(found) if found.is_empty() => Err(format!(
            "No TXT record at {name} yet. DNS changes can take a few minutes to show."
        )),
        Ok(found) => {
            let said: String = found.join("\", \"").chars().take(200).collect();
            Err(format!(
                "The TXT record at {name} says \"{said}\", not \"{wanted}\"."
            ))
        }
        Err(why) => Err(format!(
            "We could not check {name}: {why}. Try again shortly."
        )),
    };
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let mut active = domain.clone().into_active_model();
    active.checked_at = Set(Some(now));
    let checked = match outcome {
        Ok(()) => {
            active.verified_at = Set(Some(now));
            active.check_error = Set(None);
            Checked::Verified
        }
        Err(why) => {
            active.check_error = Set(Some(why.clone()));
            Checked::NotYet(why)
        }
    };
    let saved = active.update(&txn).await?;
    if checked == Checked::Verified {
        audit(
            &txn,
            ctx,
            "domain.verified",
            &saved,
            json!({"verified": false}),
            json!({"verified": true}),
        )
        .await?;
        super::notices::domain_verified(&txn, config, ctx, &saved).await?;
    }
    txn.commit().await?;
    Ok((saved, checked))
}

/// Makes a proven domain the one emails link to; the previous primary stays, unmarked.
pub async fn make_primary<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    id: Uuid,
) -> Result<partner_domain::Model, AppError> {
    let domain = own(db, ctx, id).await?;
    if domain.verified_at.is_none() {
        return Err(AppError::invalid(
            "id",
            "Verify the domain first: an unproven domain serves nothing.",
        ));
    }
    if domain.is_primary {
        return Ok(domain);
    }
    partner_domain::Entity::update_many()
        .col_expr(
            partner_domain::Column::IsPrimary,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(partner_domain::Column::PartnerId.eq(ctx.user.partner.id))
        .exec(db)
        .await?;
    let mut active = domain.into_active_model();
    active.is_primary = Set(true);
    let saved = active.update(db).await?;
    audit(
        db,
        ctx,
        "domain.made_primary",
        &saved,
        json!({"primary": false}),
        json!({"primary": true}),
    )
    .await?;
    Ok(saved)
}

/// Removes a domain: it serves nothing from now on. Returns its name.
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    id: Uuid,
) -> Result<String, AppError> {
    let domain = own(db, ctx, id).await?;
    if ctx.user.partner.is_platform_partner && domain.is_primary {
        return Err(AppError::invalid(
            "id",
            "The platform's primary domain stays: make another one primary first.",
        ));
    }
    partner_domain::Entity::delete_by_id(domain.id)
        .exec(db)
        .await?;
    audit(
        db,
        ctx,
        "domain.removed",
        &domain,
        json!({"hostname": domain.hostname}),
        json!({}),
    )
    .await?;
    Ok(domain.hostname)
}

async fn own<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    id: Uuid,
) -> Result<partner_domain::Model, AppError> {
    partner_domain::Entity::find_by_id(id)
        .filter(partner_domain::Column::PartnerId.eq(ctx.user.partner.id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The domain"))
}

async fn audit<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    action: &'static str,
    domain: &partner_domain::Model,
    old: serde_json::Value,
    new: serde_json::Value,
) -> Result<(), AppError> {
    let entry = ctx.audit((action, "domain", domain.hostname.clone()), old, new);
    crate::audit::record(db, entry, &ctx.user.meta).await
}
