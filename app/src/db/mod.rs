//! The database: connection setup for SQLite and PostgreSQL, entities, and test builders.

pub mod entity;

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use migration::{Migrator, MigratorTrait};

/// Opens a pool on `url`. SQLite gets WAL, NORMAL sync, a busy timeout, foreign keys and a
/// memory map; both backends get a bounded acquire timeout so a stuck pool errors instead
/// of hanging.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    // Statements are logged at debug level under `sqlx::query`, which the default filter
    // hides: `RUST_LOG=sqlx::query=debug` lists a request's queries and their times.
    options
        .sqlx_logging(true)
        .sqlx_logging_level(tracing::log::LevelFilter::Debug)
        .acquire_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(5));
    if url.starts_with("sqlite:") {
        // WAL lets readers run beside the single writer; writes use IMMEDIATE transactions.
        // A connection to a local file does not go stale, so it is not pinged before use
        // (a ping is a round trip to the connection's thread on every query).
        options
            .max_connections(8)
            .min_connections(1)
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true)
                    // Pages are read through a memory map instead of a `pread` copy each.
                    .pragma("mmap_size", "268435456")
            });
    } else {
        // A connection idle for a while is pinged before use (the server or a proxy may
        // have dropped it); one in steady use is not, saving a round trip per query.
        options
            .max_connections(16)
            .test_before_acquire_if_idle_for(Duration::from_secs(10));
    }
    Database::connect(options).await
}

/// Connects and brings the schema up to date.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Begins a transaction that will write. On SQLite it takes the write lock at BEGIN
/// (IMMEDIATE), so it waits on the busy timeout instead of failing when it upgrades.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let sqlite_transaction_mode = (db.get_database_backend() == DbBackend::Sqlite)
        .then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode,
        ..Default::default()
    })
    .await
}

/// Keeps the query planner's statistics current. SQLite gathers none by itself: without
/// them it may answer a search by walking a workspace's every call instead of starting
/// from the few the search index found (15 ms instead of 0.5 ms at 20,000 calls).
/// `PRAGMA optimize` analyses only the tables that changed enough, so it is cheap to run
/// often; the periodic job `jobs::optimize::Optimize` runs it. PostgreSQL's autovacuum does the same there.
pub async fn optimize(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        // 0x10000: every table, not only those this connection used; 0x2: analyse.
        db.execute_unprepared("PRAGMA optimize=0x10002").await?;
    }
    Ok(())
}

/// A cheap round trip that proves the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Statement};

    /// The build flags of `.cargo/config.toml` reach the SQLite we link: without them every
    /// `.one()` and every indexed lookup is compiled again on each run.
    #[tokio::test]
    async fn sqlite_keeps_statements_prepared() {
        let db = super::connect("sqlite::memory:").await.unwrap();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA compile_options",
            ))
            .await
            .unwrap();
        let options: Vec<String> = rows
            .iter()
            .map(|row| row.try_get_by_index(0).unwrap())
            .collect();
        assert!(
            options.iter().any(|o| o == "ENABLE_QPSG"),
            "SQLite without the planner's stability guarantee: {options:?}"
        );
        assert!(
            !options.iter().any(|o| o == "ENABLE_STAT4"),
            "SQLite with STAT4: {options:?}"
        );
    }
}
