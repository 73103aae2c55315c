//! Full-text search over calls: what was said (the transcript's lines), the summary, the
//! caller's name and number. The database keeps the index current itself, with triggers,
//! so every way a call is written is searchable at once.
//!
//! SQLite: an FTS5 table whose row ids come from a key table (the conversations' own row
//! ids are not stable across VACUUM, their keys are UUIDs). PostgreSQL: a `tsvector`
//! column filled by a trigger, under a GIN index. Both use the `simple` word rules (no
//! stemming), so the two backends find the same calls.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The searchable text of a conversation row `r`, in SQLite.
const SQLITE_BODY: &str = "coalesce(r.caller_name, '') || ' ' || coalesce(r.phone_number, '') \
    || ' ' || coalesce(r.summary, '') || ' ' || coalesce((SELECT group_concat(json_extract(t.value, '$.text'), ' ') \
    FROM json_each(CASE WHEN json_valid(r.transcript) AND json_type(r.transcript) = 'array' THEN r.transcript ELSE '[]' END) AS t), '')";

const SQLITE_UP: &[&str] = &[
    "CREATE TABLE conversation_search_keys (\
        rowid INTEGER PRIMARY KEY, \
        conversation_id BLOB NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE conversation_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER conversations_search_insert AFTER INSERT ON conversations BEGIN \
        INSERT INTO conversation_search_keys (conversation_id) VALUES (NEW.id); \
        INSERT INTO conversation_search (rowid, body) \
            SELECT k.rowid, {BODY} FROM conversation_search_keys k, conversations r \
            WHERE k.conversation_id = NEW.id AND r.id = NEW.id; \
     END",
    "CREATE TRIGGER conversations_search_update \
        AFTER UPDATE OF transcript, summary, caller_name, phone_number ON conversations BEGIN \
        UPDATE conversation_search SET body = (SELECT {BODY} FROM conversations r WHERE r.id = NEW.id) \
            WHERE rowid = (SELECT rowid FROM conversation_search_keys WHERE conversation_id = NEW.id); \
     END",
    "CREATE TRIGGER conversations_search_delete AFTER DELETE ON conversations BEGIN \
        DELETE FROM conversation_search \
            WHERE rowid = (SELECT rowid FROM conversation_search_keys WHERE conversation_id = OLD.id); \
        DELETE FROM conversation_search_keys WHERE conversation_id = OLD.id; \
     END",
    // Calls stored before search existed.
    "INSERT INTO conversation_search_keys (conversation_id) SELECT id FROM conversations",
    "INSERT INTO conversation_search (rowid, body) \
        SELECT k.rowid, {BODY} FROM conversation_search_keys k JOIN conversations r ON r.id = k.conversation_id",
];

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE conversations ADD COLUMN search_vector tsvector",
    "CREATE FUNCTION conversations_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
        NEW.search_vector := to_tsvector('simple', \
            coalesce(NEW.caller_name, '') || ' ' || coalesce(NEW.phone_number, '') || ' ' || \
            coalesce(NEW.summary, '') || ' ' || \
            coalesce((SELECT string_agg(t ->> 'text', ' ') FROM jsonb_array_elements( \
                CASE WHEN jsonb_typeof(NEW.transcript) = 'array' THEN NEW.transcript ELSE '[]'::jsonb END) AS t), '')); \
        RETURN NEW; \
     END $$",
    "CREATE TRIGGER conversations_search_refresh \
        BEFORE INSERT OR UPDATE OF transcript, summary, caller_name, phone_number ON conversations \
        FOR EACH ROW EXECUTE FUNCTION conversations_search_refresh()",
    // Calls stored before search existed (the trigger fills the column).
    "UPDATE conversations SET summary = summary",
    "CREATE INDEX ix_conversations_search ON conversations USING GIN (search_vector)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for sql in SQLITE_UP {
                    db.execute_unprepared(&sql.replace("{BODY}", SQLITE_BODY))
                        .await?;
                }
            }
            DatabaseBackend::Postgres => {
                for sql in POSTGRES_UP {
                    db.execute_unprepared(sql).await?;
                }
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "call search has no index for {other:?}"
                )));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS conversations_search_refresh ON conversations",
                "DROP FUNCTION IF EXISTS conversations_search_refresh()",
                "DROP INDEX IF EXISTS ix_conversations_search",
                "ALTER TABLE conversations DROP COLUMN IF EXISTS search_vector",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS conversations_search_insert",
                "DROP TRIGGER IF EXISTS conversations_search_update",
                "DROP TRIGGER IF EXISTS conversations_search_delete",
                "DROP TABLE IF EXISTS conversation_search",
                "DROP TABLE IF EXISTS conversation_search_keys",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
