//! `partner_integrations`: an organisation's provider credentials (sealed) and settings.

use sea_orm::entity::prelude::*;

use crate::integrations::model::Provider;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_integrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    pub provider: Provider,
    pub name: String,
    pub secret_sealed: String,
    pub secret_last4: String,
    pub public_sealed: Option<String>,
    pub public_last4: Option<String>,
    pub config: Json,
    pub is_default: bool,
    pub is_active: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
