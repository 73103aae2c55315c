//! Per-day call totals (`call_day_totals`): one row per workspace, UTC day, direction,
//! status and end reason, kept by triggers on `conversations` (see [`crate::rollup`]). The
//! dashboard and the calls page's totals for a period read these few rows instead of
//! every call of the period.

use sea_orm_migration::prelude::*;

use crate::rollup::Rollup;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const DAY_TOTALS: Rollup = Rollup {
    table: "call_day_totals",
    daily: true,
    trigger: "conversations_totals",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        DAY_TOTALS.create(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        DAY_TOTALS.drop(manager).await
    }
}
