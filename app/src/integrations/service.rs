//! Creating, listing and deleting an organisation's integrations (assigning them to
//! workspaces is `integrations::assign`, reading a workspace's keys `integrations::keys`).
//! Keys are sealed with the vault before they touch the database.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::assign::assign_to_unassigned;
use super::keys::{public_place, secret_place};
use super::model::{IntegrationSummary, Provider};
use crate::db::entity::{partner_integration, workspace, workspace_integration_assignment};
use crate::error::{AppError, FieldErrors};
use crate::phone::E164;
use crate::secrets::{Vault, last4};

/// What the "add integration" form sends.
#[derive(Debug, Clone)]
pub struct NewIntegration<'a> {
    pub provider: &'a str,
    pub name: &'a str,
    pub secret_key: &'a str,
    pub public_key: &'a str,
    /// Algolia only.
    pub app_id: &'a str,
    /// VAPI: the phone-number id test calls are placed from; Retell: the E.164 number.
    pub outbound_number: &'a str,
    pub is_default: bool,
}

/// Creates an integration. The first of its provider becomes the default; a default is
/// assigned to every workspace of the organisation that has none for that provider.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    partner_id: Uuid,
    created_by: Option<Uuid>,
    new: NewIntegration<'_>,
) -> Result<IntegrationSummary, AppError> {
    let provider = validate(&new)?;
    let name = new.name.trim();
    let secret = new.secret_key.trim();
    let public = Some(new.public_key.trim()).filter(|p| !p.is_empty());
    let app_id = new.app_id.trim();

    let existing = partner_integration::Entity::find()
        .filter(partner_integration::Column::PartnerId.eq(partner_id))
        .filter(partner_integration::Column::Provider.eq(provider))
        .count(db)
        .await?;
    let is_default = new.is_default || existing == 0;
    if is_default {
        clear_default(db, partner_id, provider).await?;
    }
    let now = Utc::now();
    let config = match provider {
        Provider::Algolia => json!({ "app_id": app_id, "index": "call_logs" }),
        _ => match new.outbound_number.trim() {
            "" => json!({}),
            number => json!({ "outbound_number": number }),
        },
    };
    let id = Uuid::now_v7();
    let row = partner_integration::ActiveModel {
        id: Set(id),
        partner_id: Set(partner_id),
        provider: Set(provider),
        name: Set(name.into()),
        secret_sealed: Set(vault
            .seal(&secret_place(id), secret)
            .map_err(AppError::internal)?),
        secret_last4: Set(last4(secret)),
        public_sealed: Set(public
            .map(|p| vault.seal(&public_place(id), p))
            .transpose()
            .map_err(AppError::internal)?),
        public_last4: Set(public.map(last4)),
        config: Set(config),
        is_default: Set(is_default),
        is_active: Set(true),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    if is_default {
        assign_to_unassigned(db, partner_id, &row).await?;
    }
    let assigned = workspace_integration_assignment::Entity::find()
        .filter(workspace_integration_assignment::Column::PartnerIntegrationId.eq(row.id))
        .count(db)
        .await?;
    Ok(summary(row, assigned))
}

/// Checks the form field by field; returns the provider.
pub fn validate(new: &NewIntegration<'_>) -> Result<Provider, AppError> {
    let mut fields = FieldErrors::new();
    let provider = Provider::parse(new.provider);
    if provider.is_none() {
        fields.insert(
            "provider".into(),
            vec!["Choose VAPI, Retell AI or Algolia.".into()],
        );
    }
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        fields.insert(
            "name".into(),
            vec!["Give the integration a name of at most 255 characters.".into()],
        );
    }
    let secret = new.secret_key.trim();
    if secret.len() < 8 || secret.len() > 512 || secret.contains(char::is_whitespace) {
        fields.insert(
            "secret_key".into(),
            vec!["Paste the whole key: 8 to 512 characters, no spaces.".into()],
        );
    }
    let public = Some(new.public_key.trim()).filter(|p| !p.is_empty());
    if public.is_some_and(|p| p.len() > 512 || p.contains(char::is_whitespace)) {
        fields.insert(
            "public_key".into(),
            vec!["Paste the whole key: at most 512 characters, no spaces.".into()],
        );
    }
    let app_id = new.app_id.trim();
    if provider == Some(Provider::Algolia)
        && (app_id.is_empty() || !app_id.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        fields.insert(
            "app_id".into(),
            vec!["Algolia needs its application id (letters and digits).".into()],
        );
    }
    if let Some(provider) = provider {
        check_outbound(provider, new.outbound_number, &mut fields);
    }
    if let Some(err) = AppError::from_fields(fields) {
        return Err(err);
    }
    provider.ok_or_else(|| AppError::invalid("provider", "Choose a provider."))
}

/// A shared outbound number: Retell wants E.164, VAPI the phone number's id.
fn check_outbound(provider: Provider, outbound: &str, fields: &mut FieldErrors) {
    let outbound = outbound.trim();
    let problem = match provider {
        Provider::Retell if !outbound.is_empty() && E164::parse(outbound).is_none() => {
            Some("Give the number in international format, like +14155550100.")
        }
        Provider::Vapi if outbound.len() > 100 || outbound.contains(char::is_whitespace) => {
            Some("Paste the id of the VAPI phone number (no spaces).")
        }
        _ => None,
    };
    if let Some(message) = problem {
        fields.insert("outbound_number".into(), vec![message.into()]);
    }
}

/// The most calls at once an integration may be given.
pub const MAX_CALLS_AT_ONCE: u32 = 1000;

/// Renames an integration, sets or clears its shared outbound number and its limit of
/// calls at once (empty: none); keys stay.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    id: Uuid,
    name: &str,
    outbound_number: &str,
    calls_at_once: &str,
) -> Result<IntegrationSummary, AppError> {
    let row = find(db, partner_id, id).await?;
    let provider = row.provider;
    let mut fields = FieldErrors::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        fields.insert(
            "name".into(),
            vec!["Give the integration a name of at most 255 characters.".into()],
        );
    }
    check_outbound(provider, outbound_number, &mut fields);
    let calls_at_once = match calls_at_once.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(n) if (1..=MAX_CALLS_AT_ONCE).contains(&n) => Some(n),
            _ => {
                fields.insert(
                    "calls_at_once".into(),
                    vec![format!(
                        "A whole number from 1 to {MAX_CALLS_AT_ONCE}, or empty for no limit of ours."
                    )],
                );
                None
            }
        },
    };
    if let Some(err) = AppError::from_fields(fields) {
        return Err(err);
    }
    let mut config = row.config.clone();
    if let Some(map) = config.as_object_mut()
        && provider != Provider::Algolia
    {
        match outbound_number.trim() {
            "" => map.remove("outbound_number"),
            number => map.insert("outbound_number".into(), json!(number)),
        };
        match calls_at_once {
            None => map.remove("concurrent_calls"),
            Some(n) => map.insert("concurrent_calls".into(), json!(n)),
        };
    }
    let mut active: partner_integration::ActiveModel = row.into();
    active.name = Set(name.to_owned());
    active.config = Set(config);
    active.updated_at = Set(Utc::now());
    let row = active.update(db).await?;
    let assigned = workspace_integration_assignment::Entity::find()
        .filter(workspace_integration_assignment::Column::PartnerIntegrationId.eq(row.id))
        .count(db)
        .await?;
    Ok(summary(row, assigned))
}

/// The organisation's integrations, by provider then name.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
) -> Result<Vec<IntegrationSummary>, AppError> {
    let rows = partner_integration::Entity::find()
        .filter(partner_integration::Column::PartnerId.eq(partner_id))
        .order_by_asc(partner_integration::Column::Provider)
        .order_by_asc(partner_integration::Column::Name)
        .all(db)
        .await?;
    // How many workspaces use each, in one query.
    let mut used: HashMap<Uuid, u64> = HashMap::new();
    for a in workspace_integration_assignment::Entity::find()
        .filter(
            workspace_integration_assignment::Column::PartnerIntegrationId
                .is_in(rows.iter().map(|r| r.id)),
        )
        .all(db)
        .await?
    {
        *used.entry(a.partner_integration_id).or_default() += 1;
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let assigned = used.get(&row.id).copied().unwrap_or(0);
            summary(row, assigned)
        })
        .collect())
}

/// Deletes an integration no workspace uses; otherwise names the workspaces that do. A
/// deleted default hands its role to the oldest remaining one of its provider.
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let row = find(db, partner_id, id).await?;
    let users: Vec<String> = workspace_integration_assignment::Entity::find()
        .filter(workspace_integration_assignment::Column::PartnerIntegrationId.eq(id))
        .find_also_related(workspace::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, w)| w.map(|w| w.name))
        .collect();
    if !users.is_empty() {
        return Err(AppError::conflict(format!(
            "{} is still used by {}. Assign those workspaces another integration first.",
            row.name,
            users.join(", ")
        )));
    }
    partner_integration::Entity::delete_by_id(id)
        .exec(db)
        .await?;
    if row.is_default
        && let Some(next) = partner_integration::Entity::find()
            .filter(partner_integration::Column::PartnerId.eq(partner_id))
            .filter(partner_integration::Column::Provider.eq(row.provider))
            .order_by_asc(partner_integration::Column::CreatedAt)
            .one(db)
            .await?
    {
        partner_integration::Entity::update_many()
            .col_expr(partner_integration::Column::IsDefault, Expr::value(true))
            .filter(partner_integration::Column::Id.eq(next.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Makes an integration its provider's default and gives it to every workspace of the
/// organisation that has none for that provider.
pub async fn set_default<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let row = find(db, partner_id, id).await?;
    let provider = row.provider;
    clear_default(db, partner_id, provider).await?;
    partner_integration::Entity::update_many()
        .col_expr(partner_integration::Column::IsDefault, Expr::value(true))
        .filter(partner_integration::Column::Id.eq(id))
        .exec(db)
        .await?;
    assign_to_unassigned(db, partner_id, &row).await
}

/// Asks the provider whether a key works, before it is saved: a refused key is an error on
/// the key field; an unreachable provider is "try again", and nothing is saved.
pub async fn verify_key(
    urls: &crate::config::ProviderUrls,
    provider: Provider,
    secret: &str,
    app_id: &str,
) -> Result<(), AppError> {
    use crate::providers::error::ProviderErrorKind;
    use crate::providers::http::ProviderHttp;
    use crate::providers::{retell, vapi};

    let outcome = match provider {
        Provider::Vapi => {
            let http = ProviderHttp::new(provider, &urls.vapi).map_err(AppError::internal)?;
            vapi::check_key(&http, secret.trim()).await
        }
        Provider::Retell => {
            let http = ProviderHttp::new(provider, &urls.retell).map_err(AppError::internal)?;
            retell::check_key(&http, secret.trim()).await
        }
        Provider::Algolia => {
            crate::providers::algolia::check_key(&urls.algolia, app_id.trim(), secret.trim()).await
        }
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(e) => match e.kind {
            ProviderErrorKind::Unauthorized | ProviderErrorKind::Rejected(_) => {
                Err(AppError::invalid("secret_key", e.to_string()))
            }
            _ => Err(AppError::unavailable(e.to_string())),
        },
    }
}

pub(super) async fn find<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    id: Uuid,
) -> Result<partner_integration::Model, AppError> {
    partner_integration::Entity::find_by_id(id)
        .filter(partner_integration::Column::PartnerId.eq(partner_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Integration"))
}

async fn clear_default<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    provider: Provider,
) -> Result<(), AppError> {
    partner_integration::Entity::update_many()
        .col_expr(partner_integration::Column::IsDefault, Expr::value(false))
        .filter(partner_integration::Column::PartnerId.eq(partner_id))
        .filter(partner_integration::Column::Provider.eq(provider))
        .exec(db)
        .await?;
    Ok(())
}

fn summary(row: partner_integration::Model, assigned_workspaces: u64) -> IntegrationSummary {
    let concurrent_calls = super::keys::calls_at_once(&row);
    IntegrationSummary {
        id: row.id,
        provider: row.provider,
        name: row.name,
        secret_last4: row.secret_last4,
        public_last4: row.public_last4,
        app_id: row
            .config
            .get("app_id")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        outbound_number: row
            .config
            .get("outbound_number")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        concurrent_calls,
        is_default: row.is_default,
        is_active: row.is_active,
        assigned_workspaces,
    }
}
