//! `do_not_call`: numbers a workspace, or a whole organisation, never calls.

use sea_orm::entity::prelude::*;

use crate::campaigns::model::DncSource;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "do_not_call")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Uuid,
    /// None: the organisation's list, for all its workspaces.
    pub workspace_id: Option<Uuid>,
    /// The workspace's id, or the partner's for the organisation's list.
    pub scope_id: Uuid,
    /// E.164
    pub phone: String,
    pub reason: Option<String>,
    pub source: DncSource,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
