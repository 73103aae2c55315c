//! `partner_members`: a user's role in a partner (owner, admin, member).

use sea_orm::entity::prelude::*;

use crate::tenancy::model::PartnerRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    pub user_id: Uuid,
    pub role: PartnerRole,
    pub invited_by: Option<Uuid>,
    pub joined_at: DateTimeUtc,
    /// Set when the member was removed; removed members keep their row for the audit trail.
    pub removed_at: Option<DateTimeUtc>,
    pub removed_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
