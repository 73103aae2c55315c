//! `POST /w/{slug}/campaigns/{id}/import`: a list of recipients, the CSV file itself as the
//! request body, or the `file` field of the wizard's plain form (multipart), streamed and
//! read row by row, never held whole; `?map=` names what each column holds when the person
//! overrode the guesses (comma-separated: `phone`, `first_name`, `last_name`, `name`,
//! `email`, `company`, `time_zone`, `skip`, or `var:<name>`) and `?file=` the file's name.
//! Answers the `ImportSummary` as JSON (or the error as JSON with its status); a request
//! that reads pages (the plain form) is sent back to the wizard's step with the outcome.
//! The whole list goes in one transaction: an import that fails part-way adds nothing.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use uuid::Uuid;

use super::import::{ColumnUse, MAX_COLUMNS, Reader, Rejected, Row, Taken, guess};
use super::model::{CampaignStatus, ImportSummary, MAX_RECIPIENTS};
use super::service;
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::components::toast::{flash_cookie, see_other};
use crate::error::AppError;
use crate::state::AppState;
use crate::text::percent_encode;

#[derive(Debug, Default, Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    pub map: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
}

/// Rows handed from the reading thread to the writer at a time.
const BATCH: usize = 1000;

#[derive(Default)]
struct Batch {
    taken: Vec<Taken>,
    rejected: Vec<Rejected>,
}

pub async fn handler(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, Uuid)>,
    Query(query): Query<ImportQuery>,
    request: axum::extract::Request,
) -> Response {
    // The wizard's plain form (no script) posts multipart and reads pages.
    let from_form = crate::upload::wants_html(request.headers());
    // The wizard's upload script (`frontend/js/campaign-list.js`) wants the same answer
    // without a redirect it would follow (and whose page would take the flash): where to
    // go, as JSON, with the same cookie.
    let scripted = request
        .headers()
        .get("x-upload")
        .is_some_and(|v| v.as_bytes() == b"progress");
    let step = format!("/w/{slug}/campaigns/{id}/edit?step=2");
    let go = |location: &str, cookie: Option<&str>| {
        if !scripted {
            return see_other(location, cookie);
        }
        let mut response = axum::Json(serde_json::json!({ "location": location })).into_response();
        if let Some(value) = cookie.and_then(|c| axum::http::HeaderValue::from_str(c).ok()) {
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, value);
        }
        response
    };
    match import(&state, request, &slug, id, query).await {
        Ok(summary) if from_form => {
            let message = format!(
                "Imported {} recipients ({} merged as duplicates); {} rows could not be used.",
                summary.added, summary.merged, summary.rejected
            );
            go(&step, Some(&flash_cookie(&message)))
        }
        Ok(summary) => axum::Json(summary).into_response(),
        Err(e) if from_form && e.status() == 401 => go("/login", None),
        Err(e) if from_form && e.status() == 422 => {
            let reason = e.reason();
            go(
                &format!("{step}&import_error={}", percent_encode(&reason, b"")),
                None,
            )
        }
        Err(e) => {
            let status = axum::http::StatusCode::from_u16(e.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, axum::Json(e)).into_response()
        }
    }
}

/// What `?map=` names, one per column.
pub fn parse_map(text: &str) -> Result<Vec<ColumnUse>, AppError> {
    text.split(',')
        .enumerate()
        .map(|(i, item)| {
            let item = item.trim();
            Ok(match item {
                "phone" => ColumnUse::Phone,
                "first_name" => ColumnUse::FirstName,
                "last_name" => ColumnUse::LastName,
                "name" => ColumnUse::Name,
                "email" => ColumnUse::Email,
                "company" => ColumnUse::Company,
                "time_zone" => ColumnUse::TimeZone,
                "skip" | "" => ColumnUse::Skip,
                _ => match item.strip_prefix("var:") {
                    Some(name) if crate::variables::model::is_variable_name(name) => {
                        ColumnUse::Variable(name.to_owned())
                    }
                    _ => {
                        return Err(AppError::invalid(
                            "map",
                            format!("Column {} is mapped to {item:?}, which is not something a column can hold.", i + 1),
                        ));
                    }
                },
            })
        })
        .collect()
}

fn file_error(row: u64, e: &csv::Error) -> AppError {
    let text = e.to_string();
    if text.contains("length limit exceeded") {
        return AppError::invalid(
            "file",
            format!(
                "The file is larger than {} MB; split it into smaller lists.",
                IMPORT_LIMIT_MB
            ),
        );
    }
    if let csv::ErrorKind::Utf8 { .. } = e.kind() {
        return AppError::invalid(
            "file",
            format!("Row {row} is not UTF-8 text; save the list as \"CSV UTF-8\" and try again."),
        );
    }
    AppError::invalid(
        "file",
        format!("Row {row} of the file cannot be read as CSV ({text})."),
    )
}

/// The largest list file taken, in MB (the server's body limit for this route).
pub const IMPORT_LIMIT_MB: usize = 64;

async fn import(
    state: &AppState,
    request: axum::extract::Request,
    slug: &str,
    id: Uuid,
    query: ImportQuery,
) -> Result<ImportSummary, AppError> {
    let (parts, body) = request.into_parts();
    let ctx =
        workspace_for_request(state, &parts, slug, WorkspacePermission::CampaignsWrite).await?;
    crate::billing::service::ensure_not_paywalled(&state.db, &ctx.workspace).await?;
    let campaign = service::find(&state.db, &ctx, id).await?;
    if !matches!(
        campaign.status,
        CampaignStatus::Draft | CampaignStatus::Paused
    ) {
        return Err(AppError::conflict(
            "Recipients are added to a draft or a paused campaign; pause it first.",
        ));
    }
    let chosen = query.map.as_deref().map(parse_map).transpose()?;
    let file_name = query
        .file
        .map(|f| f.trim().chars().take(255).collect::<String>())
        .filter(|f| !f.is_empty());
    // The file: the whole body, or a multipart form's `file` field, handed to the reading
    // thread chunk by chunk as it arrives.
    let multipart = crate::upload::is_multipart(&parts.headers);
    let (chunks_tx, chunks_rx) =
        tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(8);
    let request = axum::extract::Request::from_parts(parts, body);
    let forward = async move {
        let io = |e: String| std::io::Error::other(e);
        if multipart {
            use axum::extract::FromRequest;
            let mut form = match axum::extract::Multipart::from_request(request, &()).await {
                Ok(form) => form,
                Err(e) => {
                    let _ = chunks_tx.send(Err(io(e.body_text()))).await;
                    return;
                }
            };
            loop {
                match form.next_field().await {
                    Ok(Some(mut field)) if field.name() == Some("file") => loop {
                        match field.chunk().await {
                            Ok(Some(chunk)) => {
                                if chunks_tx.send(Ok(chunk)).await.is_err() {
                                    return;
                                }
                            }
                            Ok(None) => return,
                            Err(e) => {
                                let _ = chunks_tx.send(Err(io(e.body_text()))).await;
                                return;
                            }
                        }
                    },
                    Ok(Some(_)) => continue,
                    Ok(None) => return,
                    Err(e) => {
                        let _ = chunks_tx.send(Err(io(e.body_text()))).await;
                        return;
                    }
                }
            }
        } else {
            let mut body = request.into_body().into_data_stream();
            while let Some(chunk) = body.next().await {
                let item = chunk.map_err(|e| io(e.to_string()));
                let failed = item.is_err();
                if chunks_tx.send(item).await.is_err() || failed {
                    return;
                }
            }
        }
    };
    let stream = futures::stream::unfold(chunks_rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let (_, summary) = tokio::join!(
        forward,
        read_list(state, &campaign, stream, chosen, file_name)
    );
    summary
}

/// Reads a list arriving as `chunks` into `campaign`, in one transaction: row by row on a
/// blocking thread, in batches to the database. The import's own work, without HTTP (the
/// benchmark calls it too).
pub async fn read_list<S>(
    state: &AppState,
    campaign: &crate::db::entity::campaign::Model,
    chunks: S,
    chosen: Option<Vec<ColumnUse>>,
    file_name: Option<String>,
) -> Result<ImportSummary, AppError>
where
    S: futures::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static,
{
    let existing = service::phones(&state.db, campaign.id).await?;
    let country = campaign.default_country.clone();
    let reader = tokio_util::io::StreamReader::new(Box::pin(chunks));
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
    let reading = tokio::task::spawn_blocking(
        move || -> Result<(Vec<String>, Vec<ColumnUse>, u64), AppError> {
            let sync = tokio_util::io::SyncIoBridge::new(reader);
            let mut csv = csv::ReaderBuilder::new()
                .flexible(true)
                .trim(csv::Trim::None)
                .from_reader(sync);
            let headers: Vec<String> = csv
                .headers()
                .map_err(|e| file_error(1, &e))?
                .iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
                .collect();
            if headers.iter().all(String::is_empty) {
                return Err(AppError::invalid(
                    "file",
                    "The file is empty: it needs a header row naming its columns, then one row per recipient.",
                ));
            }
            if headers.len() > MAX_COLUMNS {
                return Err(AppError::invalid(
                    "file",
                    format!(
                        "The file has {} columns; at most {MAX_COLUMNS} are read.",
                        headers.len()
                    ),
                ));
            }
            let uses = match chosen {
                Some(uses) if uses.len() != headers.len() => {
                    return Err(AppError::invalid(
                        "map",
                        format!(
                            "The file has {} columns but {} were mapped.",
                            headers.len(),
                            uses.len()
                        ),
                    ));
                }
                Some(uses) => uses,
                None => headers.iter().map(|h| guess(h)).collect(),
            };
            let mut reader =
                Reader::new(uses.clone(), &country).map_err(|m| AppError::invalid("map", m))?;
            reader.already_have(existing);
            let mut batch = Batch::default();
            let mut rows = 0u64;
            for (i, record) in csv.records().enumerate() {
                let row = i as u64 + 2;
                let record = record.map_err(|e| file_error(row, &e))?;
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                rows += 1;
                if rows as usize > MAX_RECIPIENTS {
                    return Err(AppError::invalid(
                        "file",
                        format!(
                            "The file has more than {MAX_RECIPIENTS} rows; split it into smaller lists."
                        ),
                    ));
                }
                match reader.read(u32::try_from(row).unwrap_or(u32::MAX), &record) {
                    Row::Taken(t) => batch.taken.push(t),
                    Row::Rejected(r) => batch.rejected.push(r),
                }
                if batch.taken.len() + batch.rejected.len() >= BATCH
                    && tx.blocking_send(std::mem::take(&mut batch)).is_err()
                {
                    return Err(AppError::internal("the import's writer stopped"));
                }
            }
            if tx.blocking_send(batch).is_err() {
                return Err(AppError::internal("the import's writer stopped"));
            }
            Ok((headers, uses, rows))
        },
    );

    let txn = crate::db::begin_write(&state.db).await?;
    let mut summary = ImportSummary::default();
    let mut failed = None;
    let write = async {
        while let Some(batch) = rx.recv().await {
            if failed.is_some() {
                continue;
            }
            match service::add_rows(&txn, campaign, &batch.taken, &batch.rejected).await {
                Ok((added, merged)) => {
                    summary.added += added;
                    summary.merged += merged;
                    summary.rejected += batch.rejected.len() as u64;
                }
                Err(e) => failed = Some(e),
            }
        }
    };
    write.await;
    let (headers, uses, rows) = reading
        .await
        .map_err(|e| AppError::internal(format!("the import's reader failed: {e}")))??;
    if let Some(e) = failed {
        return Err(e);
    }
    if rows == 0 {
        return Err(AppError::invalid(
            "file",
            "The file has a header row but no recipients.",
        ));
    }
    summary.rows = rows;
    service::record_columns(&txn, campaign, &headers, &uses, file_name.as_deref()).await?;
    txn.commit().await?;
    Ok(summary)
}
