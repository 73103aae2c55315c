//! All-time call totals (`call_totals`): one row per workspace, direction, status and end
//! reason, kept by triggers on `conversations` beside the per-day ones (see
//! [`crate::rollup`]). A workspace's totals over all its calls are then a handful of rows
//! to read, however many days it has had calls on.

use sea_orm_migration::prelude::*;

use crate::rollup::Rollup;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const TOTALS: Rollup = Rollup {
    table: "call_totals",
    daily: false,
    trigger: "conversations_all_totals",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        TOTALS.create(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        TOTALS.drop(manager).await
    }
}
