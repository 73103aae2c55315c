//! A campaign page's activity feed and pace (its newest attempts; calls started in the last
//! minutes) read a campaign's attempts newest first: an index in that order.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_campaign_attempts_campaign_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table("campaign_attempts")
                    .col("campaign_id")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table("campaign_attempts")
                    .to_owned(),
            )
            .await
    }
}
