//! Agents and what they are built from: voice agents with their provider sync state,
//! knowledge documents and which agents use them, workspace variables, and conversations
//! (one row per call; the calls area builds the call log on it).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, stamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(agents()).await?;
        manager.create_table(knowledge_documents()).await?;
        manager.create_table(agent_knowledge_documents()).await?;
        manager.create_table(workspace_variables()).await?;
        manager.create_table(conversations()).await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "conversations",
            "workspace_variables",
            "agent_knowledge_documents",
            "knowledge_documents",
            "agents",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn agents() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("agents")
            .col(pk_uuid("id"))
            .col(uuid("workspace_id"))
            .col(string_len("name", 40))
            .col(text_null("description"))
            // sandbox | vapi | retell
            .col(string_len("provider", 16))
            // inbound | outbound
            .col(string_len("direction", 16))
            .col(boolean("allow_outbound").default(false))
            // The agent's settings as the user wrote them (`agents::model::AgentConfig`).
            .col(json_binary("config"))
            // The provider's ids once synced: VAPI assistant or Retell agent, Retell LLM.
            .col(string_len_null("external_id", 128))
            .col(string_len_null("external_llm_id", 128))
            // not_synced | pending | synced | error
            .col(string_len("sync_status", 16).default("not_synced"))
            .col(text_null("last_sync_error"))
            .col(timestamp_with_time_zone_null("last_synced_at"))
            .col(boolean("needs_resync").default(false))
            .col(boolean("is_active").default(true))
            .col(integer("total_calls").default(0))
            .col(big_integer("total_seconds").default(0))
            .col(big_integer("total_cost_cents").default(0))
            .col(timestamp_with_time_zone_null("last_call_at"))
            .col(uuid_null("created_by"))
            .col(timestamp_with_time_zone_null("deleted_at"))
            .foreign_key(&mut fk(
                "fk_agents_workspace",
                ("agents", "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "fk_agents_created_by",
                ("agents", "created_by"),
                "users",
                ForeignKeyAction::SetNull,
            )),
    )
    .to_owned()
}

fn knowledge_documents() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("knowledge_documents")
            .col(pk_uuid("id"))
            .col(uuid("workspace_id"))
            .col(string_len("title", 500))
            .col(text_null("description"))
            // document | faq | product_info | policy | script | other
            .col(string_len("document_type", 20))
            // draft | active | archived
            .col(string_len("status", 16))
            .col(text("content"))
            .col(string_len_null("category", 255))
            .col(json_binary("tags"))
            // Set when the text came from an uploaded file.
            .col(string_len_null("file_name", 255))
            .col(string_len_null("file_type", 16))
            .col(big_integer_null("file_size_bytes"))
            .col(string_len("content_hash", 64))
            .col(uuid_null("created_by"))
            .col(uuid_null("updated_by"))
            .col(timestamp_with_time_zone_null("deleted_at"))
            .foreign_key(&mut fk(
                "fk_knowledge_documents_workspace",
                ("knowledge_documents", "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "fk_knowledge_documents_created_by",
                ("knowledge_documents", "created_by"),
                "users",
                ForeignKeyAction::SetNull,
            ))
            .foreign_key(&mut fk(
                "fk_knowledge_documents_updated_by",
                ("knowledge_documents", "updated_by"),
                "users",
                ForeignKeyAction::SetNull,
            )),
    )
    .to_owned()
}

fn agent_knowledge_documents() -> TableCreateStatement {
    Table::create()
        .table("agent_knowledge_documents")
        .col(uuid("agent_id"))
        .col(uuid("document_id"))
        .col(timestamp_with_time_zone("created_at"))
        .primary_key(Index::create().col("agent_id").col("document_id"))
        .foreign_key(&mut fk(
            "fk_akd_agent",
            ("agent_knowledge_documents", "agent_id"),
            "agents",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "fk_akd_document",
            ("agent_knowledge_documents", "document_id"),
            "knowledge_documents",
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn workspace_variables() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("workspace_variables")
            .col(pk_uuid("id"))
            .col(uuid("workspace_id"))
            .col(string_len("name", 50))
            .col(string_len("description", 200))
            .col(string_len("default_value", 500))
            .col(boolean("is_required").default(false))
            // contact | business | custom
            .col(string_len("category", 16))
            .foreign_key(&mut fk(
                "fk_workspace_variables_workspace",
                ("workspace_variables", "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            )),
    )
    .to_owned()
}

fn conversations() -> TableCreateStatement {
    stamps(
        Table::create()
            .table("conversations")
            .col(pk_uuid("id"))
            .col(uuid("workspace_id"))
            .col(uuid_null("agent_id"))
            .col(string_len("provider", 16))
            // The provider's call id; unique per provider so a call is stored once.
            .col(string_len("external_id", 128))
            // inbound | outbound | web
            .col(string_len("direction", 16))
            // initiated | ringing | in_progress | completed | failed | no_answer | busy | canceled
            .col(string_len("status", 16))
            .col(string_len_null("phone_number", 32))
            .col(string_len_null("caller_name", 255))
            .col(timestamp_with_time_zone_null("started_at"))
            .col(timestamp_with_time_zone_null("ended_at"))
            .col(integer("duration_seconds").default(0))
            .col(text_null("recording_url"))
            // Speaker-tagged turns: [{role, text, seconds}]
            .col(json_binary("transcript"))
            .col(text_null("summary"))
            .col(string_len_null("sentiment", 16))
            .col(big_integer("cost_cents").default(0))
            .col(string_len_null("end_reason", 128))
            .col(json_binary("metadata"))
            .col(boolean("is_test").default(false))
            .foreign_key(&mut fk(
                "fk_conversations_workspace",
                ("conversations", "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "fk_conversations_agent",
                ("conversations", "agent_id"),
                "agents",
                ForeignKeyAction::SetNull,
            )),
    )
    .to_owned()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("ix_agents_workspace")
            .table("agents")
            .col("workspace_id")
            .col("created_at")
            .to_owned(),
        Index::create()
            .name("ix_knowledge_documents_workspace")
            .table("knowledge_documents")
            .col("workspace_id")
            .col("created_at")
            .to_owned(),
        Index::create()
            .name("ix_akd_document")
            .table("agent_knowledge_documents")
            .col("document_id")
            .to_owned(),
        Index::create()
            .name("ux_workspace_variables_name")
            .table("workspace_variables")
            .col("workspace_id")
            .col("name")
            .unique()
            .to_owned(),
        Index::create()
            .name("ux_conversations_external")
            .table("conversations")
            .col("provider")
            .col("external_id")
            .unique()
            .to_owned(),
        Index::create()
            .name("ix_conversations_workspace_created")
            .table("conversations")
            .col("workspace_id")
            .col("created_at")
            .to_owned(),
        Index::create()
            .name("ix_conversations_agent")
            .table("conversations")
            .col("agent_id")
            .to_owned(),
    ]
}
