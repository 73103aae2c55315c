//! News of calls for open pages: each stored change of a call is announced to the pages of
//! its workspace (`calls::live` streams it to them).
//!
//! Within one process a broadcast channel carries the news. On PostgreSQL the news goes
//! through the database instead (`pg_notify` in the transaction that stored the change, so
//! it is sent only if that commits), and every process relays what it hears to its own
//! pages: a call ingested by one server shows live on pages served by another.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The PostgreSQL channel call news travels on.
pub const CHANNEL: &str = "genius365_calls";

/// A call of a workspace changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallEvent {
    pub workspace_id: Uuid,
    pub conversation_id: Uuid,
    pub status: crate::calls::model::CallStatus,
}

/// The process's fan-out of call news to open pages.
#[derive(Debug, Clone)]
pub struct LiveCalls {
    tx: broadcast::Sender<CallEvent>,
}

impl Default for LiveCalls {
    fn default() -> Self {
        // A page that falls this far behind skips ahead; it only refreshes anyway.
        Self {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl LiveCalls {
    pub fn subscribe(&self) -> broadcast::Receiver<CallEvent> {
        self.tx.subscribe()
    }

    /// Tells this process's pages (nobody listening is fine).
    pub fn publish(&self, event: CallEvent) {
        let _ = self.tx.send(event);
    }
}

/// Announces `event` from inside the transaction that stored it: on PostgreSQL the
/// notification leaves only when the transaction commits. Returns whether it was sent that
/// way; if not, the caller publishes it itself after committing.
pub async fn notify_in<C: ConnectionTrait>(
    db: &C,
    event: &CallEvent,
) -> Result<bool, sea_orm::DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(false);
    }
    let payload = serde_json::to_string(event).unwrap_or_default();
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(true)
}

/// On PostgreSQL, relays every process's call news to this process's pages, reconnecting
/// when the connection drops. Nothing to do on SQLite (one process).
pub fn spawn_relay(db: &sea_orm::DatabaseConnection, live: LiveCalls) {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        loop {
            match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen(CHANNEL).await {
                        tracing::warn!(error = %e, "could not listen for call news");
                    } else {
                        while let Ok(note) = listener.recv().await {
                            if let Ok(event) = serde_json::from_str::<CallEvent>(note.payload()) {
                                live.publish(event);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not connect to hear call news"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}
