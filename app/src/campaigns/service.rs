//! Campaigns as stored: building one (settings, recipients), launching it after its
//! checks, pausing, resuming and cancelling it, and counting where its recipients stand.
//! Every function takes the workspace's context or a campaign already found through it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::import::{Rejected, Taken};
use super::model::{
    CampaignSettings, CampaignStatus, DispatchCampaign, MAX_RECIPIENTS, PauseReason, Progress,
    RecipientOutcome, RecipientStatus, RetryPolicy,
};
use crate::access::context::WorkspaceCtx;
use crate::agents::model::{AgentProvider, Direction, SyncStatus};
use crate::db::entity::{agent, campaign, campaign_attempt, campaign_recipient, campaign_reject};
use crate::error::{AddFieldError, AppError, FieldErrors};

/// The settings stored on a campaign row (defaults for anything unreadable, which only a
/// hand-edited row could hold).
pub fn settings_of(row: &campaign::Model) -> CampaignSettings {
    let defaults = CampaignSettings::default();
    CampaignSettings {
        name: row.name.clone(),
        description: row.description.clone().unwrap_or_default(),
        agent_id: row.agent_id,
        time_zone: row.time_zone.clone(),
        default_country: row.default_country.clone(),
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        windows: serde_json::from_value(row.windows.clone()).unwrap_or(defaults.windows),
        concurrency: u16::try_from(row.concurrency).unwrap_or(defaults.concurrency),
        retry: serde_json::from_value(row.retry.clone()).unwrap_or_else(|_| RetryPolicy::default()),
        variables: serde_json::from_value(row.variables.clone()).unwrap_or_default(),
    }
}

/// The campaign `id` of this workspace, or 404.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<campaign::Model, AppError> {
    campaign::Entity::find_by_id(id)
        .filter(campaign::Column::WorkspaceId.eq(ctx.id()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The campaign"))
}

/// Checks settings against what only the server knows: the zone, the agent.
async fn check<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    settings: &CampaignSettings,
) -> Result<(), AppError> {
    let mut errors: FieldErrors = settings.check(Utc::now());
    if super::window::parse_zone(&settings.time_zone).is_none() {
        errors.add(
            "time_zone",
            "Choose a time zone by its name, like America/New_York.",
        );
    }
    if let Some(agent_id) = settings.agent_id {
        let agent = agent::Entity::find_by_id(agent_id)
            .filter(agent::Column::WorkspaceId.eq(ctx.id()))
            .filter(agent::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        if agent.is_none() {
            errors.add("agent_id", "Choose one of this workspace's agents.");
        }
    }
    match AppError::from_fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn write_settings(row: &mut campaign::ActiveModel, s: &CampaignSettings) -> Result<(), AppError> {
    let json = |v: serde_json::Result<serde_json::Value>| v.map_err(AppError::internal);
    row.name = Set(s.name.trim().to_owned());
    row.description = Set(Some(s.description.trim().to_owned()).filter(|d| !d.is_empty()));
    row.agent_id = Set(s.agent_id);
    row.time_zone = Set(s.time_zone.trim().to_owned());
    row.default_country = Set(s.default_country.trim().to_owned());
    row.starts_at = Set(s.starts_at);
    row.ends_at = Set(s.ends_at);
    row.windows = Set(json(serde_json::to_value(&s.windows))?);
    row.concurrency = Set(i32::from(s.concurrency));
    row.retry = Set(json(serde_json::to_value(s.retry))?);
    row.variables = Set(json(serde_json::to_value(&s.variables))?);
    Ok(())
}

/// A new draft with `settings` (checked).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    settings: &CampaignSettings,
) -> Result<Uuid, AppError> {
    check(db, ctx, settings).await?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let mut row = campaign::ActiveModel {
        id: Set(id),
        workspace_id: Set(ctx.id()),
        status: Set(CampaignStatus::Draft),
        pause_reason: Set(None),
        pause_detail: Set(None),
        step: Set(1),
        columns: Set(json!([])),
        source_name: Set(None),
        created_by: Set(Some(ctx.user_id())),
        launched_at: Set(None),
        completed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    write_settings(&mut row, settings)?;
    row.insert(db).await?;
    Ok(id)
}

/// Saves a draft's or a paused campaign's settings (checked); a launched campaign's are
/// changed by pausing it first.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
    settings: &CampaignSettings,
    step: Option<i32>,
) -> Result<(), AppError> {
    let row = find(db, ctx, id).await?;
    if !matches!(row.status, CampaignStatus::Draft | CampaignStatus::Paused) {
        return Err(AppError::conflict(format!(
            "A {} campaign cannot be changed; pause it first.",
            row.status.label().to_lowercase()
        )));
    }
    check(db, ctx, settings).await?;
    let furthest = row.step.max(step.unwrap_or(row.step)).clamp(1, 5);
    let mut active: campaign::ActiveModel = row.into();
    write_settings(&mut active, settings)?;
    active.step = Set(furthest);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// Adds read rows of a list to a draft or paused campaign: numbers already on it merge
/// (counted as duplicates); unusable rows are kept with their reasons. How many were
/// added and merged.
pub async fn add_rows<C: ConnectionTrait>(
    db: &C,
    campaign: &campaign::Model,
    taken: &[Taken],
    rejected: &[Rejected],
) -> Result<(u64, u64), AppError> {
    let now = Utc::now();
    let held = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(campaign.id))
        .count(db)
        .await?;
    if held as usize + taken.len() > MAX_RECIPIENTS {
        return Err(AppError::invalid(
            "file",
            format!("A campaign holds at most {MAX_RECIPIENTS} recipients."),
        ));
    }
    let mut added = 0;
    for chunk in taken.chunks(500) {
        let rows = chunk.iter().map(|t| campaign_recipient::ActiveModel {
            id: Set(Uuid::now_v7()),
            campaign_id: Set(campaign.id),
            workspace_id: Set(campaign.workspace_id),
            row_number: Set(i32::try_from(t.row).ok()),
            phone: Set(t.phone.as_str().to_owned()),
            name: Set(t.name.clone()),
            fields: Set(serde_json::Value::Object(t.fields.clone())),
            time_zone: Set(t.time_zone.clone()),
            status: Set(RecipientStatus::Queued),
            outcome: Set(None),
            attempts: Set(0),
            next_attempt_at: Set(Some(now)),
            last_error: Set(None),
            conversation_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        let result = campaign_recipient::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                campaign_recipient::Column::CampaignId,
                campaign_recipient::Column::Phone,
            ])
            .exec_without_returning(db)
            .await?;
        if let sea_orm::TryInsertResult::Inserted(n) = result {
            added += n;
        }
    }
    for chunk in rejected.chunks(500) {
        let rows = chunk.iter().map(|r| campaign_reject::ActiveModel {
            id: Set(Uuid::now_v7()),
            campaign_id: Set(campaign.id),
            row_number: Set(i32::try_from(r.row).unwrap_or(i32::MAX)),
            phone: Set(r.phone.chars().take(64).collect()),
            reason: Set(r.reason.as_str().to_owned()),
            detail: Set(r.detail.clone()),
            created_at: Set(now),
        });
        campaign_reject::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok((added, taken.len() as u64 - added))
}

/// The numbers a campaign already holds (so a further import merges with them).
pub async fn phones<C: ConnectionTrait>(
    db: &C,
    campaign_id: Uuid,
) -> Result<Vec<String>, AppError> {
    Ok(campaign_recipient::Entity::find()
        .select_only()
        .column(campaign_recipient::Column::Phone)
        .filter(campaign_recipient::Column::CampaignId.eq(campaign_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Where a campaign's recipients stand: one grouped count.
pub async fn progress<C: ConnectionTrait>(db: &C, campaign_id: Uuid) -> Result<Progress, AppError> {
    let groups: Vec<(RecipientStatus, Option<RecipientOutcome>, i64)> =
        campaign_recipient::Entity::find()
            .select_only()
            .column(campaign_recipient::Column::Status)
            .column(campaign_recipient::Column::Outcome)
            .column_as(campaign_recipient::Column::Id.count(), "n")
            .filter(campaign_recipient::Column::CampaignId.eq(campaign_id))
            .group_by(campaign_recipient::Column::Status)
            .group_by(campaign_recipient::Column::Outcome)
            .into_tuple()
            .all(db)
            .await?;
    let mut p = Progress::default();
    for (status, outcome, n) in groups {
        let n = n.max(0) as u64;
        p.total += n;
        *match status {
            RecipientStatus::Queued => &mut p.queued,
            RecipientStatus::Calling => &mut p.calling,
            RecipientStatus::Completed => &mut p.completed,
            RecipientStatus::Failed => &mut p.failed,
            RecipientStatus::Skipped => &mut p.skipped,
            RecipientStatus::Cancelled => &mut p.cancelled,
        } += n;
        match outcome {
            Some(RecipientOutcome::Answered) => p.answered += n,
            Some(RecipientOutcome::NoAnswer) => p.no_answer += n,
            Some(RecipientOutcome::Busy) => p.busy += n,
            Some(RecipientOutcome::Voicemail) => p.voicemail += n,
            Some(RecipientOutcome::Callback) => p.callbacks += n,
            Some(RecipientOutcome::DoNotCall) => p.do_not_call += n,
            _ => {}
        }
    }
    p.calls = campaign_attempt::Entity::find()
        .filter(campaign_attempt::Column::CampaignId.eq(campaign_id))
        .count(db)
        .await?;
    Ok(p)
}

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

/// A workspace's campaigns, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
) -> Result<Vec<campaign::Model>, AppError> {
    Ok(campaign::Entity::find()
        .filter(campaign::Column::WorkspaceId.eq(ctx.id()))
        .order_by_desc(campaign::Column::CreatedAt)
        .all(db)
        .await?)
}
