//! `credit_transactions`: the append-only ledger of a wallet; each entry keeps the balance
//! after it, and a key that is never booked twice.

use sea_orm::entity::prelude::*;

use crate::billing::model::EntryKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub wallet_id: Uuid,
    pub kind: EntryKind,
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    pub description: String,
    pub idempotency_key: Option<String>,
    pub conversation_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub metadata: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ActorId",
        to = "super::user::Column::Id"
    )]
    Actor,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Actor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
