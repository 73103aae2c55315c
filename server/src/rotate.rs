//! `server rotate-key`: re-seals every secret at rest under the current `SECRET_KEY`, bound
//! to its place (see `app::secrets`). Run it with the new key in `SECRET_KEY` and the old
//! one(s) in `SECRET_KEY_PREVIOUS`; afterwards the old keys can go. Rows are read in id
//! order, `batch` at a time, and each row is written on its own, so the command can be
//! stopped and run again: what is already current is skipped.

use app::agents::model::AgentConfig;
use app::db::entity::{agent, partner_integration, user_mfa};
use app::secrets::Vault;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

/// How many sealed values were re-sealed, by where they live.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotated {
    pub integrations: u64,
    pub authenticators: u64,
    pub agents: u64,
}

pub async fn rotate<C: ConnectionTrait>(
    db: &C,
    vault: &Vault,
    batch: u64,
) -> anyhow::Result<Rotated> {
    let batch = batch.max(1);
    let mut rotated = Rotated::default();

    let mut after = Uuid::nil();
    loop {
        let rows = partner_integration::Entity::find()
            .filter(partner_integration::Column::Id.gt(after))
            .order_by_asc(partner_integration::Column::Id)
            .limit(batch)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            let id = row.id;
            let secret = (!vault.is_current(&row.secret_sealed))
                .then(|| {
                    vault.reseal(
                        &app::integrations::keys::secret_place(id),
                        &row.secret_sealed,
                    )
                })
                .transpose()?;
            let public = match &row.public_sealed {
                Some(p) if !vault.is_current(p) => {
                    Some(vault.reseal(&app::integrations::keys::public_place(id), p)?)
                }
                _ => None,
            };
            if secret.is_none() && public.is_none() {
                continue;
            }
            let mut active = row.into_active_model();
            if let Some(secret) = secret {
                active.secret_sealed = Set(secret);
            }
            if let Some(public) = public {
                active.public_sealed = Set(Some(public));
            }
            active.update(db).await?;
            rotated.integrations += 1;
        }
    }

    let mut after = Uuid::nil();
    loop {
        let rows = user_mfa::Entity::find()
            .filter(user_mfa::Column::UserId.gt(after))
            .order_by_asc(user_mfa::Column::UserId)
            .limit(batch)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.user_id;
        for row in rows {
            if vault.is_current(&row.secret_sealed) {
                continue;
            }
            let fresh = vault.reseal(
                &app::auth::mfa::secret_place(row.user_id),
                &row.secret_sealed,
            )?;
            let mut active = row.into_active_model();
            active.secret_sealed = Set(fresh);
            active.update(db).await?;
            rotated.authenticators += 1;
        }
    }

    let mut after = Uuid::nil();
    loop {
        let rows = agent::Entity::find()
            .filter(agent::Column::Id.gt(after))
            .order_by_asc(agent::Column::Id)
            .limit(batch)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            let mut config: AgentConfig = serde_json::from_value(row.config.clone())?;
            if !app::agents::secrets::reseal(vault, row.id, &mut config)? {
                continue;
            }
            let mut active = row.into_active_model();
            active.config = Set(serde_json::to_value(&config)?);
            active.update(db).await?;
            rotated.agents += 1;
        }
    }
    Ok(rotated)
}
