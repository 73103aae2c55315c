//! The calls page totals (count, answered, seconds, minutes and cents billed) read from an
//! index instead of the rows: the rows hold transcripts, so summing a column stored after
//! one walks the transcript's pages too. This index begins with the one it replaces
//! (workspace, created), so the newest-first list still reads it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_conversations_workspace_totals")
                    .table("conversations")
                    .col("workspace_id")
                    .col("created_at")
                    .col("status")
                    .col("duration_seconds")
                    .col("billed_minutes")
                    .col("billed_cents")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_conversations_workspace_created")
                    .table("conversations")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_conversations_workspace_created")
                    .table("conversations")
                    .col("workspace_id")
                    .col("created_at")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_conversations_workspace_totals")
                    .table("conversations")
                    .to_owned(),
            )
            .await
    }
}
