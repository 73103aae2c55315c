//! A workspace's call totals read from the groups the database keeps with triggers:
//! `call_day_totals` (a few rows per day) for a period, `call_totals` (a few rows in all)
//! for all time. Whatever the number of calls, the dashboard and the calls page's totals
//! cost the same with ten calls or a million. What they cannot answer (a search, one
//! agent's calls) is summed from the calls themselves (`list::stats`).

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, UnionType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use super::filter::CallQuery;
use super::model::{CallDirection, CallStats, CallStatus, Outcome};
use crate::db::entity::call_day_total::{Column as T, Entity as DayTotals};
use crate::db::entity::call_total::{Column as A, Entity as AllTimeTotals};
use crate::error::AppError;

/// Calls sharing a direction, status and end reason (and a day, when asked by day).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Group {
    pub day: Option<NaiveDate>,
    pub direction: CallDirection,
    pub status: CallStatus,
    pub end_reason: String,
    pub calls: i64,
    pub seconds: i64,
    pub billed_minutes: i64,
    pub billed_cents: i64,
}

impl Group {
    pub fn outcome(&self) -> Outcome {
        Outcome::of(
            self.status,
            Some(self.end_reason.as_str()).filter(|r| !r.is_empty()),
        )
    }
}

/// The workspace's groups from day `from` to day `to` (each included when given), one per
/// day too when `by_day`.
pub async fn groups<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    by_day: bool,
) -> Result<Vec<Group>, AppError> {
    if from.is_none() && to.is_none() && !by_day {
        return all_time(db, workspace_id).await;
    }
    Ok(period(workspace_id, from, to, by_day)
        .into_model::<Group>()
        .all(db)
        .await?)
}

/// The workspace's groups by day from day `from`, and its groups over all time (whose
/// `day` is `None`), in one query: what the dashboard shows.
pub async fn by_day_and_all_time<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    from: NaiveDate,
) -> Result<(Vec<Group>, Vec<Group>), AppError> {
    let mut both = period(workspace_id, Some(from), None, true).into_query();
    both.union(UnionType::All, all_time_query(workspace_id).into_query());
    let rows = Group::find_by_statement(db.get_database_backend().build(&both))
        .all(db)
        .await?;
    Ok(rows.into_iter().partition(|g| g.day.is_some()))
}

/// The groups from day `from` to day `to` (each included when given), one per day too
/// when `by_day`.
fn period(
    workspace_id: Uuid,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    by_day: bool,
) -> sea_orm::Select<DayTotals> {
    let mut select = DayTotals::find()
        .select_only()
        .filter(T::WorkspaceId.eq(workspace_id));
    if let Some(from) = from {
        select = select.filter(T::Day.gte(from));
    }
    if let Some(to) = to {
        select = select.filter(T::Day.lte(to));
    }
    select = if by_day {
        select.column(T::Day).group_by(T::Day)
    } else {
        select.column_as(Expr::cust("NULL"), "day")
    };
    // PostgreSQL sums BIGINTs as NUMERIC: every sum is cast back to a BIGINT.
    let sum = |column: &str| Expr::cust(format!("CAST(SUM({column}) AS BIGINT)"));
    select
        .columns([T::Direction, T::Status, T::EndReason])
        .column_as(sum("calls"), "calls")
        .column_as(sum("seconds"), "seconds")
        .column_as(sum("billed_minutes"), "billed_minutes")
        .column_as(sum("billed_cents"), "billed_cents")
        .group_by(T::Direction)
        .group_by(T::Status)
        .group_by(T::EndReason)
}

/// The workspace's groups over all time: its rows of `call_totals`, one per group.
async fn all_time<C: ConnectionTrait>(db: &C, workspace_id: Uuid) -> Result<Vec<Group>, AppError> {
    Ok(all_time_query(workspace_id)
        .into_model::<Group>()
        .all(db)
        .await?)
}

fn all_time_query(workspace_id: Uuid) -> sea_orm::Select<AllTimeTotals> {
    AllTimeTotals::find()
        .select_only()
        .column_as(Expr::cust("NULL"), "day")
        .columns([
            A::Direction,
            A::Status,
            A::EndReason,
            A::Calls,
            A::Seconds,
            A::BilledMinutes,
            A::BilledCents,
        ])
        .filter(A::WorkspaceId.eq(workspace_id))
}

/// Whether the totals can answer `query`: not when it searches or picks one agent.
pub fn answers(query: &CallQuery) -> bool {
    query.terms.is_empty() && query.matched.is_none() && query.agent_id.is_none()
}

/// The calls page's totals over what `query` selects, which [`answers`] must allow.
pub async fn stats<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    query: &CallQuery,
) -> Result<CallStats, AppError> {
    let groups = groups(db, workspace_id, query.from, query.to, false).await?;
    Ok(stats_of(groups.iter().filter(|g| selects(query, g))))
}

/// Whether `query`'s status, direction and outcome take the calls of `group`.
fn selects(query: &CallQuery, group: &Group) -> bool {
    query.status.is_none_or(|s| s == group.status)
        && query.direction.is_none_or(|d| d == group.direction)
        && query.outcome.is_none_or(|o| o == group.outcome())
}

fn stats_of<'a>(groups: impl IntoIterator<Item = &'a Group>) -> CallStats {
    let mut stats = CallStats::default();
    for g in groups {
        let calls = u64::try_from(g.calls).unwrap_or(0);
        stats.total += calls;
        if g.status == CallStatus::Completed {
            stats.answered += calls;
        }
        stats.total_seconds += g.seconds;
        stats.billed_minutes += g.billed_minutes;
        stats.billed_cents += g.billed_cents;
    }
    stats
}
