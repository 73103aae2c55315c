//! `POST /w/{slug}/knowledge/upload`: the knowledge page's upload form (multipart, one
//! `file`). The text is read out of the file on the server and saved as a draft document,
//! and the browser is sent to that draft's form to check the text and make it active. A
//! file that cannot be used sends the browser back to the upload form with the reason.
//! A plain route, not a server function, because it takes `multipart/form-data`.

use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::model::{DocumentDraft, DocumentStatus, DocumentType};
use super::service;
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::components::toast::see_other;
use crate::error::AppError;
use crate::state::AppState;
use crate::text::percent_encode;

pub async fn handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let page = format!("/w/{slug}/knowledge");
    match save_upload(&state, request, &slug).await {
        Ok((id, title)) => {
            let message =
                format!("Read “{title}” into a draft. Check the text, then make it Active.");
            see_other(
                &format!("{page}?edit={id}"),
                Some(&crate::components::toast::flash_cookie(&message)),
            )
        }
        Err(e) if e.status() == 401 => see_other("/login", None),
        Err(e) if e.status() == 403 || e.status() == 404 => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
            e.to_string(),
        )
            .into_response(),
        Err(e) => {
            let reason = e.reason();
            see_other(
                &format!(
                    "{page}?upload&upload_error={}#upload",
                    percent_encode(&reason, b"")
                ),
                None,
            )
        }
    }
}

async fn save_upload(
    state: &AppState,
    request: axum::extract::Request,
    slug: &str,
) -> Result<(uuid::Uuid, String), AppError> {
    let (parts, body) = request.into_parts();
    let ctx =
        workspace_for_request(state, &parts, slug, WorkspacePermission::KnowledgeWrite).await?;
    let request = axum::extract::Request::from_parts(parts, body);
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::invalid("file", "Choose a file to upload."))?;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| AppError::invalid("file", "The file did not arrive intact. Try again."))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            // The body limit (16 MiB on this route) bounds what is read here.
            let bytes = field.bytes().await.map_err(|_| {
                AppError::invalid(
                    "file",
                    "The file is larger than 10 MB. Split it or paste the part the agent needs.",
                )
            })?;
            file = Some((name, bytes));
        }
    }
    let Some((name, bytes)) = file.filter(|(name, _)| !name.is_empty()) else {
        return Err(AppError::invalid("file", "Choose a file to upload."));
    };
    let found = state.extractor.extract(&name, &bytes).await?;
    let draft = DocumentDraft {
        title: found.suggested_title.clone(),
        document_type: DocumentType::Document,
        status: DocumentStatus::Draft,
        content: found.text,
        source: Some(found.source),
        ..DocumentDraft::default()
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let id = service::create(&txn, &ctx, &draft).await?;
    txn.commit().await?;
    Ok((id, found.suggested_title))
}
