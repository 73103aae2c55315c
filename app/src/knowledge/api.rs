//! Knowledge-base server functions: every role reads, members write, admins delete. An
//! uploaded file arrives as base64 and only its text is kept.

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};
use uuid::Uuid;

use super::model::{DocumentDetail, DocumentDraft, DocumentSummary, ExtractedText};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{DocumentStatus, DocumentType},
    super::service,
    crate::access::context::require_workspace,
    crate::access::permission::WorkspacePermission,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "knowledge/list")]
pub async fn list_documents(
    slug: String,
    search: String,
    document_type: String,
    status: String,
) -> Result<Vec<DocumentSummary>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeRead).await?;
    let filter = service::ListFilter {
        search,
        document_type: DocumentType::parse(&document_type),
        status: DocumentStatus::parse(&status),
    };
    service::list(&ctx.user.state.db, &ctx, &filter).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "knowledge/get")]
pub async fn get_document(slug: String, id: Uuid) -> Result<DocumentDetail, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeRead).await?;
    service::detail(&ctx.user.state.db, &ctx, id).await
}

#[server(input = Json, prefix = "/api", endpoint = "knowledge/create")]
pub async fn create_document(slug: String, draft: DocumentDraft) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeWrite).await?;
    let txn = crate::db::begin_write(&ctx.user.state.db).await?;
    let id = service::create(&txn, &ctx, &draft).await?;
    txn.commit().await?;
    Ok(id)
}

/// Saves a document; returns how many provider agents now need a resync.
#[server(input = Json, prefix = "/api", endpoint = "knowledge/update")]
pub async fn update_document(
    slug: String,
    id: Uuid,
    draft: DocumentDraft,
) -> Result<u64, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeWrite).await?;
    let txn = crate::db::begin_write(&ctx.user.state.db).await?;
    let marked = service::update(&txn, &ctx, id, &draft).await?;
    txn.commit().await?;
    Ok(marked)
}

#[server(prefix = "/api", endpoint = "knowledge/delete")]
pub async fn delete_document(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeDelete).await?;
    let txn = crate::db::begin_write(&ctx.user.state.db).await?;
    service::delete(&txn, &ctx, id).await?;
    txn.commit().await.map_err(AppError::from)
}

/// Reads the text out of an uploaded file (base64), for the form to show before saving.
#[server(input = Json, prefix = "/api", endpoint = "knowledge/extract")]
pub async fn extract_text(
    slug: String,
    file_name: String,
    data_base64: String,
) -> Result<ExtractedText, AppError> {
    use base64::Engine;
    let ctx = require_workspace(&slug, WorkspacePermission::KnowledgeWrite).await?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data_base64.trim())
        .map_err(|_| AppError::invalid("file", "The file did not arrive intact. Try again."))?;
    ctx.user.state.extractor.extract(&file_name, &bytes).await
}
