//! Knowledge documents of a workspace, always reached through its `WorkspaceCtx`. Changing
//! or removing a document marks the provider agents that use it for a resync, since their
//! prompt at the provider still holds the old text; Sandbox agents read it at call time.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::model::{
    DocumentDetail, DocumentDraft, DocumentStatus, DocumentSummary, DocumentType, SourceFile,
    validate_document,
};
use crate::access::context::WorkspaceCtx;
use crate::audit::{self, Entry};
use crate::db::entity::{agent, agent_knowledge_document, knowledge_document};
use crate::error::AppError;
use crate::integrations::model::AgentProvider;

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub search: String,
    pub document_type: Option<DocumentType>,
    pub status: Option<DocumentStatus>,
}

/// The documents of the list, without their text: the database cuts the preview and
/// counts the characters, and matches the search, so a workspace of large documents costs
/// the list what its rows' titles cost.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    filter: &ListFilter,
) -> Result<Vec<DocumentSummary>, AppError> {
    use knowledge_document::Column as D;
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{ExprTrait, Func, LikeExpr};
    let mut query = knowledge_document::Entity::find()
        .select_only()
        .columns([
            D::Id,
            D::Title,
            D::Description,
            D::DocumentType,
            D::Status,
            D::Category,
            D::Tags,
            D::FileName,
            D::UpdatedAt,
        ])
        .column_as(Expr::cust("SUBSTR(content, 1, 200)"), "preview")
        .column_as(Expr::cust("CAST(LENGTH(content) AS BIGINT)"), "characters")
        .filter(D::WorkspaceId.eq(ctx.id()))
        .filter(D::DeletedAt.is_null());
    if let Some(t) = filter.document_type {
        query = query.filter(D::DocumentType.eq(t));
    }
    if let Some(s) = filter.status {
        query = query.filter(D::Status.eq(s));
    }
    let needle = filter.search.trim().to_lowercase();
    if !needle.is_empty() {
        let escaped: String = needle
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = format!("%{escaped}%");
        let like = |column: D| {
            Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(&pattern).escape('\\'))
        };
        query = query.filter(
            sea_orm::Condition::any()
                .add(like(D::Title))
                .add(like(D::Content))
                .add(like(D::Description)),
        );
    }
    let rows = query
        .order_by_desc(D::UpdatedAt)
        .into_model::<Listed>()
        .all(db)
        .await?;
    // How many agents use each, in one query.
    let links = agent_knowledge_document::Entity::find()
        .filter(agent_knowledge_document::Column::DocumentId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let agent_count = links.iter().filter(|l| l.document_id == r.id).count() as u64;
            DocumentSummary {
                id: r.id,
                tags: serde_json::from_value(r.tags).unwrap_or_default(),
                title: r.title,
                description: r.description,
                document_type: r.document_type,
                status: r.status,
                category: r.category,
                preview: r.preview,
                characters: usize::try_from(r.characters).unwrap_or(0),
                file_name: r.file_name,
                agent_count,
                updated_at: r.updated_at,
            }
        })
        .collect())
}

/// A row of the list: the document without its text.
#[derive(Debug, sea_orm::FromQueryResult)]
struct Listed {
    id: Uuid,
    title: String,
    description: Option<String>,
    document_type: DocumentType,
    status: DocumentStatus,
    category: Option<String>,
    tags: serde_json::Value,
    file_name: Option<String>,
    updated_at: chrono::DateTime<Utc>,
    preview: String,
    characters: i64,
}

fn tags_of(row: &knowledge_document::Model) -> Vec<String> {
    serde_json::from_value(row.tags.clone()).unwrap_or_default()
}

async fn find<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<knowledge_document::Model, AppError> {
    knowledge_document::Entity::find_by_id(id)
        .filter(knowledge_document::Column::WorkspaceId.eq(ctx.id()))
        .filter(knowledge_document::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Document"))
}

pub async fn detail<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<DocumentDetail, AppError> {
    let row = find(db, ctx, id).await?;
    let agent_ids: Vec<Uuid> = agent_knowledge_document::Entity::find()
        .filter(agent_knowledge_document::Column::DocumentId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.agent_id)
        .collect();
    let agent_names = agent::Entity::find()
        .filter(agent::Column::Id.is_in(agent_ids))
        .filter(agent::Column::DeletedAt.is_null())
        .order_by_asc(agent::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    Ok(DocumentDetail {
        id,
        draft: DocumentDraft {
            tags: tags_of(&row),
            title: row.title,
            description: row.description.unwrap_or_default(),
            document_type: row.document_type,
            status: row.status,
            content: row.content,
            category: row.category.unwrap_or_default(),
            source: row.file_name.map(|name| SourceFile {
                name,
                kind: row.file_type.unwrap_or_default(),
                size_bytes: row.file_size_bytes.unwrap_or(0),
            }),
        },
        agent_names,
    })
}

fn check(draft: &DocumentDraft) -> Result<(), AppError> {
    match AppError::from_fields(validate_document(draft)) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn hash(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

fn clean_tags(tags: &[String]) -> serde_json::Value {
    let mut out: Vec<String> = vec![];
    for t in tags {
        let t = t.trim().to_owned();
        if !t.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    json!(out)
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    draft: &DocumentDraft,
) -> Result<Uuid, AppError> {
    check(draft)?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    knowledge_document::ActiveModel {
        id: Set(id),
        workspace_id: Set(ctx.id()),
        title: Set(draft.title.trim().to_owned()),
        description: Set(Some(draft.description.trim().to_owned()).filter(|d| !d.is_empty())),
        document_type: Set(draft.document_type),
        status: Set(draft.status),
        content: Set(draft.content.trim().to_owned()),
        category: Set(Some(draft.category.trim().to_owned()).filter(|c| !c.is_empty())),
        tags: Set(clean_tags(&draft.tags)),
        file_name: Set(draft.source.as_ref().map(|s| s.name.clone())),
        file_type: Set(draft.source.as_ref().map(|s| s.kind.clone())),
        file_size_bytes: Set(draft.source.as_ref().map(|s| s.size_bytes)),
        content_hash: Set(hash(draft.content.trim())),
        created_by: Set(Some(ctx.user_id())),
        updated_by: Set(Some(ctx.user_id())),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        entry(ctx, "knowledge_document.created", id, &draft.title),
        &ctx.user.meta,
    )
    .await?;
    Ok(id)
}

fn entry(ctx: &WorkspaceCtx, action: &'static str, id: Uuid, title: &str) -> Entry {
    Entry {
        new_values: Some(json!({"title": title.trim()})),
        ..ctx.audit(action, "knowledge_document", id)
    }
}

/// Saves changes; when the text, title or status changed, the provider agents using the
/// document are marked for a resync. Returns how many were marked.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
    draft: &DocumentDraft,
) -> Result<u64, AppError> {
    check(draft)?;
    let row = find(db, ctx, id).await?;
    let content = draft.content.trim().to_owned();
    let changed_for_agents = hash(&content) != row.content_hash
        || row.title != draft.title.trim()
        || row.status != draft.status;
    let mut active: knowledge_document::ActiveModel = row.into();
    active.title = Set(draft.title.trim().to_owned());
    active.description = Set(Some(draft.description.trim().to_owned()).filter(|d| !d.is_empty()));
    active.document_type = Set(draft.document_type);
    active.status = Set(draft.status);
    active.content_hash = Set(hash(&content));
    active.content = Set(content);
    active.category = Set(Some(draft.category.trim().to_owned()).filter(|c| !c.is_empty()));
    active.tags = Set(clean_tags(&draft.tags));
    if let Some(source) = &draft.source {
        active.file_name = Set(Some(source.name.clone()));
        active.file_type = Set(Some(source.kind.clone()));
        active.file_size_bytes = Set(Some(source.size_bytes));
    }
    active.updated_by = Set(Some(ctx.user_id()));
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    audit::record(
        db,
        entry(ctx, "knowledge_document.updated", id, &draft.title),
        &ctx.user.meta,
    )
    .await?;
    if changed_for_agents {
        mark_agents(db, ctx, id).await
    } else {
        Ok(0)
    }
}

/// Removes a document (soft) and its links; agents that used it are marked for a resync.
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<(), AppError> {
    let row = find(db, ctx, id).await?;
    mark_agents(db, ctx, id).await?;
    agent_knowledge_document::Entity::delete_many()
        .filter(agent_knowledge_document::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    let title = row.title.clone();
    let mut active: knowledge_document::ActiveModel = row.into();
    active.deleted_at = Set(Some(Utc::now()));
    active.update(db).await?;
    audit::record(
        db,
        entry(ctx, "knowledge_document.deleted", id, &title),
        &ctx.user.meta,
    )
    .await?;
    Ok(())
}

async fn mark_agents<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    document_id: Uuid,
) -> Result<u64, AppError> {
    let agent_ids: Vec<Uuid> = agent_knowledge_document::Entity::find()
        .filter(agent_knowledge_document::Column::DocumentId.eq(document_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.agent_id)
        .collect();
    let marked = agent::Entity::update_many()
        .col_expr(agent::Column::NeedsResync, Expr::value(true))
        .filter(agent::Column::Id.is_in(agent_ids))
        .filter(agent::Column::WorkspaceId.eq(ctx.id()))
        .filter(agent::Column::DeletedAt.is_null())
        .filter(agent::Column::Provider.ne(AgentProvider::Sandbox))
        .exec(db)
        .await?;
    Ok(marked.rows_affected)
}
