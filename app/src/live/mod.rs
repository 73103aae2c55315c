//! News for open pages: each stored change of a call, and each change of a campaign's
//! progress, is announced to the pages of its workspace (`calls::live` and
//! `campaigns::live` stream it to them, through [`sse`]).
//!
//! Within one process a broadcast channel carries the news. On PostgreSQL the news goes
//! through the database instead (`pg_notify` in the transaction that stored the change, so
//! it is sent only if that commits), and every process relays what it hears to its own
//! pages: a call ingested by one server, or a campaign worked by a worker process, shows
//! live on pages served by another.

pub mod guard;
pub mod sse;

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The PostgreSQL channel news travels on.
pub const CHANNEL: &str = "genius365_news";

/// Something an open page may want to show again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum News {
    Call(CallEvent),
    Campaign(CampaignEvent),
}

impl News {
    pub fn workspace_id(&self) -> Uuid {
        match self {
            Self::Call(e) => e.workspace_id,
            Self::Campaign(e) => e.workspace_id,
        }
    }
}

/// A call of a workspace changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallEvent {
    pub workspace_id: Uuid,
    pub conversation_id: Uuid,
    pub status: crate::calls::model::CallStatus,
}

/// A campaign's progress moved: a recipient claimed, a call placed or ended, a retry
/// scheduled, the campaign paused, resumed, started or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignEvent {
    pub workspace_id: Uuid,
    pub campaign_id: Uuid,
}

/// The process's fan-out of news to open pages.
#[derive(Debug, Clone)]
pub struct LiveNews {
    tx: broadcast::Sender<News>,
}

impl Default for LiveNews {
    fn default() -> Self {
        // A page that falls this far behind skips ahead; it only refreshes anyway.
        Self {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl LiveNews {
    pub fn subscribe(&self) -> broadcast::Receiver<News> {
        self.tx.subscribe()
    }

    /// Tells this process's pages (nobody listening is fine).
    pub fn publish(&self, news: News) {
        let _ = self.tx.send(news);
    }
}

/// Announces `news` from inside the transaction that stored it: on PostgreSQL the
/// notification leaves only when the transaction commits. Returns whether it was sent that
/// way; if not, the caller publishes it itself after committing.
pub async fn notify_in<C: ConnectionTrait>(db: &C, news: &News) -> Result<bool, sea_orm::DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(false);
    }
    let payload = serde_json::to_string(news).unwrap_or_default();
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(true)
}

/// Announces `news` from inside a transaction where the caller cannot publish after it
/// commits (a service deep in a job): through the database on PostgreSQL (sent on commit),
/// at once on SQLite. A page hearing it early loses nothing: the campaign stream gathers
/// news for a moment before telling its page, by which time the writer has committed; if
/// the writer rolled back, the page shows what it showed.
pub async fn tell<C: ConnectionTrait>(
    db: &C,
    live: &LiveNews,
    news: News,
) -> Result<(), sea_orm::DbErr> {
    if !notify_in(db, &news).await? {
        live.publish(news);
    }
    Ok(())
}

/// On PostgreSQL, relays every process's news to this process's pages, reconnecting
/// when the connection drops. Nothing to do on SQLite (one process).
pub fn spawn_relay(db: &sea_orm::DatabaseConnection, live: LiveNews) {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        loop {
            match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen(CHANNEL).await {
                        tracing::warn!(error = %e, "could not listen for news");
                    } else {
                        while let Ok(note) = listener.recv().await {
                            if let Ok(news) = serde_json::from_str::<News>(note.payload()) {
                                live.publish(news);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not connect to hear news"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}
