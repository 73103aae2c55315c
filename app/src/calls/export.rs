//! `GET /w/{slug}/calls.csv`: every call the calls page's filters select, as CSV. The rows
//! are read a batch at a time and streamed as they are written, so an export of any size
//! holds one batch in memory, and the download starts at once.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::filter::CallFilter;
use super::list::{agent_names, condition, row};
use super::model::clock;
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::billing::model::dollars;
use crate::csv;
use crate::db::entity::conversation;
use crate::error::AppError;
use crate::state::AppState;

const HEADER: &str = "call_id,created_at,agent,direction,number,caller,duration_seconds,duration,status,outcome,sentiment,billed_cents,billed,test,summary\r\n";

pub async fn handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(filter): Query<CallFilter>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    match start(state, &parts, &slug, filter).await {
        Ok(response) => response,
        Err(e) => csv::refused(e),
    }
}

async fn start(
    state: AppState,
    parts: &axum::http::request::Parts,
    slug: &str,
    filter: CallFilter,
) -> Result<Response, AppError> {
    let ctx =
        workspace_for_request(&state, parts, slug, WorkspacePermission::ConversationsRead).await?;
    let query = filter.check()?;
    let backend = state.db.get_database_backend();
    let cond = condition(backend, ctx.id(), &query);
    let agents = agent_names(&state.db, ctx.id()).await?;
    let name = format!(
        "calls-{slug}-{}.csv",
        chrono::Utc::now().format("%Y%m%d-%H%M")
    );
    let (db, agents) = (state.db.clone(), std::sync::Arc::new(agents));
    // Keyset pages: (created_at, id) after the last row sent, newest first.
    Ok(csv::stream(
        &name,
        HEADER.to_owned(),
        move |after: Option<(chrono::DateTime<chrono::Utc>, uuid::Uuid)>| {
            let (db, cond, agents) = (db.clone(), cond.clone(), agents.clone());
            async move {
                let mut select = conversation::Entity::find().filter(cond);
                if let Some((at, id)) = after {
                    use conversation::Column as C;
                    select = select.filter(
                        Condition::any()
                            .add(C::CreatedAt.lt(at))
                            .add(Condition::all().add(C::CreatedAt.eq(at)).add(C::Id.lt(id))),
                    );
                }
                let batch = select
                    .order_by_desc(conversation::Column::CreatedAt)
                    .order_by_desc(conversation::Column::Id)
                    .limit(csv::BATCH)
                    .all(&db)
                    .await?;
                let more = csv::more(batch.len(), batch.last().map(|c| (c.created_at, c.id)));
                let mut chunk = String::with_capacity(batch.len() * 200);
                for call in batch {
                    let summary = call.summary.clone().unwrap_or_default();
                    let r = row(call, &agents, None);
                    chunk.push_str(&csv::line(&[
                        r.id.to_string(),
                        r.created_at
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        r.agent_name.unwrap_or_default(),
                        r.direction.as_str().to_owned(),
                        r.phone_number.unwrap_or_default(),
                        r.caller_name.unwrap_or_default(),
                        r.duration_seconds.to_string(),
                        clock(r.duration_seconds),
                        r.status.as_str().to_owned(),
                        r.outcome.as_str().to_owned(),
                        r.sentiment.unwrap_or_default(),
                        r.billed_cents.to_string(),
                        dollars(r.billed_cents),
                        r.is_test.to_string(),
                        summary,
                    ]));
                }
                Ok((chunk, more))
            }
        },
    ))
}
