//! Signing up on the platform host: the account, a personal workspace it owns, and a
//! welcome email. White-label hosts sign up by invitation only (see `invitations`).

use serde_json::json;

use super::rate_limit::SIGNUP_PER_IP;
use super::service::{self, NewUser};
use super::session::RequestMeta;
use crate::audit;
use crate::config::Config;
use crate::db::entity::{partner, user, workspace};
use crate::email::{outbox, template};
use crate::error::AppError;
use crate::tenancy::model::{PartnerRole, WorkspaceRole};
use crate::tenancy::service as tenancy;

/// What the sign-up form sends.
#[derive(Debug, Clone)]
pub struct SignupForm<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// Counts a sign-up attempt against its address, on the pool and before the transaction
/// that creates the account: a refused or failed sign-up still counts.
pub async fn count_attempt(
    db: &sea_orm::DatabaseConnection,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let ip = meta.ip.as_deref().unwrap_or("unknown");
    SIGNUP_PER_IP.take(db, ip, chrono::Utc::now()).await?.keep();
    Ok(())
}

/// Creates the user, their personal workspace (owner) and a partner membership.
pub async fn sign_up<C: sea_orm::ConnectionTrait>(
    db: &C,
    config: &Config,
    partner: &partner::Model,
    form: SignupForm<'_>,
    meta: &RequestMeta,
) -> Result<(user::Model, workspace::Model), AppError> {
    if !partner.is_platform_partner {
        return Err(AppError::Forbidden(
            "Sign-up here is by invitation only. Ask your administrator for an invitation.".into(),
        ));
    }
    let first = form.first_name.trim();
    if first.is_empty() {
        return Err(AppError::invalid("first_name", "Enter your first name."));
    }
    if first.chars().count() > 100 || form.last_name.trim().chars().count() > 100 {
        return Err(AppError::invalid(
            "first_name",
            "Names are at most 100 characters.",
        ));
    }
    let last = Some(form.last_name.trim()).filter(|l| !l.is_empty());
    let user = service::create_user(
        db,
        NewUser {
            email: form.email,
            password: form.password,
            first_name: Some(first),
            last_name: last,
        },
    )
    .await?;
    tenancy::add_partner_member(db, partner.id, user.id, PartnerRole::Member).await?;
    let name = format!("{first}'s Workspace");
    let slug = tenancy::unique_workspace_slug(db, partner.id, &name).await?;
    let ws = tenancy::create_workspace(db, partner.id, &name, &slug, None).await?;
    tenancy::add_workspace_member(db, ws.id, user.id, WorkspaceRole::Owner).await?;
    crate::integrations::service::assign_defaults(db, partner.id, ws.id).await?;

    let origin =
        tenancy::partner_origin(db, partner, &config.app_url, &config.platform_domain).await?;
    let brand = tenancy::brand(partner);
    outbox::queue(
        db,
        &config.email,
        Some(partner.id),
        &brand.name,
        outbox::Kind::Welcome,
        &user.email,
        template::welcome(&brand, first, &format!("{origin}/w/{}", ws.slug)),
    )
    .await?;
    audit::record(
        db,
        audit::Entry {
            partner_id: Some(partner.id),
            workspace_id: Some(ws.id),
            user_id: Some(user.id),
            action: "user.signed_up",
            entity_type: "user",
            entity_id: Some(user.id.to_string()),
            metadata: Some(json!({"workspace": ws.slug})),
            ..Default::default()
        },
        meta,
    )
    .await?;
    Ok((user, ws))
}
