//! `call_totals`: a workspace's calls over all time per direction, status and end reason,
//! kept exact by triggers on `conversations` (migration `m20261206_000001_call_totals`).
//! Read only: nothing in the application writes it.

use sea_orm::entity::prelude::*;

use crate::calls::model::{CallDirection, CallStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_totals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workspace_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub direction: CallDirection,
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: CallStatus,
    /// The provider's end reason, or empty.
    #[sea_orm(primary_key, auto_increment = false)]
    pub end_reason: String,
    pub calls: i64,
    pub seconds: i64,
    pub billed_minutes: i64,
    pub billed_cents: i64,
    /// Calls with a success judgement, and how many of them were judged successful.
    pub judged: i64,
    pub successful: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
