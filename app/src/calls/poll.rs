//! Asking the providers about calls whose news never came. A call that is not over and
//! has heard nothing for a while is looked up at its provider and stored through the same
//! path as a webhook (`service::ingest`), so a lost or late webhook costs a delay, never a
//! call or its charge. A call the provider still cannot account for a day later is closed
//! as failed, uncharged.
//!
//! Run by the periodic job [`SweepOpenCalls`] for every workspace, and on demand for one
//! workspace from its calls page.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::CallStatus;
use super::service::{StartedCall, ingest};
use crate::db::entity::conversation;
use crate::error::AppError;
use crate::providers::CallRecord;
use crate::providers::VoiceProvider;
use crate::state::AppState;

/// A call quiet for this long is asked about.
pub const QUIET_FOR: Duration = Duration::minutes(2);
/// A call still open this long after it was placed is closed as failed.
pub const GIVE_UP_AFTER: Duration = Duration::hours(24);
/// Calls asked about in one pass.
pub const BATCH: u64 = 100;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sweep {
    pub asked: u32,
    /// Calls whose stored status moved.
    pub updated: u32,
    /// Calls closed as failed after [`GIVE_UP_AFTER`].
    pub given_up: u32,
    /// Provider errors (tried again on the next pass).
    pub errors: u32,
}

/// One pass over open VAPI and Retell calls (of one workspace, or of all). Calls are
/// asked about [`CONCURRENCY`] at a time within [`TIME_BUDGET`]; one that fails (its
/// provider down, a report refused) is counted and left for the next pass, and never stops
/// the others. Calls not reached in time wait for the next pass (oldest first).
pub async fn sweep(
    state: &AppState,
    workspace_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Sweep, AppError> {
    use conversation::Column as C;
    use futures::StreamExt;
    let mut select = conversation::Entity::find()
        .filter(C::Status.is_in(CallStatus::RUNNING))
        .filter(C::Provider.is_in(["vapi", "retell"]))
        .filter(C::UpdatedAt.lt(now - QUIET_FOR));
    if let Some(id) = workspace_id {
        select = select.filter(C::WorkspaceId.eq(id));
    }
    let open = select
        .order_by_asc(C::UpdatedAt)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    let deadline = tokio::time::Instant::now() + TIME_BUDGET;
    let mut outcomes = futures::stream::iter(open)
        .map(|call| async move {
            let id = call.id;
            match settle(state, call, now).await {
                Ok(outcome) => outcome,
                Err(e) => {
                    tracing::warn!(call = %id, error = %e, "could not settle an open call");
                    Outcome::Error
                }
            }
        })
        .buffer_unordered(CONCURRENCY);
    let mut report = Sweep::default();
    while let Ok(Some(outcome)) = tokio::time::timeout_at(deadline, outcomes.next()).await {
        report.asked += 1;
        match outcome {
            Outcome::Updated => report.updated += 1,
            Outcome::GivenUp => {
                report.updated += 1;
                report.given_up += 1;
            }
            Outcome::Unchanged => {}
            Outcome::Error => report.errors += 1,
        }
    }
    Ok(report)
}

/// The periodic job that runs [`sweep`] over every workspace.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SweepOpenCalls;

impl crate::jobs::Job for SweepOpenCalls {
    const KIND: &'static str = "calls.sweep";

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        let s = sweep(&cx.state, None, Utc::now()).await?;
        if s.asked > 0 {
            tracing::info!(
                asked = s.asked,
                updated = s.updated,
                given_up = s.given_up,
                errors = s.errors,
                "open calls asked about"
            );
        }
        Ok(())
    }
}

/// Calls asked about at once in a pass.
pub const CONCURRENCY: usize = 4;
/// How long one pass may take.
pub const TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(45);

enum Outcome {
    Updated,
    Unchanged,
    GivenUp,
    Error,
}

/// Asks about one open call and stores what the provider says; closes it as failed when
/// it is overdue and the provider cannot (or will not) account for it.
async fn settle(
    state: &AppState,
    call: conversation::Model,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    use conversation::Column as C;
    let overdue = call.created_at < now - GIVE_UP_AFTER;
    let answer = ask(state, &call).await.and_then(|record| match record {
        Some(r) => r.check().map(|()| Some(r)).map_err(|why| {
            AppError::BadRequest(format!("the provider's report was refused: {why}"))
        }),
        None => Ok(None),
    });
    let (record, giving_up) = match answer {
        Ok(Some(r)) if r.status.is_final() || !overdue => (r, false),
        Ok(_) | Err(_) if overdue => (
            CallRecord {
                external_id: call.external_id.clone(),
                status: CallStatus::Failed,
                end_reason: Some("no-final-report".into()),
                ..Default::default()
            },
            true,
        ),
        Ok(_) => return Ok(Outcome::Unchanged),
        Err(e) => return Err(e),
    };
    let before = call.status;
    let applied = ingest(
        state,
        StartedCall {
            workspace_id: call.workspace_id,
            agent_id: call.agent_id,
            provider: call.provider,
            external_id: call.external_id.clone(),
            direction: call.direction,
            phone_number: call.phone_number.clone(),
            caller_name: call.caller_name.clone(),
            is_test: call.is_test,
        },
        &record,
    )
    .await?;
    if applied.status != before {
        return Ok(if giving_up {
            Outcome::GivenUp
        } else {
            Outcome::Updated
        });
    }
    // Heard from the provider: quiet again from now.
    conversation::Entity::update_many()
        .col_expr(C::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(C::Id.eq(call.id))
        .exec(&state.db)
        .await?;
    Ok(Outcome::Unchanged)
}

/// The provider's account of the call: `None` when it does not know the call (or the
/// workspace has no integration for it any more).
async fn ask(state: &AppState, call: &conversation::Model) -> Result<Option<CallRecord>, AppError> {
    let provider = call.provider;
    let Some(voice) =
        crate::integrations::voice::voice_for(state, call.workspace_id, provider).await?
    else {
        return Ok(None);
    };
    match voice.get_call(&call.external_id).await {
        Ok(record) if record.external_id == call.external_id => Ok(Some(record)),
        Ok(_) => Ok(None),
        Err(e) if e.status == Some(404) => Ok(None),
        Err(e) => Err(AppError::unavailable(e.to_string())),
    }
}
