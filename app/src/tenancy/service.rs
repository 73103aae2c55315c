//! Tenancy queries and writes on an explicit connection or transaction.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{
    Branding, PartnerBrand, PartnerRole, PartnerStatus, PlanTier, Slug, WorkspaceRole,
    WorkspaceStatus,
};
use crate::db::entity::{partner, partner_domain, partner_member, workspace, workspace_member};

/// The partner a request's host resolved to, put in the request's extensions by the server.
#[derive(Debug, Clone)]
pub struct CurrentPartner(pub Arc<partner::Model>);

/// How hosts map to partners on this deployment.
#[derive(Debug, Clone)]
pub struct HostRules {
    /// The platform domain, e.g. `genius365.app` (a port, if any, is ignored).
    pub platform_domain: String,
    /// Local work only: this partner wins whatever the host.
    pub dev_partner_slug: Option<String>,
    /// In production a host that is no partner's is served nothing (a 404), and
    /// `*.localhost` means nothing; locally every unknown host is the platform's.
    pub production: bool,
}

/// The partner serving `host`: the dev override, an exact `partner_domains` match (with or
/// without port), the first label as a slug under the platform domain (or, locally,
/// `localhost`), then the platform partner: in production only on the platform domain
/// itself, locally on any host. `None`: nobody serves this host.
pub async fn resolve_partner<C: ConnectionTrait>(
    db: &C,
    host: &str,
    rules: &HostRules,
) -> Result<Option<partner::Model>, DbErr> {
    if let Some(slug) = rules.dev_partner_slug.as_deref()
        && let Some(found) = partner_by_slug(db, slug).await?
    {
        return Ok(Some(found));
    }

    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let bare = strip_port(&host);
    let mut candidates = vec![host.clone()];
    if bare != host {
        candidates.push(bare.to_owned());
    }
    let by_domain = partner::Entity::find()
        .inner_join(partner_domain::Entity)
        .filter(partner_domain::Column::Hostname.is_in(candidates))
        .filter(partner_domain::Column::VerifiedAt.is_not_null())
        .filter(partner::Column::DeletedAt.is_null())
        .one(db)
        .await?;
    if by_domain.is_some() {
        return Ok(by_domain);
    }

    let platform_domain = strip_port(&rules.platform_domain);
    let slug = if rules.production {
        subdomain_of(bare, platform_domain)
    } else {
        subdomain_slug(bare, platform_domain)
    };
    if let Some(slug) = slug
        && let Some(found) = partner_by_slug(db, slug).await?
    {
        return Ok(Some(found));
    }

    if rules.production && bare != platform_domain {
        return Ok(None);
    }
    platform_partner(db).await
}

pub async fn platform_partner<C: ConnectionTrait>(db: &C) -> Result<Option<partner::Model>, DbErr> {
    partner::Entity::find()
        .filter(partner::Column::IsPlatformPartner.eq(true))
        .filter(partner::Column::DeletedAt.is_null())
        .one(db)
        .await
}

pub async fn partner_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<partner::Model>, DbErr> {
    partner::Entity::find()
        .filter(partner::Column::Slug.eq(slug))
        .filter(partner::Column::DeletedAt.is_null())
        .one(db)
        .await
}

/// `host` without a trailing `:port` (IPv6 literals keep their brackets).
pub fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(i)
            if !host[i + 1..].is_empty()
                && host[i + 1..].bytes().all(|b| b.is_ascii_digit())
                && !host[..i].ends_with(':') =>
        {
            &host[..i]
        }
        _ => host,
    }
}

/// The partner slug a host carries as its first label under the platform domain or
/// `localhost`: `acme.genius365.app` → `acme`. Deeper names and the bare domain give none.
pub fn subdomain_slug<'h>(host: &'h str, platform_domain: &str) -> Option<&'h str> {
    subdomain_of(host, platform_domain).or_else(|| subdomain_of(host, "localhost"))
}

/// The first label of `host` directly under `parent`.
fn subdomain_of<'h>(host: &'h str, parent: &str) -> Option<&'h str> {
    let label = host.strip_suffix(parent)?.strip_suffix('.')?;
    (!label.is_empty() && !label.contains('.')).then_some(label)
}

/// The brand a partner presents; unusable stored values fall back to defaults.
pub fn brand(partner: &partner::Model) -> PartnerBrand {
    let branding: Branding = serde_json::from_value(partner.branding.clone()).unwrap_or_default();
    PartnerBrand::new(
        partner.id,
        &partner.slug,
        &partner.name,
        partner.is_platform_partner,
        &branding,
    )
}

/// The origin (`scheme://host[:port]`) of the partner's own host, for links in emails.
/// Built from what the partner owns (its primary domain, else its slug under the platform
/// domain; the app URL for the platform partner), never from the request's Host header,
/// so a forged Host cannot redirect a reset link.
pub async fn partner_origin<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    app_url: &str,
    platform_domain: &str,
) -> Result<String, DbErr> {
    if partner.is_platform_partner {
        return Ok(app_url.to_owned());
    }
    let (scheme, rest) = app_url.split_once("://").unwrap_or(("http", app_url));
    let app_port = rest.rsplit_once(':').map(|(_, port)| port);
    let primary = partner_domain::Entity::find()
        .filter(partner_domain::Column::PartnerId.eq(partner.id))
        .filter(partner_domain::Column::VerifiedAt.is_not_null())
        .filter(partner_domain::Column::IsPrimary.eq(true))
        .one(db)
        .await?
        .map(|d| d.hostname);
    let host =
        primary.unwrap_or_else(|| format!("{}.{}", partner.slug, strip_port(platform_domain)));
    Ok(match app_port {
        Some(port) if !host.contains(':') => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The workspace's chosen zone (IANA), if it chose one that is still a zone.
pub fn time_zone_of(ws: &workspace::Model) -> Option<String> {
    ws.settings
        .get("time_zone")
        .and_then(serde_json::Value::as_str)
        .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
        .map(str::to_owned)
}

/// A workspace's name, description and zone, changed by its owners and admins; the slug
/// (its address) stays. Audited with what it was.
pub async fn update_workspace<C: ConnectionTrait>(
    db: &C,
    ctx: &crate::access::context::WorkspaceCtx,
    name: &str,
    description: &str,
    time_zone: &str,
) -> Result<workspace::Model, crate::error::AppError> {
    use crate::error::{AddFieldError, AppError};
    let mut fields = crate::error::FieldErrors::new();
    let input = match super::model::NewWorkspace::parse(name, description) {
        Ok(input) => Some(input),
        Err(AppError::Validation { fields: wrong, .. }) => {
            fields.extend(wrong);
            None
        }
        Err(other) => return Err(other),
    };
    let zone = time_zone.trim();
    if zone.parse::<chrono_tz::Tz>().is_err() {
        fields.add(
            "time_zone",
            "Choose a time zone from the list (like America/New_York).",
        );
    }
    let (Some(input), None) = (input, AppError::from_fields(fields.clone())) else {
        return Err(AppError::from_fields(fields).unwrap_or(AppError::Internal));
    };
    let before = ctx.workspace.clone();
    let mut settings = before.settings.clone();
    if let Some(map) = settings.as_object_mut() {
        map.insert("time_zone".into(), serde_json::json!(zone));
    } else {
        settings = serde_json::json!({ "time_zone": zone });
    }
    let mut active: workspace::ActiveModel = before.clone().into();
    active.name = Set(input.name.clone());
    active.description = Set(input.description.clone());
    active.settings = Set(settings);
    active.updated_at = Set(Utc::now());
    let saved = active.update(db).await?;
    crate::audit::record(
        db,
        crate::audit::Entry {
            old_values: Some(serde_json::json!({
                "name": before.name,
                "description": before.description,
                "time_zone": time_zone_of(&before),
            })),
            new_values: Some(serde_json::json!({
                "name": saved.name,
                "description": saved.description,
                "time_zone": zone,
            })),
            ..ctx.audit("workspace.updated", "workspace", saved.id)
        },
        &ctx.user.meta,
    )
    .await?;
    Ok(saved)
}

/// The brand as emails show it, and the origin their links use: the partner's primary
/// address. Site-relative images (an uploaded logo) become addresses on that origin, since
/// an email is read away from any page.
pub async fn email_brand<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    app_url: &str,
    platform_domain: &str,
) -> Result<(PartnerBrand, String), DbErr> {
    let origin = partner_origin(db, partner, app_url, platform_domain).await?;
    let mut brand = brand(partner);
    for url in [&mut brand.logo_url, &mut brand.favicon_url] {
        if let Some(path) = url.as_deref().filter(|u| u.starts_with('/')) {
            *url = Some(format!("{origin}{path}"));
        }
    }
    Ok((brand, origin))
}

/// Refuses (403) when the partner already has as many live workspaces as its plan allows
/// (`resource_limits.max_workspaces`). Every way of making a workspace asks this first.
pub async fn ensure_room_for_workspace<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
) -> Result<(), crate::error::AppError> {
    let limits = partner
        .resource_limits
        .get("max_workspaces")
        .and_then(|v| v.as_i64());
    if let Some(max) = limits.filter(|m| *m >= 0) {
        let current = workspace::Entity::find()
            .filter(workspace::Column::PartnerId.eq(partner.id))
            .filter(workspace::Column::DeletedAt.is_null())
            .count(db)
            .await?;
        if current >= max.unsigned_abs() {
            return Err(crate::error::AppError::Forbidden(format!(
                "The organisation has reached its limit of {max} workspaces."
            )));
        }
    }
    Ok(())
}

/// What creating a partner needs.
#[derive(Debug, Clone)]
pub struct NewPartner<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub branding: Branding,
    pub is_platform_partner: bool,
}

pub async fn create_partner<C: ConnectionTrait>(
    db: &C,
    new: NewPartner<'_>,
) -> Result<partner::Model, DbErr> {
    let now = Utc::now();
    partner::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(new.name.to_owned()),
        slug: Set(new.slug.to_owned()),
        branding: Set(serde_json::to_value(&new.branding).unwrap_or_default()),
        plan_tier: Set(if new.is_platform_partner {
            PlanTier::Platform
        } else {
            PlanTier::Partner
        }),
        features: Set(
            serde_json::json!({"api_access": true, "white_label": true, "custom_domain": true}),
        ),
        resource_limits: Set(serde_json::json!({
            "max_workspaces": 10,
            "max_users_per_workspace": 50,
            "max_agents_per_workspace": 20
        })),
        settings: Set(serde_json::json!({})),
        is_platform_partner: Set(new.is_platform_partner),
        is_billing_exempt: Set(new.is_platform_partner),
        status: Set(PartnerStatus::Active),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

pub async fn add_domain<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    hostname: &str,
    is_primary: bool,
) -> Result<partner_domain::Model, DbErr> {
    partner_domain::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        hostname: Set(hostname.trim().to_ascii_lowercase()),
        is_primary: Set(is_primary),
        verified_at: Set(Some(Utc::now())),
        created_at: Set(Utc::now()),
        verification_token: Set(None),
        checked_at: Set(None),
        check_error: Set(None),
    }
    .insert(db)
    .await
}

pub async fn create_workspace<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    name: &str,
    slug: &Slug,
    description: Option<&str>,
) -> Result<workspace::Model, DbErr> {
    let now = Utc::now();
    workspace::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        name: Set(name.to_owned()),
        slug: Set(slug.to_string()),
        description: Set(description.map(str::to_owned)),
        settings: Set(serde_json::json!({})),
        resource_limits: Set(
            serde_json::json!({"max_users": 20, "max_agents": 10, "max_minutes_per_month": 1000}),
        ),
        status: Set(WorkspaceStatus::Active),
        is_billing_exempt: Set(false),
        per_minute_rate_cents: Set(20),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// A slug for `name` not yet used in the partner: the name's slug (`workspace` for a
/// name without letters or digits), else with `-2`, `-3`… appended. The partner's slugs
/// are read once (deleted workspaces keep theirs).
pub async fn unique_workspace_slug<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    name: &str,
) -> Result<Slug, DbErr> {
    let taken: HashSet<String> = workspace::Entity::find()
        .select_only()
        .column(workspace::Column::Slug)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let base = Slug::from_name_or_workspace(name);
    // Finite: one of the first `taken.len() + 1` candidates is free.
    let free = std::iter::once(base.clone())
        .chain((2..).map(|n| base.numbered(n)))
        .find(|candidate| !taken.contains(candidate.as_str()))
        .unwrap_or(base);
    Ok(free)
}

pub async fn add_partner_member<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
    role: PartnerRole,
) -> Result<partner_member::Model, DbErr> {
    insert_partner_member(db, partner_id, user_id, role, None).await
}

async fn insert_partner_member<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
    role: PartnerRole,
    invited_by: Option<Uuid>,
) -> Result<partner_member::Model, DbErr> {
    let now = Utc::now();
    partner_member::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        user_id: Set(user_id),
        role: Set(role),
        invited_by: Set(invited_by),
        joined_at: Set(now),
        removed_at: Set(None),
        removed_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

pub async fn add_workspace_member<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    user_id: Uuid,
    role: WorkspaceRole,
) -> Result<workspace_member::Model, DbErr> {
    insert_workspace_member(db, workspace_id, user_id, role, None).await
}

async fn insert_workspace_member<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    user_id: Uuid,
    role: WorkspaceRole,
    invited_by: Option<Uuid>,
) -> Result<workspace_member::Model, DbErr> {
    let now = Utc::now();
    workspace_member::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id),
        user_id: Set(user_id),
        role: Set(role),
        invited_by: Set(invited_by),
        joined_at: Set(now),
        removed_at: Set(None),
        removed_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Makes the user a live member of the workspace with `role`: inserts, or brings back a
/// removed membership. An existing live membership is left as it is.
pub async fn ensure_workspace_member<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    user_id: Uuid,
    role: WorkspaceRole,
    invited_by: Option<Uuid>,
) -> Result<(), DbErr> {
    use sea_orm::IntoActiveModel;
    let existing = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.eq(workspace_id))
        .filter(workspace_member::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    match existing {
        Some(m) if m.removed_at.is_none() => Ok(()),
        Some(m) => {
            let now = Utc::now();
            let mut active = m.into_active_model();
            active.role = Set(role);
            active.removed_at = Set(None);
            active.removed_by = Set(None);
            active.invited_by = Set(invited_by);
            active.joined_at = Set(now);
            active.updated_at = Set(now);
            active.update(db).await.map(|_| ())
        }
        None => insert_workspace_member(db, workspace_id, user_id, role, invited_by)
            .await
            .map(|_| ()),
    }
}

/// Makes the user a live member of the partner: inserts, or brings back a removed
/// membership with `role`. A live member keeps their role unless `raise_to` is higher.
pub async fn ensure_partner_member<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    user_id: Uuid,
    raise_to: PartnerRole,
    invited_by: Option<Uuid>,
) -> Result<(), DbErr> {
    use sea_orm::IntoActiveModel;
    let existing = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let now = Utc::now();
    match existing {
        Some(m) => {
            let current = m.role;
            let live = m.removed_at.is_none();
            if live && current >= raise_to {
                return Ok(());
            }
            let mut active = m.into_active_model();
            active.role = Set(if live {
                current.max(raise_to)
            } else {
                raise_to
            });
            active.removed_at = Set(None);
            active.removed_by = Set(None);
            if !live {
                active.joined_at = Set(now);
                active.invited_by = Set(invited_by);
            }
            active.updated_at = Set(now);
            active.update(db).await.map(|_| ())
        }
        None => insert_partner_member(db, partner_id, user_id, raise_to, invited_by)
            .await
            .map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_stripped_but_ipv6_literals_survive() {
        assert_eq!(strip_port("acme.localhost:3000"), "acme.localhost");
        assert_eq!(strip_port("acme.localhost"), "acme.localhost");
        assert_eq!(strip_port("[::1]:3000"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
    }

    #[test]
    fn the_first_label_under_the_platform_domain_is_the_slug() {
        assert_eq!(
            subdomain_slug("acme.genius365.app", "genius365.app"),
            Some("acme")
        );
        assert_eq!(
            subdomain_slug("acme.localhost", "genius365.app"),
            Some("acme")
        );
        assert_eq!(subdomain_slug("genius365.app", "genius365.app"), None);
        assert_eq!(subdomain_slug("a.b.genius365.app", "genius365.app"), None);
        assert_eq!(subdomain_slug("acmegenius365.app", "genius365.app"), None);
        assert_eq!(subdomain_slug("localhost", "localhost"), None);
    }
}
