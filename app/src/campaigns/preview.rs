//! The compliance preview before launch: who will be called, who not and why, and an
//! estimate of time and cost.

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::lifecycle::{agent_problem, caller_id_problem};
use super::model::{CampaignStatus, LaunchPreview, RecipientStatus};
use super::service::{find, progress, settings_of};
use crate::access::context::WorkspaceCtx;
use crate::db::entity::{campaign_recipient, campaign_reject};
use crate::error::{AddFieldError, AppError};

/// The queued recipients sorted by whether they can be called: how many can, and those
/// who cannot (number and name): on a do-not-call list, or with no calling window before
/// the campaign's end.
#[derive(Debug, Default)]
pub struct Sorted {
    pub will_call: u64,
    pub do_not_call: Vec<(String, Option<String>)>,
    pub no_window: Vec<(String, Option<String>)>,
}

pub async fn sort<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    row: &crate::db::entity::campaign::Model,
) -> Result<Sorted, AppError> {
    let settings = settings_of(row);
    let queued: Vec<(String, Option<String>, Option<String>)> = campaign_recipient::Entity::find()
        .select_only()
        .column(campaign_recipient::Column::Phone)
        .column(campaign_recipient::Column::Name)
        .column(campaign_recipient::Column::TimeZone)
        .filter(campaign_recipient::Column::CampaignId.eq(row.id))
        .filter(campaign_recipient::Column::Status.eq(RecipientStatus::Queued))
        .into_tuple()
        .all(db)
        .await?;
    let phones: Vec<String> = queued.iter().map(|(p, _, _)| p.clone()).collect();
    let listed = super::dnc::listed(db, ctx.workspace.partner_id, ctx.id(), &phones).await?;
    let tz = super::window::parse_zone(&settings.time_zone).unwrap_or(chrono_tz::UTC);
    let from = settings
        .starts_at
        .filter(|s| *s > Utc::now())
        .unwrap_or_else(Utc::now);
    let mut open_by_zone: std::collections::HashMap<Option<String>, bool> = Default::default();
    let mut out = Sorted::default();
    for (phone, name, zone) in queued {
        if listed.contains(&phone) {
            out.do_not_call.push((phone, name));
            continue;
        }
        let open = *open_by_zone.entry(zone.clone()).or_insert_with(|| {
            let zones = super::window::Zones::of(zone.as_deref(), tz);
            super::window::next_open(&settings.windows, &zones, from, settings.ends_at).is_some()
        });
        if open {
            out.will_call += 1;
        } else {
            out.no_window.push((phone, name));
        }
    }
    Ok(out)
}

/// The compliance preview before launch: who will be called, who not and why, and an
/// estimate of time and cost.
pub async fn preview(
    state: &crate::state::AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<LaunchPreview, AppError> {
    let db = &state.db;
    let row = find(db, ctx, id).await?;
    let settings = settings_of(&row);
    let sorted = sort(db, ctx, &row).await?;
    let mut p = LaunchPreview {
        recipients: progress(db, id).await?.total,
        will_call: sorted.will_call,
        do_not_call: sorted.do_not_call.len() as u64,
        no_window: sorted.no_window.len() as u64,
        ..LaunchPreview::default()
    };
    let rejects: Vec<(String, i64)> = campaign_reject::Entity::find()
        .select_only()
        .column(campaign_reject::Column::Reason)
        .column_as(campaign_reject::Column::Id.count(), "n")
        .filter(campaign_reject::Column::CampaignId.eq(id))
        .group_by(campaign_reject::Column::Reason)
        .into_tuple()
        .all(db)
        .await?;
    for (reason, n) in rejects {
        let n = n.max(0) as u64;
        match super::import::Reject::parse(&reason) {
            Some(super::import::Reject::InvalidNumber | super::import::Reject::MissingPhone) => {
                p.invalid += n
            }
            Some(super::import::Reject::Duplicate) => p.duplicate += n,
            _ => p.other_rejects += n,
        }
    }
    // Two minutes a call on average until the workspace has its own history.
    let minutes_per_call = 2;
    let concurrency = u64::from(settings.concurrency.max(1));
    p.estimated_minutes = (p.will_call * minutes_per_call).div_ceil(concurrency);
    p.estimated_cents =
        (p.will_call * minutes_per_call) as i64 * i64::from(ctx.workspace.per_minute_rate_cents);
    if row.status == CampaignStatus::Draft {
        let mut errors = settings.check(Utc::now());
        if super::window::parse_zone(&settings.time_zone).is_none() {
            errors.add("time_zone", "Choose a time zone.");
        }
        p.problems.extend(errors.into_values().flatten());
        if let Some(problem) = agent_problem(db, &row).await? {
            p.problems.push(problem);
        }
        if let Some(problem) = caller_id_problem(state, ctx, id).await? {
            p.problems.push(problem);
        }
        if p.will_call == 0 {
            p.problems.push("Nobody on the list can be called.".into());
        }
    }
    Ok(p)
}
