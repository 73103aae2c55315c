//! Call holds: a minute of credit set aside while a call is being started, so that many
//! calls started at once cannot each see the same last minute of credit (see
//! `billing::service::admit_call`). A hold lives a few minutes at most.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("call_holds")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(big_integer("cents"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_call_holds_workspace",
                        ("call_holds", "workspace_id"),
                        "workspaces",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_call_holds_workspace_expires")
                    .table("call_holds")
                    .col("workspace_id")
                    .col("expires_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("call_holds").to_owned())
            .await
    }
}
