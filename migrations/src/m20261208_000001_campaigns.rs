//! Campaigns: an outbound calling list worked through by the job queue. `campaigns` holds
//! what to call with and when (agent, calling windows, retry policy, variables);
//! `campaign_recipients` whom, and where each stands; `campaign_rejects` the rows of an
//! imported list that could not be used, with why; `campaign_attempts` every call placed
//! or being placed, whose id is the key the provider call and the conversation carry, so
//! an attempt is placed at most once whatever crashes; `do_not_call` the numbers a
//! workspace (or a whole organisation) never calls. Conversations name the attempt that
//! placed them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, stamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(campaigns()).await?;
        manager.create_table(recipients()).await?;
        manager.create_table(attempts()).await?;
        manager.create_table(rejects()).await?;
        manager.create_table(do_not_call()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("conversations")
                    .add_column(uuid_null("campaign_attempt_id"))
                    .to_owned(),
            )
            .await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_conversations_campaign_attempt")
                    .table("conversations")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("conversations")
                    .drop_column("campaign_attempt_id")
                    .to_owned(),
            )
            .await?;
        for table in [
            "do_not_call",
            "campaign_attempts",
            "campaign_rejects",
            "campaign_recipients",
            "campaigns",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn campaigns() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("campaigns")
            .col(pk_uuid("id"))
            .col(uuid("workspace_id"))
            .col(uuid_null("agent_id"))
            .col(string_len("name", 120))
            .col(text_null("description"))
            // draft | scheduled | running | paused | completed | cancelled
            .col(string_len("status", 16))
            // Why a paused campaign is paused: manual | credit | setup
            .col(string_len_null("pause_reason", 16))
            // What to fix, when it was paused because calls could not be placed.
            .col(text_null("pause_detail"))
            // The wizard's furthest step, so a draft reopens where it was left.
            .col(integer("step").default(1))
            // IANA name: the campaign's own zone, for recipients whose zone is unknown.
            .col(string_len("time_zone", 64))
            // ISO 3166 alpha-2: how numbers written without a country code are read.
            .col(string_len("default_country", 2))
            .col(timestamp_with_time_zone_null("starts_at"))
            .col(timestamp_with_time_zone_null("ends_at"))
            // `campaigns::model::Windows`: weekly calling windows, recipient-local.
            .col(json_binary("windows"))
            .col(integer("concurrency"))
            // `campaigns::model::RetryPolicy`: attempts and delay per outcome.
            .col(json_binary("retry"))
            // `campaigns::model::VariableSource`s: each placeholder from a column or a value.
            .col(json_binary("variables"))
            // The imported list's columns and what each was mapped to.
            .col(json_binary("columns"))
            .col(string_len_null("source_name", 255))
            .col(uuid_null("created_by"))
            .col(timestamp_with_time_zone_null("launched_at"))
            .col(timestamp_with_time_zone_null("completed_at"))
            .foreign_key(&mut fk(
                "fk_campaigns_workspace",
                ("campaigns", "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "fk_campaigns_agent",
                ("campaigns", "agent_id"),
                "agents",
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                "fk_campaigns_created_by",
                ("campaigns", "created_by"),
                "users",
                ForeignKeyAction::SetNull,
            )),
    )
    .to_owned()
}

fn recipients() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("campaign_recipients")
            .col(pk_uuid("id"))
            .col(uuid("campaign_id"))
            .col(uuid("workspace_id"))
            // The row of the imported file it came from (none when added by hand).
            .col(integer_null("row_number"))
            // E.164
            .col(string_len("phone", 20))
            .col(string_len_null("name", 200))
            // Every mapped column's value, by variable name.
            .col(json_binary("fields"))
            // IANA name when known (a column, or the number's region); else the campaign's.
            .col(string_len_null("time_zone", 64))
            // queued | calling | completed | failed | skipped | cancelled
            .col(string_len("status", 16))
            .col(string_len_null("outcome", 16))
            .col(integer("attempts").default(0))
            .col(timestamp_with_time_zone_null("next_attempt_at"))
            .col(text_null("last_error"))
            .col(uuid_null("conversation_id"))
            .foreign_key(&mut fk(
                "fk_campaign_recipients_campaign",
                ("campaign_recipients", "campaign_id"),
                "campaigns",
                ForeignKeyAction::Cascade,
            )),
    )
    .to_owned()
}

fn attempts() -> TableCreateStatement {
    Table::create()
        .table("campaign_attempts")
        // The attempt's key: the provider call and the conversation carry it.
        .col(pk_uuid("id"))
        .col(uuid("recipient_id"))
        .col(uuid("campaign_id"))
        .col(uuid("workspace_id"))
        .col(integer("number"))
        // placing | placed | ended | failed
        .col(string_len("state", 16))
        .col(string_len_null("external_id", 128))
        .col(uuid_null("conversation_id"))
        .col(string_len_null("outcome", 16))
        .col(text_null("error"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone_null("placed_at"))
        .col(timestamp_with_time_zone_null("ended_at"))
        .foreign_key(&mut fk(
            "fk_campaign_attempts_recipient",
            ("campaign_attempts", "recipient_id"),
            "campaign_recipients",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_campaign_attempts_campaign",
            ("campaign_attempts", "campaign_id"),
            "campaigns",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn rejects() -> TableCreateStatement {
    Table::create()
        .table("campaign_rejects")
        .col(pk_uuid("id"))
        .col(uuid("campaign_id"))
        // The file's row (the header is row 1).
        .col(integer("row_number"))
        // The phone cell as written.
        .col(string_len("phone", 64))
        // missing_phone | invalid_number | duplicate | bad_time_zone | too_long
        .col(string_len("reason", 16))
        .col(text("detail"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk(
            "fk_campaign_rejects_campaign",
            ("campaign_rejects", "campaign_id"),
            "campaigns",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn do_not_call() -> TableCreateStatement {
    Table::create()
        .table("do_not_call")
        .col(pk_uuid("id"))
        .col(uuid("partner_id"))
        // None: the whole organisation's list.
        .col(uuid_null("workspace_id"))
        // The workspace's id, or the partner's for the organisation's list: one number
        // appears once per list.
        .col(uuid("scope_id"))
        .col(string_len("phone", 20))
        .col(text_null("reason"))
        // manual | import | request
        .col(string_len("source", 16))
        .col(uuid_null("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk(
            "fk_do_not_call_partner",
            ("do_not_call", "partner_id"),
            "partners",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_do_not_call_workspace",
            ("do_not_call", "workspace_id"),
            "workspaces",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_do_not_call_created_by",
            ("do_not_call", "created_by"),
            "users",
            ForeignKeyAction::SetNull,
        ))
        .to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("ix_campaigns_workspace_status")
            .table("campaigns")
            .col("workspace_id")
            .col("status")
            .to_owned(),
        // One number once per campaign: duplicates in a list merge.
        Index::create()
            .name("ux_campaign_recipients_phone")
            .table("campaign_recipients")
            .col("campaign_id")
            .col("phone")
            .unique()
            .to_owned(),
        // Dispatch reads a campaign's due recipients.
        Index::create()
            .name("ix_campaign_recipients_due")
            .table("campaign_recipients")
            .col("campaign_id")
            .col("status")
            .col("next_attempt_at")
            .to_owned(),
        Index::create()
            .name("ix_campaign_rejects_campaign_row")
            .table("campaign_rejects")
            .col("campaign_id")
            .col("row_number")
            .to_owned(),
        Index::create()
            .name("ux_campaign_attempts_number")
            .table("campaign_attempts")
            .col("recipient_id")
            .col("number")
            .unique()
            .to_owned(),
        Index::create()
            .name("ix_campaign_attempts_campaign_state")
            .table("campaign_attempts")
            .col("campaign_id")
            .col("state")
            .to_owned(),
        Index::create()
            .name("ix_campaign_attempts_workspace_state")
            .table("campaign_attempts")
            .col("workspace_id")
            .col("state")
            .to_owned(),
        Index::create()
            .name("ux_do_not_call_phone")
            .table("do_not_call")
            .col("scope_id")
            .col("phone")
            .unique()
            .to_owned(),
        Index::create()
            .name("ix_do_not_call_partner_phone")
            .table("do_not_call")
            .col("partner_id")
            .col("phone")
            .to_owned(),
        Index::create()
            .name("ux_conversations_campaign_attempt")
            .table("conversations")
            .col("campaign_attempt_id")
            .unique()
            .to_owned(),
    ]
}
