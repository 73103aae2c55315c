//! `workspaces`: a client of a partner, where agents, calls and campaigns live.

use sea_orm::entity::prelude::*;

use crate::tenancy::model::WorkspaceStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workspaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    pub name: String,
    /// Unique within the partner.
    pub slug: String,
    pub description: Option<String>,
    pub settings: Json,
    pub resource_limits: Json,
    pub status: WorkspaceStatus,
    pub is_billing_exempt: bool,
    pub per_minute_rate_cents: i32,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::partner::Entity",
        from = "Column::PartnerId",
        to = "super::partner::Column::Id",
        on_delete = "Cascade"
    )]
    Partner,
}

impl Related<super::partner::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partner.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
