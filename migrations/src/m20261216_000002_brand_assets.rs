//! An organisation's brand images (logo, favicon), kept in the database so every server
//! process serves them, as the PNG the upload became; named by their content's hash.

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
                    .table("brand_assets")
                    .col(pk_uuid("id"))
                    .col(uuid("partner_id"))
                    // logo | favicon
                    .col(string_len("kind", 16))
                    .col(string_len("content_type", 32))
                    // Lower-case hex SHA-256 of `bytes`: the file's name.
                    .col(string_len("sha256", 64))
                    .col(integer("width"))
                    .col(integer("height"))
                    .col(blob("bytes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_brand_assets_partner",
                        ("brand_assets", "partner_id"),
                        "partners",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_brand_assets_partner_kind")
                    .table("brand_assets")
                    .col("partner_id")
                    .col("kind")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("brand_assets").to_owned())
            .await
    }
}
