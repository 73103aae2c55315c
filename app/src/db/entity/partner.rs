//! `partners`: an agency, the top tenant; one of them is the platform itself.

use sea_orm::entity::prelude::*;

use crate::tenancy::model::{PartnerStatus, PlanTier};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    pub slug: String,
    /// [`crate::tenancy::model::Branding`] as JSON.
    pub branding: Json,
    pub plan_tier: PlanTier,
    pub features: Json,
    pub resource_limits: Json,
    pub settings: Json,
    pub is_platform_partner: bool,
    pub is_billing_exempt: bool,
    pub status: PartnerStatus,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::workspace::Entity")]
    Workspaces,
    #[sea_orm(has_many = "super::partner_domain::Entity")]
    Domains,
}

impl Related<super::workspace::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Workspaces.def()
    }
}

impl Related<super::partner_domain::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Domains.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
