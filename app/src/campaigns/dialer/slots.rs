//! How many calls a campaign may start now: its own concurrency, its workspace's limit
//! (less a reserve for inbound calls and every call under way), the workspace's fair
//! share of the installation's campaign calls, and its integration's limit (the provider
//! account's, shared by every workspace the integration is assigned to).

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
    let mut free = vec![
        i64::from(c.concurrency) - campaign_busy,
        limit - reserve - other_calls - workspace_busy,
        share - workspace_busy,
    ];
    if let Some(room) = integration_room(db, c).await? {
        free.push(room);
    }
    Ok(Ord::max(free.into_iter().min().unwrap_or(0), 0))
}

/// Calls the campaign's integration can still take when it has a limit of calls at
/// once: the limit less every call under way through it, in every workspace it is
/// assigned to (campaign calls being placed or on the line, and other calls still
/// running). None without a limit, or for a Sandbox agent (no provider account).
async fn integration_room<C: ConnectionTrait>(
    db: &C,
    c: &campaign::Model,
) -> Result<Option<i64>, AppError> {
    use crate::db::entity::workspace_integration_assignment as assignment;
    use sea_orm::sea_query::Query;
    let Some(agent_id) = c.agent_id else {
        return Ok(None);
    };
    let Some(agent) = agent::Entity::find_by_id(agent_id).one(db).await? else {
        return Ok(None);
    };
    let Some(provider) = agent.provider.integration() else {
        return Ok(None);
    };
    let Some(integration) =
        crate::integrations::keys::assigned(db, c.workspace_id, provider).await?
    else {
        return Ok(None);
    };
    let Some(limit) = crate::integrations::keys::calls_at_once(&integration) else {
        return Ok(None);
    };
    let workspaces = || {
        Query::select()
            .column(assignment::Column::WorkspaceId)
            .from(assignment::Entity)
            .and_where(assignment::Column::PartnerIntegrationId.eq(integration.id))
            .to_owned()
    };
    let agents_of_provider = Query::select()
        .column(agent::Column::Id)
        .from(agent::Entity)
        .and_where(agent::Column::Provider.eq(agent.provider))
        .to_owned();
    let campaigns_of_provider = Query::select()
        .column(campaign::Column::Id)
        .from(campaign::Entity)
        .and_where(campaign::Column::AgentId.in_subquery(agents_of_provider))
        .to_owned();
    let campaign_calls = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::WorkspaceId.in_subquery(workspaces()))
        .filter(campaign_attempt::Column::CampaignId.in_subquery(campaigns_of_provider))
        .filter(
            campaign_attempt::Column::State.is_in([AttemptState::Placing, AttemptState::Placed]),
        )
        .count(db)
        .await? as i64;
    let other_calls = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.in_subquery(workspaces()))
        .filter(conversation::Column::Provider.eq(agent.provider))
        .filter(conversation::Column::Status.is_in(CallStatus::RUNNING))
        .filter(conversation::Column::CampaignAttemptId.is_null())
        .filter(conversation::Column::CreatedAt.gt(Utc::now() - Duration::hours(2)))
        .count(db)
        .await? as i64;
    Ok(Some(i64::from(limit) - campaign_calls - other_calls))
}
