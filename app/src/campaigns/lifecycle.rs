//! A campaign's life after it is built: the checks before launch (agent, caller ID), the
//! launch, pause, resume and cancel as conditional updates, and waking its dispatch.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::model::{
    CampaignStatus, DispatchCampaign, PauseReason, RecipientOutcome, RecipientStatus,
};
use super::service::{check, find, settings_of};
use crate::access::context::WorkspaceCtx;
use crate::agents::model::{AgentProvider, Direction, SyncStatus};
use crate::db::entity::{agent, campaign, campaign_recipient};
use crate::error::AppError;

/// Why the campaign's agent cannot place its calls, if it cannot.
pub async fn agent_problem<C: ConnectionTrait>(
    db: &C,
    campaign: &campaign::Model,
) -> Result<Option<String>, AppError> {
    let Some(agent_id) = campaign.agent_id else {
        return Ok(Some("Choose the agent that will make the calls.".into()));
    };
    let Some(agent) = agent::Entity::find_by_id(agent_id)
        .filter(agent::Column::WorkspaceId.eq(campaign.workspace_id))
        .filter(agent::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(Some(
            "The campaign's agent was deleted; choose another.".into(),
        ));
    };
    if !agent.is_active {
        return Ok(Some(format!(
            "{} is switched off; switch it on or choose another agent.",
            agent.name
        )));
    }
    if agent.direction == Direction::Inbound && !agent.allow_outbound {
        return Ok(Some(format!(
            "{} only takes calls; allow it to make outbound calls, or choose an outbound agent.",
            agent.name
        )));
    }
    if agent.provider != AgentProvider::Sandbox
        && (agent.external_id.is_none() || agent.sync_status != SyncStatus::Synced)
    {
        return Ok(Some(format!(
            "{} is not synced with {}; open it and press Resync.",
            agent.name,
            agent.provider.label()
        )));
    }
    Ok(None)
}

/// Launches a draft: it starts at once (or at its start time), its recipients on a
/// do-not-call list are skipped now (and checked again before each call).
pub async fn launch<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
    caller_id_problem: Option<String>,
) -> Result<CampaignStatus, AppError> {
    let row = find(db, ctx, id).await?;
    if row.status != CampaignStatus::Draft {
        return Err(AppError::conflict(format!(
            "The campaign is already {}.",
            row.status.label().to_lowercase()
        )));
    }
    let settings = settings_of(&row);
    check(db, ctx, &settings).await?;
    if let Some(problem) = agent_problem(db, &row).await? {
        return Err(AppError::invalid("agent_id", problem));
    }
    if let Some(problem) = caller_id_problem {
        return Err(AppError::invalid("caller_id", problem));
    }
    let queued = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .count(db)
        .await?;
    if queued == 0 {
        return Err(AppError::invalid(
            "recipients",
            "Add at least one recipient to call.",
        ));
    }
    skip_listed(db, &row, ctx.workspace.partner_id).await?;
    let now = Utc::now();
    let status = if settings.starts_at.is_some_and(|s| s > now) {
        CampaignStatus::Scheduled
    } else {
        CampaignStatus::Running
    };
    let moved = campaign::Entity::update_many()
        .col_expr(campaign::Column::Status, Expr::value(status))
        .col_expr(campaign::Column::LaunchedAt, Expr::value(now))
        .col_expr(campaign::Column::UpdatedAt, Expr::value(now))
        .filter(campaign::Column::Id.eq(id))
        .filter(campaign::Column::Status.eq(CampaignStatus::Draft))
        .exec(db)
        .await?
        .rows_affected;
    if moved != 1 {
        return Err(AppError::conflict("The campaign was launched already."));
    }
    wake(db, id, settings.starts_at.filter(|s| *s > now)).await?;
    Ok(status)
}

/// Marks a campaign's queued recipients who are on a do-not-call list as skipped.
pub async fn skip_listed<C: ConnectionTrait>(
    db: &C,
    campaign: &campaign::Model,
    partner_id: Uuid,
) -> Result<u64, AppError> {
    let phones: Vec<String> = campaign_recipient::Entity::find()
        .select_only()
        .column(campaign_recipient::Column::Phone)
        .filter(campaign_recipient::Column::CampaignId.eq(campaign.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .into_tuple()
        .all(db)
        .await?;
    let listed: Vec<String> = super::dnc::listed(db, partner_id, campaign.workspace_id, &phones)
        .await?
        .into_iter()
        .collect();
    let mut skipped = 0;
    for chunk in listed.chunks(500) {
        skipped += campaign_recipient::Entity::update_many()
            .col_expr(
                campaign_recipient::Column::Status,
                Expr::value(RecipientStatus::Skipped),
            )
            .col_expr(
                campaign_recipient::Column::Outcome,
                Expr::value(RecipientOutcome::DoNotCall),
            )
            .col_expr(
                campaign_recipient::Column::UpdatedAt,
                Expr::value(Utc::now()),
            )
            .filter(campaign_recipient::Column::CampaignId.eq(campaign.id))
            .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
            .filter(campaign_recipient::Column::Phone.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(skipped)
}

/// Wakes the campaign's dispatch now, or at `at`.
pub async fn wake<C: ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
    at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let job = DispatchCampaign { campaign_id };
    crate::jobs::enqueue_no_later(db, &job, at.unwrap_or_else(Utc::now)).await?;
    Ok(())
}

/// Moves a campaign from one of `from` to `to`, or says why it cannot.
async fn transition<C: ConnectionTrait>(
    db: &C,
    row: &campaign::Model,
    from: &[CampaignStatus],
    to: CampaignStatus,
    reason: Option<PauseReason>,
) -> Result<(), AppError> {
    if !from.contains(&row.status) {
        return Err(AppError::conflict(format!(
            "A {} campaign cannot be {}.",
            row.status.label().to_lowercase(),
            match to {
                CampaignStatus::Paused => "paused",
                CampaignStatus::Cancelled => "cancelled",
                _ => "resumed",
            }
        )));
    }
    let now = Utc::now();
    let mut update = campaign::Entity::update_many()
        .col_expr(campaign::Column::Status, Expr::value(to))
        .col_expr(campaign::Column::PauseReason, Expr::value(reason))
        .col_expr(
            campaign::Column::PauseDetail,
            Expr::value(Option::<String>::None),
        )
        .col_expr(campaign::Column::UpdatedAt, Expr::value(now));
    if to.is_over() {
        update = update.col_expr(campaign::Column::CompletedAt, Expr::value(now));
    }
    let moved = update
        .filter(campaign::Column::Id.eq(row.id))
        .filter(campaign::Column::Status.eq(row.status))
        .exec(db)
        .await?
        .rows_affected;
    if moved != 1 {
        return Err(AppError::conflict(
            "The campaign changed meanwhile; reload and try again.",
        ));
    }
    Ok(())
}

/// Pauses a running or scheduled campaign: no new calls; calls under way finish.
pub async fn pause<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<(), AppError> {
    let row = find(db, ctx, id).await?;
    transition(
        db,
        &row,
        &[CampaignStatus::Running, CampaignStatus::Scheduled],
        CampaignStatus::Paused,
        Some(PauseReason::Manual),
    )
    .await
}

/// Resumes a paused campaign (scheduled again if its start is still ahead).
pub async fn resume<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<CampaignStatus, AppError> {
    let row = find(db, ctx, id).await?;
    let now = Utc::now();
    let to = if row.starts_at.is_some_and(|s| s > now) {
        CampaignStatus::Scheduled
    } else {
        CampaignStatus::Running
    };
    if let Some(problem) = agent_problem(db, &row).await? {
        return Err(AppError::invalid("agent_id", problem));
    }
    transition(db, &row, &[CampaignStatus::Paused], to, None).await?;
    skip_listed(db, &row, ctx.workspace.partner_id).await?;
    wake(db, id, row.starts_at.filter(|s| *s > now)).await?;
    Ok(to)
}

/// Cancels a campaign: whoever was still to be called is not; calls under way finish.
pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<(), AppError> {
    let row = find(db, ctx, id).await?;
    transition(
        db,
        &row,
        &[
            CampaignStatus::Draft,
            CampaignStatus::Scheduled,
            CampaignStatus::Running,
            CampaignStatus::Paused,
        ],
        CampaignStatus::Cancelled,
        None,
    )
    .await?;
    cancel_queued(db, id).await
}

/// The queued recipients of an ended campaign: cancelled.
pub async fn cancel_queued<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<(), AppError> {
    campaign_recipient::Entity::update_many()
        .col_expr(
            campaign_recipient::Column::Status,
            Expr::value(RecipientStatus::Cancelled),
        )
        .col_expr(
            campaign_recipient::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .filter(campaign_recipient::Column::CampaignId.eq(id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .exec(db)
        .await?;
    Ok(())
}

/// Why the campaign's calls would have no number to come from, if so: VAPI and Retell
/// call from the outbound number of the integration assigned to the workspace.
pub async fn caller_id_problem(
    state: &crate::state::AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<Option<String>, AppError> {
    let row = find(&state.db, ctx, id).await?;
    let Some(agent) = (match row.agent_id {
        Some(a) => agent::Entity::find_by_id(a).one(&state.db).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    if agent.provider == AgentProvider::Sandbox {
        return Ok(None);
    }
    let keys = crate::integrations::voice::agent_keys(state, ctx.id(), agent.provider).await?;
    Ok(match keys {
        None => Some(format!(
            "No {} integration is assigned to this workspace; an organisation admin assigns one on the Integrations page.",
            agent.provider.label()
        )),
        Some(k) if k.outbound_number.is_none() => Some(format!(
            "The {} integration has no outbound number to call from; an organisation admin can add one on the Integrations page.",
            agent.provider.label()
        )),
        Some(_) => None,
    })
}
