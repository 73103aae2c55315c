//! Do-not-call files: `POST /w/{slug}/do-not-call/import` (a workspace's list, by its
//! members) and `POST /org/do-not-call/import` (the organisation's, by its owners and
//! admins): a CSV as the request's body, or a page's multipart form with a `file` field,
//! national numbers read in `?country=` (US when not given). Each number is added once;
//! numbers already listed and rows holding no number are counted and reported. A page's
//! form gets the page again with the outcome; anything else gets it as JSON.
//! `GET /org/do-not-call.csv` exports the organisation's list (a workspace's is in
//! `campaigns::export`).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::super::dnc::{self, List};
use super::super::dnc_list;
use crate::access::guard::{partner_for_request, workspace_for_request};
use crate::access::permission::{PartnerPermission, WorkspacePermission};
use crate::components::toast::{flash_cookie, see_other};
use crate::error::AppError;
use crate::state::AppState;
use crate::upload::{file_bytes, wants_html};

#[derive(Debug, Default, Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    pub country: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncImported {
    pub added: u64,
    /// Numbers that were on the list already (or twice in the file).
    pub already: u64,
    pub unreadable: u64,
    /// The first few rows not read, as "row 3 (\"12\")".
    pub examples: Vec<String>,
}

impl DncImported {
    fn message(&self) -> String {
        let mut out = format!(
            "Added {} numbers to the do-not-call list; {} were on it already.",
            self.added, self.already
        );
        if self.unreadable > 0 {
            out.push_str(&format!(
                " {} rows held no number we could read: {}.",
                self.unreadable,
                self.examples.join(", ")
            ));
        }
        out
    }
}

pub async fn workspace_import(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ImportQuery>,
    request: axum::extract::Request,
) -> Response {
    let html = wants_html(request.headers());
    let (parts, body) = request.into_parts();
    let result = async {
        let ctx = workspace_for_request(&state, &parts, &slug, WorkspacePermission::CampaignsWrite)
            .await?;
        let list = List::of_workspace(&ctx);
        import(&state, list, ctx.user_id(), parts, body, &query).await
    }
    .await;
    answer(result, html, &format!("/w/{slug}/campaigns#do-not-call"))
}

pub async fn org_import(
    State(state): State<AppState>,
    Query(query): Query<ImportQuery>,
    request: axum::extract::Request,
) -> Response {
    let html = wants_html(request.headers());
    let (parts, body) = request.into_parts();
    let result = async {
        let ctx = partner_for_request(&parts, PartnerPermission::DoNotCallManage)?;
        let list = List::of_organisation(&ctx);
        import(&state, list, ctx.user.user.id, parts, body, &query).await
    }
    .await;
    answer(result, html, "/org/do-not-call")
}

pub async fn org_export(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let rows = async {
        let ctx = partner_for_request(&parts, PartnerPermission::DoNotCallManage)?;
        dnc::org_entries(&state.db, ctx.user.partner.id, None).await
    }
    .await;
    match rows {
        Ok(list) => {
            super::super::export::do_not_call_file("organisation-do-not-call.csv", list.entries)
        }
        Err(e) => refused(e),
    }
}

fn refused(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(e)).into_response()
}

/// A page's form goes back to `page` saying what happened; anything else gets JSON.
fn answer(result: Result<DncImported, AppError>, html: bool, page: &str) -> Response {
    match result {
        Ok(done) if html => see_other(page, Some(&flash_cookie(&done.message()))),
        Ok(done) => axum::Json(done).into_response(),
        Err(e) if html && e.status() == 401 => see_other("/login", None),
        Err(e) if html && e.status() == 422 => {
            let message = format!("The list was not imported: {}", e.reason());
            see_other(page, Some(&flash_cookie(&message)))
        }
        Err(e) => refused(e),
    }
}

async fn import(
    state: &AppState,
    list: List,
    by: Uuid,
    parts: Parts,
    body: Body,
    query: &ImportQuery,
) -> Result<DncImported, AppError> {
    let code = query
        .country
        .as_deref()
        .unwrap_or("US")
        .trim()
        .to_ascii_uppercase();
    let country: phonenumber::country::Id = code.parse().map_err(|_| {
        AppError::invalid(
            "country",
            format!("{code:?} is not a country code, like US or GB."),
        )
    })?;
    let bytes = file_bytes(parts, body, "Choose a CSV file to import.").await?;
    let file = tokio::task::spawn_blocking(move || dnc_list::read(&bytes, country))
        .await
        .map_err(|e| AppError::internal(format!("the do-not-call reader failed: {e}")))??;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut added = 0;
    for chunk in file.numbers.chunks(1000) {
        added += dnc::add_many(&txn, list, chunk, by).await?;
    }
    txn.commit().await?;
    Ok(DncImported {
        added,
        already: file.numbers.len() as u64 - added,
        unreadable: file.unreadable as u64,
        examples: file.examples,
    })
}
