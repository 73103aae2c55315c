//! `GET /w/{slug}/calls.csv`: every call the calls page's filters select, as CSV. The rows
//! are read a batch at a time and streamed as they are written, so an export of any size
//! holds one batch in memory, and the download starts at once.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::filter::CallFilter;
use super::list::{agent_names, condition, row};
use super::model::clock;
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::billing::model::dollars;
use crate::db::entity::conversation;
use crate::error::AppError;
use crate::state::AppState;

const BATCH: u64 = 500;
const HEADER: &str = "call_id,created_at,agent,direction,number,caller,duration_seconds,duration,status,outcome,sentiment,billed_cents,billed,test,summary\r\n";

/// A CSV field: quoted when it holds a comma, quote or line break, and guarded against
/// spreadsheet formulas (a leading `=`, `+`, `-`, `@` is prefixed with `'`).
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !looks_numeric(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Phone numbers (`+1415…`) and negative amounts are data, not formulas.
fn looks_numeric(text: &str) -> bool {
    let rest = &text[1..];
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

pub async fn handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(filter): Query<CallFilter>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    match start(state, &parts, &slug, filter).await {
        Ok(response) => response,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
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
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        if tx.send(Ok(HEADER.to_owned())).await.is_err() {
            return;
        }
        // Keyset pages: (created_at, id) after the last row sent, newest first.
        let mut after: Option<(chrono::DateTime<chrono::Utc>, uuid::Uuid)> = None;
        loop {
            let mut select = conversation::Entity::find().filter(cond.clone());
            if let Some((at, id)) = after {
                use conversation::Column as C;
                select = select.filter(
                    Condition::any()
                        .add(C::CreatedAt.lt(at))
                        .add(Condition::all().add(C::CreatedAt.eq(at)).add(C::Id.lt(id))),
                );
            }
            let batch = match select
                .order_by_desc(conversation::Column::CreatedAt)
                .order_by_desc(conversation::Column::Id)
                .limit(BATCH)
                .all(&db)
                .await
            {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::error!(error = %e, "call export stopped");
                    let _ = tx
                        .send(Err(std::io::Error::other("the export stopped")))
                        .await;
                    return;
                }
            };
            let done = (batch.len() as u64) < BATCH;
            after = batch.last().map(|c| (c.created_at, c.id));
            let mut chunk = String::with_capacity(batch.len() * 200);
            for call in batch {
                let summary = call.summary.clone().unwrap_or_default();
                let r = row(call, &agents, None);
                let cells = [
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
                ];
                let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
                chunk.push_str(&line.join(","));
                chunk.push_str("\r\n");
            }
            if !chunk.is_empty() && tx.send(Ok(chunk)).await.is_err() {
                return;
            }
            if done {
                return;
            }
        }
    });
    // Fused: a body may be polled again after it ended (compression does).
    let stream = futures::StreamExt::fuse(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    let name = format!(
        "calls-{slug}-{}.csv",
        chrono::Utc::now().format("%Y%m%d-%H%M")
    );
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("+14155550123"), "+14155550123");
        assert_eq!(field("-1.20"), "-1.20");
    }
}
