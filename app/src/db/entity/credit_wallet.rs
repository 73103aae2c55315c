//! `credit_wallets`: prepaid credit of a workspace, or of a partner (which pays for its
//! billing-exempt workspaces). The balance moves only together with a ledger entry.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_wallets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Option<Uuid>,
    pub partner_id: Option<Uuid>,
    pub balance_cents: i64,
    pub low_balance_threshold_cents: i64,
    pub per_minute_rate_cents: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
