//! Super-admin server functions. Rights come from the `super_admins` table, checked on
//! every call; the platform host alone serves them (other hosts answer 404). The console
//! sign-in is `auth::api::login` with `console`.

use leptos::prelude::*;

use super::model::OutboxEmail;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    crate::access::context::require_super_admin,
    crate::db::entity::email_outbox,
    sea_orm::{EntityTrait, QueryOrder, QuerySelect},
};

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
