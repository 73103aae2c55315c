//! Custom domains are proven by a DNS record before they serve anything: the token the
//! record must carry, and when and how the last check went.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            string_len_null("verification_token", 64),
            timestamp_with_time_zone_null("checked_at"),
            text_null("check_error"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("partner_domains")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["verification_token", "checked_at", "check_error"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("partner_domains")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
