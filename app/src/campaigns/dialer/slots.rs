//! How many calls a campaign may start now: its own concurrency, its workspace's limit
//! (less a reserve for inbound calls and every call under way) and the workspace's fair
//! share of the installation's campaign calls.

use super::*;

/// Calls a workspace may have under way at once (`resource_limits.concurrent_calls`).
pub fn workspace_limit(ws: &workspace::Model) -> i64 {
    ws.resource_limits
        .get("concurrent_calls")
        .and_then(serde_json::Value::as_i64)
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_WORKSPACE_CALLS)
}

/// How many more calls the campaign may start now: the least of its own concurrency, the
/// workspace's limit (less a reserve kept for its inbound calls, and less the calls it has
/// under way of every kind), and the workspace's fair share of the installation's campaign
/// calls (divided equally among the workspaces with running campaigns).
pub async fn free_slots<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    c: &campaign::Model,
    ws: &workspace::Model,
) -> Result<i64, AppError> {
    let busy = [AttemptState::Placing, AttemptState::Placed];
    let campaign_busy = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(c.id))
        .filter(campaign_attempt::Column::State.is_in(busy))
        .count(db)
        .await? as i64;
    let workspace_busy = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::WorkspaceId.eq(ws.id))
        .filter(campaign_attempt::Column::State.is_in(busy))
        .count(db)
        .await? as i64;
    // Other calls under way (inbound, tests), ignoring any a provider never closed.
    let other_calls = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(ws.id))
        .filter(conversation::Column::Status.is_in(CallStatus::RUNNING))
        .filter(conversation::Column::CampaignAttemptId.is_null())
        .filter(conversation::Column::CreatedAt.gt(Utc::now() - Duration::hours(2)))
        .count(db)
        .await? as i64;
    let limit = workspace_limit(ws);
    let reserve = if limit >= 2 {
        Ord::max(limit / 10, 1)
    } else {
        0
    };
    let running: Vec<Uuid> = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::WorkspaceId)
        .distinct()
        .filter(campaign::Column::Status.eq(CampaignStatus::Running))
        .into_tuple()
        .all(db)
        .await?;
    let share = Ord::max(
        i64::from(state.config.campaigns.calls_at_once) / Ord::max(running.len(), 1) as i64,
        1,
    );
    let free = [
        i64::from(c.concurrency) - campaign_busy,
        limit - reserve - other_calls - workspace_busy,
        share - workspace_busy,
    ];
    Ok(Ord::max(free.into_iter().min().unwrap_or(0), 0))
}
