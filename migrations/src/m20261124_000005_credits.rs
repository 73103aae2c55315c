//! Usage billing: credit wallets (one per workspace, one per partner) with an append-only
//! ledger whose every entry records the balance after it, and on each conversation what it
//! was billed. A usage entry carries the conversation as its idempotency key, so a call is
//! charged at most once whatever reaches the database twice.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, stamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(credit_wallets()).await?;
        manager.create_table(credit_transactions()).await?;
        for column in [
            // Whole minutes charged for the call (ceil(seconds / 60)), and their price.
            integer("billed_minutes").default(0).to_owned(),
            big_integer("billed_cents").default(0).to_owned(),
            // workspace | partner: the wallet that paid.
            string_len_null("billed_to", 16).to_owned(),
            // Whether the call achieved its goal, when the provider evaluated it.
            boolean_null("successful").to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("conversations")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["successful", "billed_to", "billed_cents", "billed_minutes"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("conversations")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in ["credit_transactions", "credit_wallets"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn credit_wallets() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("credit_wallets")
            .col(pk_uuid("id"))
            // Exactly one of the two owners is set.
            .col(uuid_null("workspace_id"))
            .col(uuid_null("partner_id"))
            .col(big_integer("balance_cents").default(0))
            .col(big_integer("low_balance_threshold_cents"))
            // Partner wallets: what a minute of a billing-exempt workspace costs the
            // partner. Workspace wallets use the workspace's own rate.
            .col(integer("per_minute_rate_cents"))
            .foreign_key(&mut fk(
                "fk_credit_wallets_workspace",
                ("credit_wallets", "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "fk_credit_wallets_partner",
                ("credit_wallets", "partner_id"),
                "partners",
                ForeignKeyAction::Cascade,
            )),
    )
    .to_owned()
}

fn credit_transactions() -> TableCreateStatement {
    Table::create()
        .table("credit_transactions")
        .col(pk_uuid("id"))
        .col(uuid("wallet_id"))
        // topup | usage | refund | adjustment
        .col(string_len("kind", 16))
        // Positive adds credit, negative spends it.
        .col(big_integer("amount_cents"))
        .col(big_integer("balance_after_cents"))
        .col(string_len("description", 500))
        // `usage:{conversation id}`, a payment id, …: the same key is never booked twice.
        .col(string_len_null("idempotency_key", 200))
        .col(uuid_null("conversation_id"))
        .col(uuid_null("actor_id"))
        .col(json_binary("metadata"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk(
            "fk_credit_transactions_wallet",
            ("credit_transactions", "wallet_id"),
            "credit_wallets",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_credit_transactions_conversation",
            ("credit_transactions", "conversation_id"),
            "conversations",
            ForeignKeyAction::SetNull,
        ))
        .foreign_key(&mut fk(
            "fk_credit_transactions_actor",
            ("credit_transactions", "actor_id"),
            "users",
            ForeignKeyAction::SetNull,
        ))
        .to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("ux_credit_wallets_workspace")
            .table("credit_wallets")
            .col("workspace_id")
            .unique()
            .to_owned(),
        Index::create()
            .name("ux_credit_wallets_partner")
            .table("credit_wallets")
            .col("partner_id")
            .unique()
            .to_owned(),
        Index::create()
            .name("ux_credit_transactions_key")
            .table("credit_transactions")
            .col("wallet_id")
            .col("idempotency_key")
            .unique()
            .to_owned(),
        Index::create()
            .name("ix_credit_transactions_wallet_created")
            .table("credit_transactions")
            .col("wallet_id")
            .col("created_at")
            .to_owned(),
    ]
}
