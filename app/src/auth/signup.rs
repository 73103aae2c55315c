//! Signing up on the platform host: an unconfirmed account, a personal workspace it owns,
//! and the link that confirms the address (`verify`). White-label hosts sign up by
//! invitation only (see `invitations`).

use serde_json::json;

use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::model::{Email, UserStatus, password_problems};
use super::rate_limit::SIGNUP_PER_IP;
use super::service::{self, NewUser};
use super::verify;
use crate::audit;
use crate::audit::RequestMeta;
use crate::config::Config;
use crate::db::entity::partner;
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

/// Signs up on the platform host. The form is checked field by field (the same checks for
/// every address); then a new address gets an unconfirmed account, its personal workspace
/// and a confirmation link, an unconfirmed one a fresh link, and one with an account an
/// email saying someone tried. The caller answers the same in every case: "check your
/// inbox". Nothing signs anyone in until the link is opened (`verify::confirm`).
pub async fn sign_up<C: sea_orm::ConnectionTrait>(
    db: &C,
    config: &Config,
    partner: &partner::Model,
    form: SignupForm<'_>,
    meta: &RequestMeta,
) -> Result<(), AppError> {
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
    let email = Email::parse(form.email).map_err(|m| AppError::invalid("email", m))?;
    let problems = password_problems(form.password);
    if !problems.is_empty() {
        let mut fields = crate::error::FieldErrors::new();
        fields.insert(
            "password".into(),
            problems.into_iter().map(str::to_owned).collect(),
        );
        return Err(AppError::from_fields(fields).unwrap_or(AppError::Internal));
    }
    if let Some(existing) = service::find_by_email(db, &email)
        .await?
        .filter(|u| u.deleted_at.is_none())
    {
        if existing.status != UserStatus::Unverified {
            return verify::tell_owner(db, config, partner, &existing).await;
        }
        // Not confirmed yet: this sign-up's password and names replace the last one's,
        // and only a fresh link (with this password) confirms it.
        let mut again = existing.into_active_model();
        again.password_hash = Set(super::password::hash(form.password.to_owned()).await?);
        again.first_name = Set(Some(first.to_owned()));
        again.last_name = Set(Some(form.last_name.trim().to_owned()).filter(|l| !l.is_empty()));
        again.updated_at = Set(chrono::Utc::now());
        let existing = again.update(db).await?;
        return verify::send_link(db, config, partner, &existing).await;
    }
    let last = Some(form.last_name.trim()).filter(|l| !l.is_empty());
    let user = service::create_user(
        db,
        NewUser {
            email: email.as_str(),
            password: form.password,
            first_name: Some(first),
            last_name: last,
        },
    )
    .await?;
    let mut unconfirmed = user.into_active_model();
    unconfirmed.status = Set(UserStatus::Unverified);
    let user = unconfirmed.update(db).await?;
    tenancy::add_partner_member(db, partner.id, user.id, PartnerRole::Member).await?;
    let name = format!("{first}'s Workspace");
    let slug = tenancy::unique_workspace_slug(db, partner.id, &name).await?;
    let ws = tenancy::create_workspace(db, partner.id, &name, &slug, None).await?;
    tenancy::add_workspace_member(db, ws.id, user.id, WorkspaceRole::Owner).await?;
    crate::integrations::assign::assign_defaults(db, partner.id, ws.id).await?;
    verify::send_link(db, config, partner, &user).await?;
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
    Ok(())
}
