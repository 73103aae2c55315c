//! Knowledge-base server functions: every role reads, members write, admins delete. The
//! page's forms post here as plain forms; its upload form posts to `upload::handler`.
//! `extract_text` reads a file sent as base64 JSON, for callers that are not the page.

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};
use uuid::Uuid;

use super::model::{DocumentDetail, DocumentSummary, ExtractedText};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{DocumentDraft, DocumentStatus, DocumentType},
    super::service,
    crate::access::guard::require_workspace,
    crate::access::permission::WorkspacePermission,
    crate::components::toast::flash,
    crate::error::AddFieldError,
    crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "knowledge/list")]
pub async fn list_documents(
    slug: String,
    search: String,
    document_type: String,
    status: String,
) -> Result<Vec<DocumentSummary>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeRead).await?;
    let state = app_state()?;
    let mut errors = crate::error::FieldErrors::new();
    let filter = service::ListFilter {
        document_type: errors.choice("document_type", &document_type, DocumentType::parse, |t| {
            format!("\"{t}\" is not a document type.")
        }),
        status: errors.choice("status", &status, DocumentStatus::parse, |t| {
            format!("\"{t}\" is not a document status.")
        }),
        search,
    };
    if let Some(error) = AppError::from_fields(errors) {
        return Err(error);
    }
    service::list(&state.db, &ctx, &filter).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "knowledge/get")]
pub async fn get_document(slug: String, id: Uuid) -> Result<DocumentDetail, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeRead).await?;
    let state = app_state()?;
    service::detail(&state.db, &ctx, id).await
}

pub use save::*;

/// One argument per field of the form: the generated client function takes them all.
mod save {
    #![allow(clippy::too_many_arguments)]

    use super::*;

    /// Saves the knowledge page's document form: a new document without `id`. Answers with
    /// the list, saying what happened (and how many provider agents now need a resync).
    #[server(prefix = "/api", endpoint = "knowledge/save")]
    pub async fn save_document(
        slug: String,
        id: Option<Uuid>,
        title: String,
        document_type: String,
        status: String,
        description: String,
        category: String,
        tags: String,
        content: String,
    ) -> Result<Uuid, AppError> {
        let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeWrite).await?;
        let state = app_state()?;
        let draft = DocumentDraft {
            title,
            description,
            document_type: DocumentType::parse(&document_type).ok_or_else(|| {
                AppError::invalid("document_type", "Choose a type from the list.")
            })?,
            status: DocumentStatus::parse(&status)
                .ok_or_else(|| AppError::invalid("status", "Choose a status from the list."))?,
            content,
            category,
            tags: tags
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
            source: None,
        };
        let txn = crate::db::begin_write(&state.db).await?;
        let (id, marked) = match id {
            Some(id) => (id, service::update(&txn, &ctx, id, &draft).await?),
            None => (service::create(&txn, &ctx, &draft).await?, 0),
        };
        txn.commit().await?;
        flash(&match marked {
            0 => format!("Saved “{}”.", draft.title.trim()),
            1 => "Saved. 1 agent using it is marked for a resync.".to_owned(),
            n => format!("Saved. {n} agents using it are marked for a resync."),
        });
        leptos_axum::redirect(&format!("/w/{slug}/knowledge"));
        Ok(id)
    }
}

#[server(prefix = "/api", endpoint = "knowledge/delete")]
pub async fn delete_document(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeDelete).await?;
    let state = app_state()?;
    let txn = crate::db::begin_write(&state.db).await?;
    service::delete(&txn, &ctx, id).await?;
    txn.commit().await?;
    flash("Document deleted.");
    leptos_axum::redirect(&format!("/w/{slug}/knowledge"));
    Ok(())
}

/// Reads the text out of an uploaded file (base64), for the form to show before saving.
#[server(input = Json, prefix = "/api", endpoint = "knowledge/extract")]
pub async fn extract_text(
    slug: String,
    file_name: String,
    data_base64: String,
) -> Result<ExtractedText, AppError> {
    use base64::Engine;
    require_workspace(&slug, WorkspacePermission::KnowledgeWrite).await?;
    let state = app_state()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data_base64.trim())
        .map_err(|_| AppError::invalid("file", "The file did not arrive intact. Try again."))?;
    state.extractor.extract(&file_name, &bytes).await
}
