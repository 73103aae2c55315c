//! Per-day call totals, kept by the database: one row per workspace, UTC day, direction,
//! status and end reason, with the number of calls and their seconds, billed minutes,
//! billed cents and success judgements. The dashboard and the calls page's totals read
//! these few rows instead of every call of the period. Triggers on `conversations` keep
//! them exact whichever way a call is written: an insert adds the call to its group, an
//! update moves it from its old group to its new one, a delete takes it away (a group
//! that falls to no calls is removed).
//!
//! A removed call only ever lowers a row that exists (an `UPDATE`, never an insert), so a
//! workspace deleted with its calls leaves nothing behind: its rows go by the foreign key,
//! and the calls' delete triggers find nothing left to lower.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "call_day_totals";

/// The group of a conversation row (`{R}` is NEW or OLD) in SQLite: its UTC day is the
/// first ten characters of the stored RFC 3339 time, which is always in UTC.
const SQLITE_DAY: &str = "substr({R}.created_at, 1, 10)";
const POSTGRES_DAY: &str = "({R}.created_at AT TIME ZONE 'UTC')::date";

/// Adds conversation `{R}` to its group.
const ADD: &str = "INSERT INTO call_day_totals \
    (workspace_id, day, direction, status, end_reason, calls, seconds, billed_minutes, billed_cents, judged, successful) \
    VALUES ({R}.workspace_id, {DAY}, {R}.direction, {R}.status, coalesce({R}.end_reason, ''), 1, \
        {R}.duration_seconds, {R}.billed_minutes, {R}.billed_cents, \
        CASE WHEN {R}.successful IS NULL THEN 0 ELSE 1 END, CASE WHEN {R}.successful THEN 1 ELSE 0 END) \
    ON CONFLICT (workspace_id, day, direction, status, end_reason) DO UPDATE SET \
        calls = call_day_totals.calls + excluded.calls, \
        seconds = call_day_totals.seconds + excluded.seconds, \
        billed_minutes = call_day_totals.billed_minutes + excluded.billed_minutes, \
        billed_cents = call_day_totals.billed_cents + excluded.billed_cents, \
        judged = call_day_totals.judged + excluded.judged, \
        successful = call_day_totals.successful + excluded.successful";

/// The row of conversation `{R}`'s group.
const GROUP: &str = "workspace_id = {R}.workspace_id AND day = {DAY} AND direction = {R}.direction \
    AND status = {R}.status AND end_reason = coalesce({R}.end_reason, '')";

/// Takes conversation `{R}` out of its group, and the group away when it is empty.
const REMOVE: &[&str] = &[
    "UPDATE call_day_totals SET calls = calls - 1, \
        seconds = seconds - {R}.duration_seconds, \
        billed_minutes = billed_minutes - {R}.billed_minutes, \
        billed_cents = billed_cents - {R}.billed_cents, \
        judged = judged - CASE WHEN {R}.successful IS NULL THEN 0 ELSE 1 END, \
        successful = successful - CASE WHEN {R}.successful THEN 1 ELSE 0 END \
     WHERE {GROUP}",
    "DELETE FROM call_day_totals WHERE {GROUP} AND calls <= 0",
];

/// The columns whose change moves a call between groups or changes its figures.
const COUNTED: &str = "workspace_id, created_at, direction, status, end_reason, duration_seconds, \
    billed_minutes, billed_cents, successful";

/// Calls stored before the totals existed.
const BACKFILL: &str = "INSERT INTO call_day_totals \
    (workspace_id, day, direction, status, end_reason, calls, seconds, billed_minutes, billed_cents, judged, successful) \
    SELECT r.workspace_id, {DAY}, r.direction, r.status, coalesce(r.end_reason, ''), COUNT(*), \
        SUM(r.duration_seconds), SUM(r.billed_minutes), SUM(r.billed_cents), \
        SUM(CASE WHEN r.successful IS NULL THEN 0 ELSE 1 END), SUM(CASE WHEN r.successful THEN 1 ELSE 0 END) \
    FROM conversations r \
    GROUP BY r.workspace_id, {DAY}, r.direction, r.status, coalesce(r.end_reason, '')";

/// `sql` for row `r` (NEW, OLD or a table alias) on a backend whose day expression is `day`.
fn for_row(sql: &str, r: &str, day: &str) -> String {
    sql.replace("{GROUP}", GROUP)
        .replace("{DAY}", day)
        .replace("{R}", r)
}

fn remove(r: &str, day: &str) -> String {
    REMOVE
        .iter()
        .map(|sql| format!("{};", for_row(sql, r, day)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn sqlite_statements() -> Vec<String> {
    let day = SQLITE_DAY;
    vec![
        format!(
            "CREATE TRIGGER conversations_totals_insert AFTER INSERT ON conversations BEGIN {}; END",
            for_row(ADD, "NEW", day)
        ),
        format!(
            "CREATE TRIGGER conversations_totals_update AFTER UPDATE OF {COUNTED} ON conversations \
             BEGIN {} {}; END",
            remove("OLD", day),
            for_row(ADD, "NEW", day)
        ),
        format!(
            "CREATE TRIGGER conversations_totals_delete AFTER DELETE ON conversations BEGIN {} END",
            remove("OLD", day)
        ),
        for_row(BACKFILL, "r", day),
    ]
}

fn postgres_statements() -> Vec<String> {
    let day = POSTGRES_DAY;
    vec![
        format!(
            "CREATE FUNCTION conversations_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
                IF TG_OP <> 'INSERT' THEN {} END IF; \
                IF TG_OP <> 'DELETE' THEN {}; END IF; \
                RETURN NULL; \
             END $$",
            remove("OLD", day),
            for_row(ADD, "NEW", day)
        ),
        format!(
            "CREATE TRIGGER conversations_totals_change \
             AFTER INSERT OR UPDATE OF {COUNTED} OR DELETE ON conversations \
             FOR EACH ROW EXECUTE FUNCTION conversations_totals_change()"
        ),
        for_row(BACKFILL, "r", day),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TABLE)
                    .col(uuid("workspace_id"))
                    .col(date("day"))
                    .col(string_len("direction", 16))
                    .col(string_len("status", 16))
                    .col(string_len("end_reason", 128))
                    .col(big_integer("calls"))
                    .col(big_integer("seconds"))
                    .col(big_integer("billed_minutes"))
                    .col(big_integer("billed_cents"))
                    .col(big_integer("judged"))
                    .col(big_integer("successful"))
                    .primary_key(
                        Index::create()
                            .col("workspace_id")
                            .col("day")
                            .col("direction")
                            .col("status")
                            .col("end_reason"),
                    )
                    .foreign_key(&mut fk(
                        "fk_call_day_totals_workspace",
                        (TABLE, "workspace_id"),
                        "workspaces",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => sqlite_statements(),
            DatabaseBackend::Postgres => postgres_statements(),
            other => {
                return Err(DbErr::Migration(format!(
                    "call totals have no triggers for {other:?}"
                )));
            }
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS conversations_totals_change ON conversations",
                "DROP FUNCTION IF EXISTS conversations_totals_change()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS conversations_totals_insert",
                "DROP TRIGGER IF EXISTS conversations_totals_update",
                "DROP TRIGGER IF EXISTS conversations_totals_delete",
            ],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        manager
            .drop_table(Table::drop().table(TABLE).to_owned())
            .await
    }
}
