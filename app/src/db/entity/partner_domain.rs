//! `partner_domains`: host names that resolve to a partner.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_domains")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    /// Lower-cased, optionally with `:port`.
    #[sea_orm(unique)]
    pub hostname: String,
    pub is_primary: bool,
    /// None until its DNS record was found (a domain serves nothing before).
    pub verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// What the `_genius365` TXT record must say (custom domains added by their admins).
    pub verification_token: Option<String>,
    pub checked_at: Option<DateTimeUtc>,
    /// Why the last check did not verify it.
    pub check_error: Option<String>,
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
