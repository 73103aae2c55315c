//! A workspace's keys for a provider: where they are sealed, and opening those of the
//! integration assigned to it.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Query};
use uuid::Uuid;

use super::model::Provider;
use crate::db::entity::{partner_integration, workspace_integration_assignment};
use crate::error::AppError;
use crate::secrets::{Place, Vault};

/// Where an integration's secret key is sealed (bound to its row).
pub fn secret_place(id: Uuid) -> Place {
    Place::new("partner_integrations.secret", id)
}

/// Where an integration's public key is sealed.
pub fn public_place(id: Uuid) -> Place {
    Place::new("partner_integrations.public_key", id)
}

/// The active integration of `provider` assigned to the workspace, if any, in one query;
/// its keys stay sealed.
pub async fn assigned<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    provider: Provider,
) -> Result<Option<partner_integration::Model>, AppError> {
    use workspace_integration_assignment::Column as A;
    let assignment = Query::select()
        .column(A::PartnerIntegrationId)
        .from(workspace_integration_assignment::Entity)
        .and_where(A::WorkspaceId.eq(workspace_id))
        .and_where(A::Provider.eq(provider))
        .to_owned();
    Ok(partner_integration::Entity::find()
        .filter(partner_integration::Column::Id.in_subquery(assignment))
        .filter(partner_integration::Column::IsActive.eq(true))
        .one(db)
        .await?)
}

/// The integration's limit of calls at once (the provider account's), if one was given.
pub fn calls_at_once(row: &partner_integration::Model) -> Option<u32> {
    row.config
        .get("concurrent_calls")
        .and_then(serde_json::Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0)
}

/// A text setting of the integration (Algolia's application id, say), unless blank.
pub fn setting<'a>(row: &'a partner_integration::Model, key: &str) -> Option<&'a str> {
    row.config
        .get(key)
        .and_then(|v| v.as_str())
        .filter(|v| !v.is_empty())
}

/// The decrypted keys (secret, public) and the shared outbound number a workspace uses for
/// a provider, if an active integration is assigned.
pub async fn keys_for<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    workspace_id: Uuid,
    provider: Provider,
) -> Result<Option<AssignedKeys>, AppError> {
    let Some(row) = assigned(db, workspace_id, provider).await? else {
        return Ok(None);
    };
    let secret = vault
        .open(&secret_place(row.id), &row.secret_sealed)
        .map_err(AppError::internal)?;
    let public = row
        .public_sealed
        .as_deref()
        .map(|p| vault.open(&public_place(row.id), p))
        .transpose()
        .map_err(AppError::internal)?;
    let outbound_number = row
        .config
        .get("outbound_number")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let config = |key: &str| setting(&row, key).map(str::to_owned);
    Ok(Some(AssignedKeys {
        secret,
        public,
        outbound_number,
        app_id: config("app_id"),
        index: config("index"),
    }))
}

/// What `keys_for` opens.
#[derive(Debug, Clone)]
pub struct AssignedKeys {
    pub secret: String,
    pub public: Option<String>,
    pub outbound_number: Option<String>,
    /// Algolia: the application and the index calls go to.
    pub app_id: Option<String>,
    pub index: Option<String>,
}
