//! Organisation-level provider integrations (VAPI, Retell, Algolia) with their keys sealed,
//! and which integration each workspace uses per provider.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(partner_integrations()).await?;
        manager.create_table(assignments()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_partner_integrations_partner_provider")
                    .table("partner_integrations")
                    .col("partner_id")
                    .col("provider")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_workspace_integration_assignments_workspace_provider")
                    .table("workspace_integration_assignments")
                    .col("workspace_id")
                    .col("provider")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_workspace_integration_assignments_integration")
                    .table("workspace_integration_assignments")
                    .col("partner_integration_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["workspace_integration_assignments", "partner_integrations"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn partner_integrations() -> TableCreateStatement {
    Table::create()
        .table("partner_integrations")
        .col(pk_uuid("id"))
        .col(uuid("partner_id"))
        // vapi | retell | algolia
        .col(string_len("provider", 16))
        .col(string_len("name", 255))
        // Sealed with the vault; only the last four characters are ever shown.
        .col(text("secret_sealed"))
        .col(string_len("secret_last4", 8))
        .col(text_null("public_sealed"))
        .col(string_len_null("public_last4", 8))
        .col(json_binary("config"))
        .col(boolean("is_default").default(false))
        .col(boolean("is_active").default(true))
        .col(uuid_null("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(&mut fk(
            "fk_partner_integrations_partner",
            ("partner_integrations", "partner_id"),
            "partners",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_partner_integrations_created_by",
            ("partner_integrations", "created_by"),
            "users",
            ForeignKeyAction::SetNull,
        ))
        .to_owned()
}

fn assignments() -> TableCreateStatement {
    Table::create()
        .table("workspace_integration_assignments")
        .col(pk_uuid("id"))
        .col(uuid("workspace_id"))
        .col(string_len("provider", 16))
        .col(uuid("partner_integration_id"))
        .col(uuid_null("assigned_by"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(&mut fk(
            "fk_wia_workspace",
            ("workspace_integration_assignments", "workspace_id"),
            "workspaces",
            ForeignKeyAction::Cascade,
        ))
        // An integration in use cannot be deleted: the service says which workspaces use
        // it, and the database refuses too.
        .foreign_key(&mut fk(
            "fk_wia_integration",
            (
                "workspace_integration_assignments",
                "partner_integration_id",
            ),
            "partner_integrations",
            ForeignKeyAction::Restrict,
        ))
        .foreign_key(&mut fk(
            "fk_wia_assigned_by",
            ("workspace_integration_assignments", "assigned_by"),
            "users",
            ForeignKeyAction::SetNull,
        ))
        .to_owned()
}
