//! Reading calls: the filtered, searched, paginated list with its totals, scoped to one
//! workspace. Search runs on the database's own full-text index (FTS5 on SQLite, a GIN
//! `tsvector` on PostgreSQL; see the `call_search` migration), one interface for both.

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DerivePartialModel, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::filter::CallQuery;
use super::highlight::{Piece, snippet};
use super::model::{
    CallDetail, CallDirection, CallPage, CallRow, CallStats, CallStatus, Outcome, Turn,
};
use crate::db::entity::{agent, conversation};
use crate::error::AppError;
use crate::integrations::model::AgentProvider;

pub const PAGE_SIZE: u64 = 25;

/// The condition selecting the workspace's calls that `query` asks for.
pub fn condition(backend: DatabaseBackend, workspace_id: Uuid, query: &CallQuery) -> Condition {
    use conversation::Column as C;
    let mut cond = Condition::all().add(C::WorkspaceId.eq(workspace_id));
    if let Some(status) = query.status {
        cond = cond.add(C::Status.eq(status));
    }
    if let Some(direction) = query.direction {
        cond = cond.add(C::Direction.eq(direction));
    }
    if let Some(agent_id) = query.agent_id {
        cond = cond.add(C::AgentId.eq(agent_id));
    }
    if let Some(outcome) = query.outcome {
        cond = cond.add(outcome_condition(outcome));
    }
    if let Some(day) = query.from {
        cond = cond.add(C::CreatedAt.gte(Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))));
    }
    if let Some(day) = query.to.and_then(|d| d.succ_opt()) {
        cond = cond.add(C::CreatedAt.lt(Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))));
    }
    match &query.matched {
        Some(ids) => cond = cond.add(conversation::Column::Id.is_in(ids.iter().copied())),
        None if !query.terms.is_empty() => cond = cond.add(search_condition(backend, &query.terms)),
        None => {}
    }
    cond
}

fn voicemail() -> Condition {
    use conversation::Column as C;
    Condition::any()
        .add(C::EndReason.like("%voicemail%"))
        .add(C::EndReason.like("%machine%"))
}

fn outcome_condition(outcome: Outcome) -> Condition {
    use conversation::Column as C;
    match outcome {
        Outcome::Answered => Condition::all()
            .add(C::Status.eq(CallStatus::Completed))
            .add(
                Condition::any()
                    .add(C::EndReason.is_null())
                    .add(voicemail().not()),
            ),
        Outcome::Voicemail => Condition::all()
            .add(C::Status.eq(CallStatus::Completed))
            .add(voicemail()),
        Outcome::NoAnswer => Condition::all().add(C::Status.eq(CallStatus::NoAnswer)),
        Outcome::Busy => Condition::all().add(C::Status.eq(CallStatus::Busy)),
        Outcome::Failed => Condition::all().add(C::Status.eq(CallStatus::Failed)),
        Outcome::InProgress => Condition::all().add(C::Status.is_in(CallStatus::RUNNING)),
    }
}

/// Calls whose text has every term (as a word beginning), or whose number contains the
/// digits searched for. Terms are letters and digits only (`filter::search_terms`), so they
/// cannot be read as search syntax.
fn search_condition(backend: DatabaseBackend, terms: &[String]) -> Condition {
    let text: SimpleExpr = match backend {
        DatabaseBackend::Postgres => {
            let tsquery = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            Expr::cust_with_values(
                "conversations.search_vector @@ to_tsquery('simple', $1)",
                [tsquery],
            )
        }
        _ => {
            let fts = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" ");
            Expr::cust_with_values(
                "conversations.id IN (SELECT k.conversation_id FROM conversation_search s \
                 JOIN conversation_search_keys k ON k.rowid = s.rowid \
                 WHERE conversation_search MATCH ?)",
                [fts],
            )
        }
    };
    let mut any = Condition::any().add(text);
    let digits: String = terms.concat();
    if terms.iter().all(|t| t.bytes().all(|b| b.is_ascii_digit())) && digits.len() >= 3 {
        any = any.add(conversation::Column::PhoneNumber.like(format!("%{digits}%")));
    }
    any
}

#[derive(Debug, FromQueryResult)]
struct Totals {
    total: Option<i64>,
    answered: Option<i64>,
    total_seconds: Option<i64>,
    billed_minutes: Option<i64>,
    billed_cents: Option<i64>,
}

/// Totals over everything `cond` selects.
pub async fn stats<C: ConnectionTrait>(db: &C, cond: Condition) -> Result<CallStats, AppError> {
    let totals = conversation::Entity::find()
        .select_only()
        // PostgreSQL sums BIGINTs as NUMERIC: every total is cast back to a BIGINT.
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "total")
        .column_as(
            Expr::cust("CAST(SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS BIGINT)"),
            "answered",
        )
        .column_as(
            Expr::cust("CAST(SUM(duration_seconds) AS BIGINT)"),
            "total_seconds",
        )
        .column_as(
            Expr::cust("CAST(SUM(billed_minutes) AS BIGINT)"),
            "billed_minutes",
        )
        .column_as(
            Expr::cust("CAST(SUM(billed_cents) AS BIGINT)"),
            "billed_cents",
        )
        .filter(cond)
        .into_model::<Totals>()
        .one(db)
        .await?;
    Ok(totals.map_or_else(CallStats::default, |t| CallStats {
        total: t.total.unwrap_or(0).max(0) as u64,
        answered: t.answered.unwrap_or(0).max(0) as u64,
        total_seconds: t.total_seconds.unwrap_or(0),
        billed_minutes: t.billed_minutes.unwrap_or(0),
        billed_cents: t.billed_cents.unwrap_or(0),
    }))
}

/// The workspace's calls `query` selects, newest first.
pub fn select(
    backend: DatabaseBackend,
    workspace_id: Uuid,
    query: &CallQuery,
) -> Select<conversation::Entity> {
    conversation::Entity::find()
        .filter(condition(backend, workspace_id, query))
        .order_by_desc(conversation::Column::CreatedAt)
        .order_by_desc(conversation::Column::Id)
}

/// The workspace's agents by id, with their names (deleted ones too: their calls remain).
pub async fn agent_names<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
) -> Result<HashMap<Uuid, (String, bool)>, AppError> {
    Ok(agent::Entity::find()
        .select_only()
        .columns([agent::Column::Id, agent::Column::Name])
        .column_as(agent::Column::DeletedAt.is_null(), "live")
        .filter(agent::Column::WorkspaceId.eq(workspace_id))
        .into_tuple::<(Uuid, String, bool)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, live)| (id, (name, live)))
        .collect())
}

/// The columns of a call the calls table shows: a list reads these and leaves the
/// transcript, the summary and the metadata where they are.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "conversation::Entity")]
pub struct Listed {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub agent_id: Option<Uuid>,
    pub provider: AgentProvider,
    pub direction: CallDirection,
    pub status: CallStatus,
    pub end_reason: Option<String>,
    pub phone_number: Option<String>,
    pub caller_name: Option<String>,
    pub duration_seconds: i32,
    pub sentiment: Option<String>,
    pub billed_cents: i64,
    pub is_test: bool,
}

impl From<conversation::Model> for Listed {
    fn from(call: conversation::Model) -> Self {
        Self {
            id: call.id,
            created_at: call.created_at,
            agent_id: call.agent_id,
            provider: call.provider,
            direction: call.direction,
            status: call.status,
            end_reason: call.end_reason,
            phone_number: call.phone_number,
            caller_name: call.caller_name,
            duration_seconds: call.duration_seconds,
            sentiment: call.sentiment,
            billed_cents: call.billed_cents,
            is_test: call.is_test,
        }
    }
}

/// What the calls table shows of a stored call; `snippet` is where a search matched.
pub fn row(
    call: impl Into<Listed>,
    agents: &HashMap<Uuid, (String, bool)>,
    snippet: Option<Vec<Piece>>,
) -> CallRow {
    let call: Listed = call.into();
    CallRow {
        id: call.id,
        created_at: call.created_at,
        agent_name: call
            .agent_id
            .and_then(|id| agents.get(&id))
            .map(|(n, _)| n.clone()),
        agent_id: call.agent_id,
        provider: call.provider,
        direction: call.direction,
        outcome: Outcome::of(call.status, call.end_reason.as_deref()),
        phone_number: call.phone_number,
        caller_name: call.caller_name,
        duration_seconds: call.duration_seconds,
        status: call.status,
        sentiment: call.sentiment,
        billed_cents: call.billed_cents,
        is_test: call.is_test,
        snippet,
    }
}

/// Where the search for `terms` matched in each of `calls`: the first transcript line,
/// else the summary, else the caller's name or number. Reads the text of those calls only.
async fn snippets<C: ConnectionTrait>(
    db: &C,
    calls: &[Listed],
    terms: &[String],
) -> Result<HashMap<Uuid, Vec<Piece>>, AppError> {
    if terms.is_empty() || calls.is_empty() {
        return Ok(HashMap::new());
    }
    let texts: HashMap<Uuid, (serde_json::Value, Option<String>)> = conversation::Entity::find()
        .select_only()
        .columns([
            conversation::Column::Id,
            conversation::Column::Transcript,
            conversation::Column::Summary,
        ])
        .filter(conversation::Column::Id.is_in(calls.iter().map(|c| c.id)))
        .into_tuple::<(Uuid, serde_json::Value, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, transcript, summary)| (id, (transcript, summary)))
        .collect();
    Ok(calls
        .iter()
        .filter_map(|call| {
            let (transcript, summary) = texts.get(&call.id)?;
            let lines = transcript
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.get("text").and_then(|v| v.as_str()));
            let found = lines
                .chain(summary.as_deref())
                .chain(call.caller_name.as_deref())
                .chain(call.phone_number.as_deref())
                .find_map(|text| snippet(text, terms, 140))?;
            Some((call.id, found))
        })
        .collect())
}

/// A page (from 1) of the calls `query` selects, with totals over all of them. The totals,
/// the page and the agents' names are read at once; a page past the end is read again as
/// the last page.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    query: &CallQuery,
    page: u32,
) -> Result<CallPage, AppError> {
    let backend = db.get_database_backend();
    let totals = async {
        if super::day_totals::answers(query) {
            super::day_totals::stats(db, workspace_id, query).await
        } else {
            stats(db, condition(backend, workspace_id, query)).await
        }
    };
    let rows = |page: u32| {
        select(backend, workspace_id, query)
            .limit(PAGE_SIZE)
            .offset(u64::from(page.max(1) - 1) * PAGE_SIZE)
            .into_partial_model::<Listed>()
            .all(db)
    };
    let (stats, mut calls, agents) = tokio::try_join!(
        totals,
        async { Ok::<_, AppError>(rows(page).await?) },
        agent_names(db, workspace_id)
    )?;
    let total_pages = u32::try_from(stats.total.div_ceil(PAGE_SIZE))
        .unwrap_or(u32::MAX)
        .max(1);
    let shown = page.clamp(1, total_pages);
    if shown != page.max(1) {
        calls = rows(shown).await?;
    }
    let mut found = snippets(db, &calls, &query.terms).await?;
    let mut options: Vec<(Uuid, String)> = agents
        .iter()
        .filter(|(_, (_, live))| *live)
        .map(|(id, (name, _))| (*id, name.clone()))
        .collect();
    options.sort_by_key(|(_, name)| name.to_lowercase());
    Ok(CallPage {
        rows: calls
            .into_iter()
            .map(|c| {
                let snippet = found.remove(&c.id);
                row(c, &agents, snippet)
            })
            .collect(),
        stats,
        page: shown,
        total_pages,
        agents: options,
        searched_with: None,
        algolia: false,
    })
}

/// The next newer (or older) call of the same workspace, in the table's order: newest
/// first, (created_at, id) breaking ties.
async fn neighbour<C: ConnectionTrait>(
    db: &C,
    call: &conversation::Model,
    newer: bool,
) -> Result<Option<Uuid>, AppError> {
    use conversation::Column as Col;
    let (beyond, tie) = if newer {
        (Col::CreatedAt.gt(call.created_at), Col::Id.gt(call.id))
    } else {
        (Col::CreatedAt.lt(call.created_at), Col::Id.lt(call.id))
    };
    let order = if newer {
        sea_orm::Order::Asc
    } else {
        sea_orm::Order::Desc
    };
    Ok(conversation::Entity::find()
        .filter(Col::WorkspaceId.eq(call.workspace_id))
        .filter(
            Condition::any().add(beyond).add(
                Condition::all()
                    .add(Col::CreatedAt.eq(call.created_at))
                    .add(tie),
            ),
        )
        .order_by(Col::CreatedAt, order.clone())
        .order_by(Col::Id, order)
        .one(db)
        .await?
        .map(|c| c.id))
}

/// One call of the workspace with its neighbours in the calls table, or 404.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    id: Uuid,
) -> Result<CallDetail, AppError> {
    use conversation::Column as Col;
    let call = conversation::Entity::find_by_id(id)
        .filter(Col::WorkspaceId.eq(workspace_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("The call"))?;
    let newer = neighbour(db, &call, true).await?;
    let older = neighbour(db, &call, false).await?;
    let agents = agent_names(db, workspace_id).await?;
    let transcript: Vec<Turn> = serde_json::from_value(call.transcript.clone()).unwrap_or_default();
    Ok(CallDetail {
        external_id: call.external_id.clone(),
        transcript,
        summary: call.summary.clone(),
        end_reason: call.end_reason.clone(),
        recording_url: call.recording_url.clone(),
        started_at: call.started_at,
        ended_at: call.ended_at,
        successful: call.successful,
        provider_cost_cents: call.cost_cents,
        billed_minutes: call.billed_minutes,
        billed_to: call.billed_to,
        newer,
        older,
        row: row(call, &agents, None),
    })
}
