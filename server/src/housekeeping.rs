//! Periodic work inside `serve`: delivering the email outbox (retries after a failed
//! attempt included), forgetting ended sessions and old rate-limit hits, and asking the
//! voice providers about open calls whose webhooks never came (`app::calls::poll`), and
//! refreshing SQLite's planner statistics (`app::db::optimize`). The durable
//! job queue (a later issue) takes this over; until then one loop per process does it,
//! and every step is safe to run in several processes at once.

use std::time::Duration;

use app::auth::{rate_limit, session};
use app::email::outbox;
use app::state::AppState;
use chrono::Utc;

/// How often a pass runs.
pub const EVERY: Duration = Duration::from_secs(60);

/// Starts the loop; it runs until the process ends. Each pass runs as a task of its own,
/// so a pass that panics is logged and the next one still runs.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let state = state.clone();
            guarded(async move { run_once(&state).await }).await;
        }
    });
}

/// Runs one pass as its own task; `false` (and a log line) when it panicked.
pub async fn guarded<F>(pass: F) -> bool
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    match tokio::spawn(pass).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "a housekeeping pass failed; the next one runs as usual");
            false
        }
    }
}

/// One pass; failures are logged and retried on the next pass.
pub async fn run_once(state: &AppState) {
    if let Err(e) = outbox::deliver_pending(state).await {
        tracing::warn!(error = %e, "email delivery pass failed");
    }
    let now = Utc::now();
    match session::purge_ended(&state.db, now).await {
        Ok(n) if n > 0 => tracing::info!(sessions = n, "ended sessions forgotten"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "session purge failed"),
    }
    if let Err(e) = rate_limit::purge_old(&state.db, now).await {
        tracing::warn!(error = %e, "rate-limit purge failed");
    }
    if let Err(e) = app::billing::holds::purge_expired(&state.db).await {
        tracing::warn!(error = %e, "call-hold purge failed");
    }
    if let Err(e) = app::db::optimize(&state.db).await {
        tracing::warn!(error = %e, "planner statistics were not refreshed");
    }
    match app::calls::poll::sweep(state, None, now).await {
        Ok(s) if s.asked > 0 => tracing::info!(
            asked = s.asked,
            updated = s.updated,
            given_up = s.given_up,
            errors = s.errors,
            "open calls asked about"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "open-call pass failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[tokio::test]
    async fn a_pass_that_panics_is_contained_and_the_next_one_runs() {
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        assert!(!guarded(async { panic!("a broken pass") }).await);
        let flag = ran.clone();
        assert!(
            guarded(async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) }).await
        );
        assert!(ran.load(std::sync::atomic::Ordering::SeqCst));
    }
}
