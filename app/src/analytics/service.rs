//! Figures over a workspace's calls. The calls of the window are read once, a few columns
//! each, and counted here: the same code on both databases, with days in UTC.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::model::{
    AgentPerformance, Analytics, DURATION_BANDS, Dashboard, Day, Slice, Totals, duration_band,
};
use crate::calls::day_totals::{self, Group};
use crate::calls::list::Listed;
use crate::calls::model::{CallStatus, Outcome};
use crate::db::entity::{agent, conversation, workspace};
use crate::error::AppError;

#[derive(Debug, FromQueryResult)]
struct Point {
    agent_id: Option<Uuid>,
    created_at: chrono::DateTime<Utc>,
    status: CallStatus,
    end_reason: Option<String>,
    duration_seconds: i32,
    billed_cents: i64,
    sentiment: Option<String>,
    successful: Option<bool>,
}

impl Point {
    fn outcome(&self) -> Outcome {
        Outcome::of(self.status, self.end_reason.as_deref())
    }
}

fn midnight(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
}

/// The workspace's calls since `from` (and of one agent, if given).
async fn points<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    from: chrono::DateTime<Utc>,
    agent_id: Option<Uuid>,
) -> Result<Vec<Point>, AppError> {
    use conversation::Column as C;
    let mut select = conversation::Entity::find()
        .select_only()
        .columns([
            C::AgentId,
            C::CreatedAt,
            C::Status,
            C::EndReason,
            C::DurationSeconds,
            C::BilledCents,
            C::Sentiment,
            C::Successful,
        ])
        .filter(C::WorkspaceId.eq(workspace_id))
        .filter(C::CreatedAt.gte(from));
    if let Some(agent_id) = agent_id {
        select = select.filter(C::AgentId.eq(agent_id));
    }
    Ok(select.into_model::<Point>().all(db).await?)
}

fn add(totals: &mut Totals, p: &Point) {
    totals.calls += 1;
    if p.outcome() == Outcome::Answered {
        totals.answered += 1;
    }
    if let Some(ok) = p.successful {
        totals.judged += 1;
        totals.successful += u64::from(ok);
    }
    totals.seconds += i64::from(p.duration_seconds);
    totals.cents += p.billed_cents;
}

/// Calls counted together: one call, or a group of the day totals.
struct Tally {
    day: NaiveDate,
    outcome: Outcome,
    calls: u64,
    seconds: i64,
    cents: i64,
}

impl From<&Point> for Tally {
    fn from(p: &Point) -> Self {
        Self {
            day: p.created_at.date_naive(),
            outcome: p.outcome(),
            calls: 1,
            seconds: i64::from(p.duration_seconds),
            cents: p.billed_cents,
        }
    }
}

impl From<&Group> for Tally {
    fn from(g: &Group) -> Self {
        Self {
            day: g.day.unwrap_or_default(),
            outcome: g.outcome(),
            calls: u64::try_from(g.calls).unwrap_or(0),
            seconds: g.seconds,
            cents: g.billed_cents,
        }
    }
}

/// Every day of the window, oldest first, empty days included.
fn per_day(tallies: impl IntoIterator<Item = Tally>, first: NaiveDate, days: u32) -> Vec<Day> {
    let mut out: Vec<Day> = (0..days)
        .map(|i| Day {
            date: first + Duration::days(i64::from(i)),
            calls: 0,
            answered: 0,
            seconds: 0,
            cents: 0,
        })
        .collect();
    for t in tallies {
        let index = (t.day - first).num_days();
        if let Some(day) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) {
            day.calls += t.calls;
            if t.outcome == Outcome::Answered {
                day.answered += t.calls;
            }
            day.seconds += t.seconds;
            day.cents += t.cents;
        }
    }
    out
}

/// Outcomes that happened, in a fixed order.
fn outcomes(tallies: impl IntoIterator<Item = Tally>) -> Vec<Slice> {
    let mut counts = [0u64; Outcome::ALL.len()];
    for t in tallies {
        if let Some(i) = Outcome::ALL.iter().position(|o| *o == t.outcome) {
            counts[i] += t.calls;
        }
    }
    Outcome::ALL
        .iter()
        .zip(counts)
        .map(|(o, count)| Slice {
            key: o.as_str().into(),
            label: o.label().into(),
            count,
        })
        .filter(|s| s.count > 0)
        .collect()
}

/// The first day of a window of `days` ending today.
fn first_day(days: u32) -> NaiveDate {
    Utc::now().date_naive() - Duration::days(i64::from(days.max(1)) - 1)
}

/// The dashboard's figures. Everything counted over calls comes from the day totals: two
/// small reads whatever the number of calls.
pub async fn dashboard<C: ConnectionTrait>(
    db: &C,
    ws: &workspace::Model,
    days: u32,
) -> Result<Dashboard, AppError> {
    let first = first_day(days);
    let today = Utc::now().date_naive();
    let month_start = today.with_day(1).unwrap_or(today);
    let recent = async {
        Ok::<_, AppError>(
            conversation::Entity::find()
                .filter(conversation::Column::WorkspaceId.eq(ws.id))
                .order_by_desc(conversation::Column::CreatedAt)
                .order_by_desc(conversation::Column::Id)
                .limit(5)
                .into_partial_model::<Listed>()
                .all(db)
                .await?,
        )
    };
    // Three small reads, made at once.
    let ((groups, all_time), recent_rows, names) = tokio::try_join!(
        day_totals::by_day_and_all_time(db, ws.id, first.min(month_start)),
        recent,
        crate::calls::list::agent_names(db, ws.id),
    )?;
    let in_window = |g: &&Group| g.day.is_some_and(|d| d >= first);
    let in_month = |g: &&Group| g.day.is_some_and(|d| d >= month_start);
    let conversations = all_time
        .iter()
        .map(|g| u64::try_from(g.calls).unwrap_or(0))
        .sum();
    Ok(Dashboard {
        days,
        agents: names.values().filter(|(_, live)| *live).count() as u64,
        conversations,
        month_minutes: groups
            .iter()
            .filter(in_month)
            .map(|g| g.billed_minutes)
            .sum(),
        month_cents: groups.iter().filter(in_month).map(|g| g.billed_cents).sum(),
        per_day: per_day(
            groups.iter().filter(in_window).map(Tally::from),
            first,
            days,
        ),
        outcomes: outcomes(groups.iter().filter(in_window).map(Tally::from)),
        recent: recent_rows
            .into_iter()
            .map(|c| crate::calls::list::row(c, &names, None))
            .collect(),
    })
}

pub async fn analytics<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    days: u32,
    agent_id: Option<Uuid>,
) -> Result<Analytics, AppError> {
    let first = first_day(days);
    let agents = agent::Entity::find()
        .filter(agent::Column::WorkspaceId.eq(workspace_id))
        .order_by_asc(agent::Column::Name)
        .all(db)
        .await?;
    if let Some(id) = agent_id
        && !agents.iter().any(|a| a.id == id)
    {
        return Err(AppError::invalid(
            "agent",
            "That is not an agent of this workspace.",
        ));
    }
    let by_id: HashMap<Uuid, &agent::Model> = agents.iter().map(|a| (a.id, a)).collect();
    let points = points(db, workspace_id, midnight(first), agent_id).await?;
    let mut totals = Totals::default();
    let mut durations = vec![0u64; DURATION_BANDS.len()];
    let mut sentiments: HashMap<&str, u64> = HashMap::new();
    let mut by_agent: HashMap<Uuid, AgentPerformance> = HashMap::new();
    for p in &points {
        add(&mut totals, p);
        durations[duration_band(p.duration_seconds)] += 1;
        let feeling = match p.sentiment.as_deref() {
            Some("positive") => "positive",
            Some("negative") => "negative",
            Some("neutral") => "neutral",
            _ => "unknown",
        };
        *sentiments.entry(feeling).or_default() += 1;
        if let Some(agent) = p.agent_id.and_then(|id| by_id.get(&id)) {
            let row = by_agent
                .entry(agent.id)
                .or_insert_with(|| AgentPerformance {
                    agent_id: agent.id,
                    name: agent.name.clone(),
                    provider: agent.provider.as_str().to_owned(),
                    totals: Totals::default(),
                    positive: 0,
                    neutral: 0,
                    negative: 0,
                });
            add(&mut row.totals, p);
            match feeling {
                "positive" => row.positive += 1,
                "neutral" => row.neutral += 1,
                "negative" => row.negative += 1,
                _ => {}
            }
        }
    }
    let mut performance: Vec<AgentPerformance> = by_agent.into_values().collect();
    performance.sort_by(|a, b| {
        b.totals
            .calls
            .cmp(&a.totals.calls)
            .then(a.name.cmp(&b.name))
    });
    Ok(Analytics {
        days,
        agent_id,
        agent_options: agents
            .iter()
            .filter(|a| a.deleted_at.is_none())
            .map(|a| (a.id, a.name.clone()))
            .collect(),
        totals,
        per_day: per_day(points.iter().map(Tally::from), first, days),
        outcomes: outcomes(points.iter().map(Tally::from)),
        durations: DURATION_BANDS
            .iter()
            .zip(durations)
            .map(|((key, label, _), count)| Slice {
                key: (*key).into(),
                label: (*label).into(),
                count,
            })
            .collect(),
        sentiments: [
            ("positive", "Positive"),
            ("neutral", "Neutral"),
            ("negative", "Negative"),
            ("unknown", "Not analysed"),
        ]
        .iter()
        .map(|(key, label)| Slice {
            key: (*key).into(),
            label: (*label).into(),
            count: sentiments.get(key).copied().unwrap_or(0),
        })
        .collect(),
        agents: performance,
    })
}
