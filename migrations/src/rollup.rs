//! Call totals kept by the database. A rollup table holds, per workspace (and, for a daily
//! one, per UTC day), direction, status and end reason, the number of calls and their
//! seconds, billed minutes, billed cents and success judgements. Triggers on
//! `conversations` keep it exact whichever way a call is written: an insert adds the call
//! to its group, an update moves it from its old group to its new one, a delete takes it
//! away (a group that falls to no calls is removed).
//!
//! A removed call only ever lowers a row that exists (an `UPDATE`, never an insert), so a
//! workspace deleted with its calls leaves nothing behind: its rows go by the foreign key,
//! and the calls' delete triggers find nothing left to lower.
//!
//! The statements are assembled from templates; a migration that already ran must keep
//! producing the same text, which the tests below hold to.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::fk;

/// One rollup of the calls.
pub struct Rollup {
    pub table: &'static str,
    /// Rows per UTC day (a `day` key column), or over all time.
    pub daily: bool,
    /// What the triggers (and PostgreSQL's trigger function) are named after.
    pub trigger: &'static str,
}

/// The group of a conversation row (`{R}` is NEW or OLD) in SQLite: its UTC day is the
/// first ten characters of the stored RFC 3339 time, which is always in UTC.
const SQLITE_DAY: &str = "substr({R}.created_at, 1, 10)";
const POSTGRES_DAY: &str = "({R}.created_at AT TIME ZONE 'UTC')::date";

/// Adds conversation `{R}` to its group.
const ADD: &str = "INSERT INTO {T} \
    (workspace_id{DAYCOL}, direction, status, end_reason, calls, seconds, billed_minutes, billed_cents, judged, successful) \
    VALUES ({R}.workspace_id{DAYVAL}, {R}.direction, {R}.status, coalesce({R}.end_reason, ''), 1, \
        {R}.duration_seconds, {R}.billed_minutes, {R}.billed_cents, \
        CASE WHEN {R}.successful IS NULL THEN 0 ELSE 1 END, CASE WHEN {R}.successful THEN 1 ELSE 0 END) \
    ON CONFLICT (workspace_id{DAYCOL}, direction, status, end_reason) DO UPDATE SET \
        calls = {T}.calls + excluded.calls, \
        seconds = {T}.seconds + excluded.seconds, \
        billed_minutes = {T}.billed_minutes + excluded.billed_minutes, \
        billed_cents = {T}.billed_cents + excluded.billed_cents, \
        judged = {T}.judged + excluded.judged, \
        successful = {T}.successful + excluded.successful";

/// The row of conversation `{R}`'s group.
const GROUP: &str = "workspace_id = {R}.workspace_id{DAYEQ} AND direction = {R}.direction \
    AND status = {R}.status AND end_reason = coalesce({R}.end_reason, '')";

/// Takes conversation `{R}` out of its group, and the group away when it is empty.
const REMOVE: &[&str] = &[
    "UPDATE {T} SET calls = calls - 1, \
        seconds = seconds - {R}.duration_seconds, \
        billed_minutes = billed_minutes - {R}.billed_minutes, \
        billed_cents = billed_cents - {R}.billed_cents, \
        judged = judged - CASE WHEN {R}.successful IS NULL THEN 0 ELSE 1 END, \
        successful = successful - CASE WHEN {R}.successful THEN 1 ELSE 0 END \
     WHERE {GROUP}",
    "DELETE FROM {T} WHERE {GROUP} AND calls <= 0",
];

/// The columns whose change moves a call between groups or changes its figures.
const COUNTED: &str = "workspace_id, created_at, direction, status, end_reason, duration_seconds, \
    billed_minutes, billed_cents, successful";

/// Calls stored before the rollup existed.
const BACKFILL: &str = "INSERT INTO {T} \
    (workspace_id{DAYCOL}, direction, status, end_reason, calls, seconds, billed_minutes, billed_cents, judged, successful) \
    SELECT r.workspace_id{DAYVAL}, r.direction, r.status, coalesce(r.end_reason, ''), COUNT(*), \
        SUM(r.duration_seconds), SUM(r.billed_minutes), SUM(r.billed_cents), \
        SUM(CASE WHEN r.successful IS NULL THEN 0 ELSE 1 END), SUM(CASE WHEN r.successful THEN 1 ELSE 0 END) \
    FROM conversations r \
    GROUP BY r.workspace_id{DAYVAL}, r.direction, r.status, coalesce(r.end_reason, '')";

impl Rollup {
    /// `sql` for row `r` (NEW, OLD or a table alias) on a backend whose day expression is
    /// `day`.
    fn for_row(&self, sql: &str, r: &str, day: &str) -> String {
        let (col, val, eq) = if self.daily {
            (", day", ", {DAY}", " AND day = {DAY}")
        } else {
            ("", "", "")
        };
        sql.replace("{GROUP}", GROUP)
            .replace("{DAYCOL}", col)
            .replace("{DAYVAL}", val)
            .replace("{DAYEQ}", eq)
            .replace("{DAY}", day)
            .replace("{T}", self.table)
            .replace("{R}", r)
    }

    fn remove(&self, r: &str, day: &str) -> String {
        REMOVE
            .iter()
            .map(|sql| format!("{};", self.for_row(sql, r, day)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sqlite_statements(&self) -> Vec<String> {
        let (day, name) = (SQLITE_DAY, self.trigger);
        vec![
            format!(
                "CREATE TRIGGER {name}_insert AFTER INSERT ON conversations BEGIN {}; END",
                self.for_row(ADD, "NEW", day)
            ),
            format!(
                "CREATE TRIGGER {name}_update AFTER UPDATE OF {COUNTED} ON conversations \
                 BEGIN {} {}; END",
                self.remove("OLD", day),
                self.for_row(ADD, "NEW", day)
            ),
            format!(
                "CREATE TRIGGER {name}_delete AFTER DELETE ON conversations BEGIN {} END",
                self.remove("OLD", day)
            ),
            self.for_row(BACKFILL, "r", day),
        ]
    }

    fn postgres_statements(&self) -> Vec<String> {
        let (day, name) = (POSTGRES_DAY, self.trigger);
        vec![
            format!(
                "CREATE FUNCTION {name}_change() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN \
                    IF TG_OP <> 'INSERT' THEN {} END IF; \
                    IF TG_OP <> 'DELETE' THEN {}; END IF; \
                    RETURN NULL; \
                 END $$",
                self.remove("OLD", day),
                self.for_row(ADD, "NEW", day)
            ),
            format!(
                "CREATE TRIGGER {name}_change \
                 AFTER INSERT OR UPDATE OF {COUNTED} OR DELETE ON conversations \
                 FOR EACH ROW EXECUTE FUNCTION {name}_change()"
            ),
            self.for_row(BACKFILL, "r", day),
        ]
    }

    /// Creates the table, its triggers, and its rows for the calls already stored.
    pub async fn create(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        let mut table = Table::create();
        table.table(self.table).col(uuid("workspace_id"));
        let mut key = Index::create();
        key.col("workspace_id");
        if self.daily {
            table.col(date("day"));
            key.col("day");
        }
        table
            .col(string_len("direction", 16))
            .col(string_len("status", 16))
            .col(string_len("end_reason", 128))
            .col(big_integer("calls"))
            .col(big_integer("seconds"))
            .col(big_integer("billed_minutes"))
            .col(big_integer("billed_cents"))
            .col(big_integer("judged"))
            .col(big_integer("successful"))
            .primary_key(key.col("direction").col("status").col("end_reason"))
            .foreign_key(&mut fk(
                &format!("fk_{}_workspace", self.table),
                (self.table, "workspace_id"),
                "workspaces",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(table.to_owned()).await?;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => self.sqlite_statements(),
            DatabaseBackend::Postgres => self.postgres_statements(),
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

    /// Drops the triggers and the table.
    pub async fn drop(&self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let name = self.trigger;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!("DROP TRIGGER IF EXISTS {name}_change ON conversations"),
                format!("DROP FUNCTION IF EXISTS {name}_change()"),
            ],
            _ => vec![
                format!("DROP TRIGGER IF EXISTS {name}_insert"),
                format!("DROP TRIGGER IF EXISTS {name}_update"),
                format!("DROP TRIGGER IF EXISTS {name}_delete"),
            ],
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        manager
            .drop_table(Table::drop().table(self.table).to_owned())
            .await
    }
}

#[cfg(test)]
mod tests {
    use crate::m20261205_000002_call_day_totals::DAY_TOTALS;
    use crate::m20261206_000001_call_totals::TOTALS;

    fn statements(rollup: &super::Rollup) -> String {
        let mut all = rollup.sqlite_statements();
        all.extend(rollup.postgres_statements());
        all.join("\n")
    }

    #[test]
    fn the_daily_rollup_keeps_the_statements_it_was_created_with() {
        assert_eq!(
            statements(&DAY_TOTALS),
            include_str!("snapshots/call_day_totals.sql")
        );
    }

    #[test]
    fn the_all_time_rollup_has_no_day() {
        let sql = statements(&TOTALS);
        assert!(!sql.contains("day"), "{sql}");
        assert!(sql.contains("ON CONFLICT (workspace_id, direction, status, end_reason)"));
        assert!(sql.contains("CREATE TRIGGER conversations_all_totals_insert"));
    }
}
