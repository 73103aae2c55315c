//! Emails to an organisation's owners and admins about the organisation itself.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::access::context::PartnerCtx;
use crate::config::Config;
use crate::db::entity::{partner_domain, partner_member, user};
use crate::email::model::EmailKind;
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::model::PartnerRole;

/// The addresses of the organisation's owners and admins.
pub async fn admins<C: ConnectionTrait>(
    db: &C,
    partner_id: uuid::Uuid,
) -> Result<Vec<String>, AppError> {
    let ids: Vec<uuid::Uuid> = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::RemovedAt.is_null())
        .filter(partner_member::Column::Role.is_in([PartnerRole::Owner, PartnerRole::Admin]))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect())
}

/// "calls.acme.com is verified": to every owner and admin, in the transaction that
/// proved it.
pub async fn domain_verified<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    ctx: &PartnerCtx,
    domain: &partner_domain::Model,
) -> Result<(), AppError> {
    let partner = &ctx.user.partner;
    let (brand, origin) =
        crate::tenancy::service::email_brand(db, partner, &config.app_url, &config.platform_domain)
            .await?;
    let (scheme, _) = origin.split_once("://").unwrap_or(("https", ""));
    let address = format!("{scheme}://{}", domain.hostname);
    for to in admins(db, partner.id).await? {
        outbox::queue(
            db,
            &config.email,
            Some(partner.id),
            &brand.sender_name,
            EmailKind::DomainVerified,
            &to,
            template::domain_verified(
                &brand,
                &domain.hostname,
                &address,
                &format!("{origin}/org/domains"),
            ),
        )
        .await?;
    }
    Ok(())
}
