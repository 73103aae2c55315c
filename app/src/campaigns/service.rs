//! Campaigns as stored: building one (settings, recipients), launching it after its
//! checks, pausing, resuming and cancelling it, and counting where its recipients stand.
//! Every function takes the workspace's context or a campaign already found through it.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::import::{Rejected, Taken};
use super::model::{
    CampaignDetail, CampaignSettings, CampaignStatus, CampaignSummary, MAX_RECIPIENTS,
    RecipientStatus, RetryPolicy,
};
use crate::access::context::WorkspaceCtx;
use crate::db::entity::{agent, campaign, campaign_recipient, campaign_reject};
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
pub(super) async fn check<C: ConnectionTrait>(
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

/// The workspace's campaigns with their progress, newest first.
pub async fn summaries<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
) -> Result<Vec<CampaignSummary>, AppError> {
    let rows = list(db, ctx).await?;
    let agents = agent_names(db, ctx.id()).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut progress = progress_of(db, &ids).await?;
    let next_calls: std::collections::HashMap<Uuid, Option<chrono::DateTime<Utc>>> =
        campaign_recipient::Entity::find()
            .select_only()
            .column(campaign_recipient::Column::CampaignId)
            .column_as(campaign_recipient::Column::NextAttemptAt.min(), "next")
            .filter(campaign_recipient::Column::CampaignId.is_in(ids.iter().copied()))
            .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
            .group_by(campaign_recipient::Column::CampaignId)
            .into_tuple::<(Uuid, Option<chrono::DateTime<Utc>>)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    Ok(rows
        .into_iter()
        .map(|row| CampaignSummary {
            id: row.id,
            name: row.name.clone(),
            status: row.status,
            pause_reason: row.pause_reason,
            agent_name: row.agent_id.and_then(|a| agents.get(&a).cloned()),
            progress: progress.remove(&row.id).unwrap_or_default(),
            next_call: next_calls.get(&row.id).copied().flatten(),
            starts_at: row.starts_at,
            created_at: row.created_at,
        })
        .collect())
}

async fn agent_names<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, String>, AppError> {
    let rows: Vec<(Uuid, String)> = agent::Entity::find()
        .select_only()
        .column(agent::Column::Id)
        .column(agent::Column::Name)
        .filter(agent::Column::WorkspaceId.eq(workspace_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// One campaign, whole.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<CampaignDetail, AppError> {
    let row = find(db, ctx, id).await?;
    let agents = agent_names(db, ctx.id()).await?;
    let rejected = campaign_reject::Entity::find()
        .filter(campaign_reject::Column::CampaignId.eq(id))
        .count(db)
        .await?;
    Ok(CampaignDetail {
        id: row.id,
        settings: settings_of(&row),
        status: row.status,
        pause_reason: row.pause_reason,
        pause_detail: row.pause_detail.clone(),
        agent_name: row.agent_id.and_then(|a| agents.get(&a).cloned()),
        step: row.step,
        source_name: row.source_name.clone(),
        progress: progress(db, id).await?,
        rejected,
        launched_at: row.launched_at,
        completed_at: row.completed_at,
        test_values: vec![],
    })
}

/// Recipients whose name holds `search` (any case), or whose number holds its digits when
/// it has three or more; none for an empty search. LIKE's wildcards in the search are
/// taken as nothing, not as wildcards.
fn search_condition(search: &str) -> Option<sea_orm::Condition> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let words: String = search
        .trim()
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .flat_map(char::to_lowercase)
        .collect();
    if words.is_empty() {
        return None;
    }
    let digits: String = words.chars().filter(char::is_ascii_digit).collect();
    let mut any = sea_orm::Condition::any().add(
        Expr::expr(Func::lower(Expr::col(campaign_recipient::Column::Name)))
            .like(format!("%{words}%")),
    );
    if digits.len() >= 3 {
        any = any.add(campaign_recipient::Column::Phone.like(format!("%{digits}%")));
    }
    Some(any)
}

/// Adds one recipient by hand to a draft or paused campaign.
pub async fn add_one<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
    phone: &str,
    name: &str,
) -> Result<(), AppError> {
    let row = find(db, ctx, id).await?;
    if !matches!(row.status, CampaignStatus::Draft | CampaignStatus::Paused) {
        return Err(AppError::conflict(
            "Recipients are added to a draft or a paused campaign; pause it first.",
        ));
    }
    let name = name.trim();
    if name.chars().count() > 200 {
        return Err(AppError::invalid(
            "name",
            "Keep the name to 200 characters or fewer.",
        ));
    }
    let mut reader = super::import::Reader::new(
        vec![
            super::import::ColumnUse::Phone,
            super::import::ColumnUse::Name,
        ],
        &row.default_country,
    )
    .map_err(|m| AppError::invalid("phone", m))?;
    reader.already_have(phones(db, id).await?);
    match reader.read(0, &csv::StringRecord::from(vec![phone, name])) {
        super::import::Row::Taken(mut taken) => {
            taken.row = 0;
            add_rows(db, &row, &[taken], &[]).await?;
            if row.step < 3 {
                let step = row.step;
                let mut active: campaign::ActiveModel = row.into();
                active.step = Set(step.max(3));
                active.update(db).await?;
            }
            Ok(())
        }
        super::import::Row::Rejected(r) => Err(AppError::invalid(
            "phone",
            match r.reason {
                super::import::Reject::Duplicate => {
                    format!("{} is already on this campaign's list.", phone.trim())
                }
                super::import::Reject::MissingPhone => "Enter a phone number.".into(),
                _ => r.detail,
            },
        )),
    }
}

/// Keeps an imported list's columns (what each held) and its file's name on the campaign.
pub async fn record_columns<C: ConnectionTrait>(
    db: &C,
    campaign: &campaign::Model,
    headers: &[String],
    uses: &[super::import::ColumnUse],
    file_name: Option<&str>,
) -> Result<(), AppError> {
    let columns: Vec<serde_json::Value> = headers
        .iter()
        .zip(uses)
        .map(|(header, use_)| json!({"header": header, "use": use_}))
        .collect();
    let mut row: campaign::ActiveModel = campaign.clone().into();
    row.columns = Set(serde_json::Value::Array(columns));
    if let Some(name) = file_name {
        row.source_name = Set(Some(name.to_owned()));
    }
    // The list is in: the variables step is next.
    row.step = Set(campaign.step.max(3));
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    Ok(())
}

/// A page (from 1) of a campaign's recipients, optionally of one status, in list order.
pub async fn recipient_page<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
    status: Option<RecipientStatus>,
    search: &str,
    page: u64,
) -> Result<super::model::RecipientPage, AppError> {
    use super::model::{RECIPIENT_PAGE_SIZE, RecipientPage, RecipientRow};
    find(db, ctx, id).await?;
    let mut query =
        campaign_recipient::Entity::find().filter(campaign_recipient::Column::CampaignId.eq(id));
    if let Some(status) = status {
        query = query.filter(campaign_recipient::Column::Status.eq(status));
    }
    if let Some(matches) = search_condition(search) {
        query = query.filter(matches);
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(campaign_recipient::Column::RowNumber)
        .order_by_asc(campaign_recipient::Column::Id)
        .offset((page - 1) * RECIPIENT_PAGE_SIZE)
        .limit(RECIPIENT_PAGE_SIZE)
        .all(db)
        .await?;
    Ok(RecipientPage {
        rows: rows
            .into_iter()
            .map(|r| RecipientRow {
                id: r.id,
                phone: r.phone,
                name: r.name,
                status: r.status,
                outcome: r.outcome,
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at,
                last_error: r.last_error,
                conversation_id: r.conversation_id,
            })
            .collect(),
        total,
        page,
        pages: total.div_ceil(RECIPIENT_PAGE_SIZE).max(1),
    })
}

pub use super::lifecycle::*;
pub use super::preview::preview;
pub use super::progress::{progress, progress_of};
