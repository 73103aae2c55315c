//! Super-admin server functions. Rights come from the `super_admins` table, checked on
//! every call; the platform host alone serves them (other hosts answer 404).

use leptos::prelude::*;

use super::model::OutboxEmail;
use crate::auth::model::LoginOutcome;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::access::context::{request_meta, require_super_admin},
    crate::auth::{api::login_as, login, service::is_super_admin},
    crate::db::entity::email_outbox,
    crate::state::{app_state, current_partner},
    sea_orm::{EntityTrait, QueryOrder, QuerySelect},
};

/// Signs in a platform administrator; anyone else is refused without a session.
#[server(prefix = "/api", endpoint = "super-admin/login")]
pub async fn super_admin_login(email: String, password: String) -> Result<LoginOutcome, AppError> {
    let state = app_state()?;
    let partner = current_partner()?.0;
    if !partner.is_platform_partner {
        return Err(AppError::not_found("Page"));
    }
    let meta = request_meta();
    let user = login::check_password(&state.db, &partner, &email, &password, &meta).await?;
    if !is_super_admin(&state.db, user.id).await? {
        crate::audit::record(
            &state.db,
            crate::audit::Entry {
                partner_id: Some(partner.id),
                user_id: Some(user.id),
                action: "user.login_failed",
                entity_type: "user",
                entity_id: Some(user.id.to_string()),
                metadata: Some(serde_json::json!({"reason": "not_super_admin"})),
                ..Default::default()
            },
            &meta,
        )
        .await?;
        return Err(AppError::Forbidden(
            "This account is not a platform administrator.".into(),
        ));
    }
    login_as(&state, &partner, user, Some("/super-admin/outbox".into())).await
}

/// The newest emails first, 50 per page.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "super-admin/outbox")]
pub async fn outbox(page: u64) -> Result<Vec<OutboxEmail>, AppError> {
    let ctx = require_super_admin().await?;
    let rows = email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::CreatedAt)
        .offset(page.saturating_mul(50))
        .limit(50)
        .all(&ctx.state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEmail {
            id: r.id,
            kind: r.kind,
            to: r.to_email,
            from: r.from_address,
            subject: r.subject,
            text: r.text,
            status: r.status,
            last_error: r.last_error,
            created_at: r.created_at,
        })
        .collect())
}
