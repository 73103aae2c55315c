//! The organisation's brand: its names, colours, email sender and support contacts, and
//! its logo and favicon. Each change is audited; the caller forgets the partner cache so
//! the organisation's pages show it at once.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::images::Picture;
use super::model::{BrandImage, BrandSettings, contrast_checks};
use crate::access::context::PartnerCtx;
use crate::db::entity::{brand_asset, partner, partner_domain};
use crate::error::{AddFieldError, AppError, FieldErrors};
use crate::tenancy::model::{Branding, HexColor, PartnerBrand};

/// What the settings form sends.
#[derive(Debug, Clone, Default)]
pub struct BrandForm {
    pub name: String,
    pub display_name: String,
    pub primary: String,
    pub accent: String,
    pub sender_name: String,
    pub support_email: String,
    pub support_url: String,
}

/// Where a site-relative brand image is served.
pub fn image_path(sha256: &str) -> String {
    format!("/brand/{sha256}.png")
}

fn branding_of(partner: &partner::Model) -> Branding {
    serde_json::from_value(partner.branding.clone()).unwrap_or_default()
}

/// The brand as the settings page shows it.
pub async fn settings<C: ConnectionTrait>(
    db: &C,
    partner: &partner::Model,
    platform_domain: &str,
) -> Result<BrandSettings, AppError> {
    let branding = branding_of(partner);
    let brand = crate::tenancy::service::brand(partner);
    let mut hosts: Vec<String> = partner_domain::Entity::find()
        .filter(partner_domain::Column::PartnerId.eq(partner.id))
        .order_by_desc(partner_domain::Column::IsPrimary)
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.hostname)
        .collect();
    if !partner.is_platform_partner {
        let own = format!(
            "{}.{}",
            partner.slug,
            crate::tenancy::service::strip_port(platform_domain)
        );
        if !hosts.contains(&own) {
            hosts.push(own);
        }
    }
    Ok(BrandSettings {
        name: partner.name.clone(),
        display_name: branding.company_name.clone().unwrap_or_default(),
        slug: partner.slug.clone(),
        checks: contrast_checks(&brand.primary, &brand.secondary),
        primary: brand.primary.as_str().to_owned(),
        accent: brand.secondary.as_str().to_owned(),
        sender_name: branding.sender_name.unwrap_or_default(),
        support_email: branding.support_email.unwrap_or_default(),
        support_url: branding.support_url.unwrap_or_default(),
        logo_url: brand.logo_url,
        favicon_url: brand.favicon_url,
        hosts,
    })
}

/// Checks the form, naming each wrong field, and saves it; answers the new brand.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    form: &BrandForm,
) -> Result<PartnerBrand, AppError> {
    let mut fields = FieldErrors::new();
    let text = |t: &str| t.trim().to_owned();
    let name = text(&form.name);
    if name.is_empty() || name.chars().count() > 100 {
        fields.add("name", "Give the organization's name, 1 to 100 characters.");
    }
    let display_name = text(&form.display_name);
    if display_name.chars().count() > 100 {
        fields.add("display_name", "Use at most 100 characters.");
    }
    let mut color = |field: &str, value: &str| {
        let parsed = HexColor::parse(value);
        if parsed.is_none() {
            fields.add(field, "Use a colour like #7c3aed.");
        }
        parsed
    };
    let primary = color("primary", &form.primary);
    let accent = color("accent", &form.accent);
    let sender_name = text(&form.sender_name);
    if sender_name.chars().count() > 80 || sender_name.contains(['<', '>', '"', '@']) {
        fields.add(
            "sender_name",
            "Use at most 80 characters, without < > \" or @: it is the name, the address stays ours.",
        );
    }
    let support_email = text(&form.support_email);
    if !support_email.is_empty()
        && let Err(message) = crate::auth::model::Email::parse(&support_email)
    {
        fields.add("support_email", message);
    }
    let support_url = text(&form.support_url);
    if !support_url.is_empty()
        && (!(support_url.starts_with("https://") || support_url.starts_with("http://"))
            || support_url.chars().count() > 300
            || crate::tenancy::model::safe_image_url(&support_url).is_none())
    {
        fields.add(
            "support_url",
            "Give a web address starting with https://, at most 300 characters.",
        );
    }
    if let Some(error) = AppError::from_fields(fields) {
        return Err(error);
    }
    let partner = fresh(db, ctx.user.partner.id).await?;
    let before = branding_of(&partner);
    let optional = |t: String| (!t.is_empty()).then_some(t);
    let after = Branding {
        company_name: optional(display_name),
        primary_color: primary.map(|c| c.as_str().to_owned()),
        secondary_color: accent.map(|c| c.as_str().to_owned()),
        sender_name: optional(sender_name),
        support_email: optional(support_email),
        support_url: optional(support_url),
        ..before.clone()
    };
    let old_name = partner.name.clone();
    let mut active = partner.into_active_model();
    active.name = Set(name.clone());
    active.branding = Set(serde_json::to_value(&after).unwrap_or_default());
    active.updated_at = Set(Utc::now());
    let saved = active.update(db).await?;
    audit(
        db,
        ctx,
        "partner.branding_updated",
        json!({ "name": old_name, "branding": before }),
        json!({ "name": name, "branding": after }),
    )
    .await?;
    Ok(crate::tenancy::service::brand(&saved))
}

/// Stores `picture` as the organisation's `kind`, replacing the one before, and points
/// the brand at it.
pub async fn store_image<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    kind: BrandImage,
    picture: Picture,
) -> Result<String, AppError> {
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(&picture.png));
    let partner_id = ctx.user.partner.id;
    // Holds the partner's row first, so two uploads of one kind replace each other in turn.
    fresh(db, partner_id).await?;
    brand_asset::Entity::delete_many()
        .filter(brand_asset::Column::PartnerId.eq(partner_id))
        .filter(brand_asset::Column::Kind.eq(kind.as_str()))
        .exec(db)
        .await?;
    brand_asset::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        kind: Set(kind.as_str().to_owned()),
        content_type: Set("image/png".into()),
        sha256: Set(sha.clone()),
        width: Set(i32::try_from(picture.width).unwrap_or(i32::MAX)),
        height: Set(i32::try_from(picture.height).unwrap_or(i32::MAX)),
        bytes: Set(picture.png),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    let url = image_path(&sha);
    point_at(db, ctx, kind, Some(url.clone())).await?;
    Ok(url)
}

/// The organisation goes back to no `kind` (its initials, or the platform's favicon).
pub async fn remove_image<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    kind: BrandImage,
) -> Result<(), AppError> {
    brand_asset::Entity::delete_many()
        .filter(brand_asset::Column::PartnerId.eq(ctx.user.partner.id))
        .filter(brand_asset::Column::Kind.eq(kind.as_str()))
        .exec(db)
        .await?;
    point_at(db, ctx, kind, None).await
}

async fn point_at<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    kind: BrandImage,
    url: Option<String>,
) -> Result<(), AppError> {
    let partner = fresh(db, ctx.user.partner.id).await?;
    let mut branding = branding_of(&partner);
    let slot = match kind {
        BrandImage::Logo => &mut branding.logo_url,
        BrandImage::Favicon => &mut branding.favicon_url,
    };
    let before = slot.clone();
    *slot = url.clone();
    let mut active = partner.into_active_model();
    active.branding = Set(serde_json::to_value(&branding).unwrap_or_default());
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    let action = if url.is_some() {
        "partner.image_uploaded"
    } else {
        "partner.image_removed"
    };
    audit(
        db,
        ctx,
        action,
        json!({ kind.as_str(): before }),
        json!({ kind.as_str(): url }),
    )
    .await
}

/// The stored image `sha256` of the partner, if it has it.
pub async fn image<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    sha256: &str,
) -> Result<Option<brand_asset::Model>, AppError> {
    Ok(brand_asset::Entity::find()
        .filter(brand_asset::Column::PartnerId.eq(partner_id))
        .filter(brand_asset::Column::Sha256.eq(sha256))
        .one(db)
        .await?)
}

/// The partner as stored now, its row held until the transaction ends (PostgreSQL; on
/// SQLite the write transaction holds the database): two saves of the brand, or a save
/// beside an upload, apply one after the other instead of one undoing the other.
async fn fresh<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<partner::Model, AppError> {
    let mut select = partner::Entity::find_by_id(id);
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        select = select.lock_exclusive();
    }
    select
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The organization"))
}

async fn audit<C: ConnectionTrait>(
    db: &C,
    ctx: &PartnerCtx,
    action: &'static str,
    old: serde_json::Value,
    new: serde_json::Value,
) -> Result<(), AppError> {
    let partner = ctx.user.partner.id.to_string();
    crate::audit::record(
        db,
        ctx.audit((action, "partner", partner), old, new),
        &ctx.user.meta,
    )
    .await
}
