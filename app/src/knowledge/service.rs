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
    DocumentDetail, DocumentDraft, DocumentStatus, DocumentSummary, DocumentType, ExtractedText,
    MAX_UPLOAD_BYTES, SourceFile, validate_document,
};
use crate::access::context::WorkspaceCtx;
use crate::audit::{self, Entry};
use crate::db::entity::{agent, agent_knowledge_document, knowledge_document};
use crate::error::AppError;

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub search: String,
    pub document_type: Option<DocumentType>,
    pub status: Option<DocumentStatus>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    filter: &ListFilter,
) -> Result<Vec<DocumentSummary>, AppError> {
    let mut query = knowledge_document::Entity::find()
        .filter(knowledge_document::Column::WorkspaceId.eq(ctx.id()))
        .filter(knowledge_document::Column::DeletedAt.is_null());
    if let Some(t) = filter.document_type {
        query = query.filter(knowledge_document::Column::DocumentType.eq(t.as_str()));
    }
    if let Some(s) = filter.status {
        query = query.filter(knowledge_document::Column::Status.eq(s.as_str()));
    }
    let rows = query
        .order_by_desc(knowledge_document::Column::UpdatedAt)
        .all(db)
        .await?;
    let needle = filter.search.trim().to_lowercase();
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| {
            needle.is_empty()
                || r.title.to_lowercase().contains(&needle)
                || r.content.to_lowercase().contains(&needle)
                || r.description
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&needle))
        })
        .collect();
    // How many live agents use each, in one query.
    let links = agent_knowledge_document::Entity::find()
        .filter(agent_knowledge_document::Column::DocumentId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let agent_count = links.iter().filter(|l| l.document_id == r.id).count() as u64;
            summary(r, agent_count)
        })
        .collect())
}

fn tags_of(row: &knowledge_document::Model) -> Vec<String> {
    serde_json::from_value(row.tags.clone()).unwrap_or_default()
}

fn summary(row: knowledge_document::Model, agent_count: u64) -> DocumentSummary {
    let preview: String = row.content.chars().take(200).collect();
    DocumentSummary {
        id: row.id,
        tags: tags_of(&row),
        title: row.title,
        description: row.description,
        document_type: DocumentType::parse(&row.document_type).unwrap_or(DocumentType::Other),
        status: DocumentStatus::parse(&row.status).unwrap_or(DocumentStatus::Draft),
        category: row.category,
        preview,
        characters: row.content.chars().count(),
        file_name: row.file_name,
        agent_count,
        updated_at: row.updated_at,
    }
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
            document_type: DocumentType::parse(&row.document_type).unwrap_or(DocumentType::Other),
            status: DocumentStatus::parse(&row.status).unwrap_or(DocumentStatus::Draft),
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
        document_type: Set(draft.document_type.as_str().into()),
        status: Set(draft.status.as_str().into()),
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
        ..Entry::in_workspace(ctx, action, "knowledge_document", id)
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
        || row.status != draft.status.as_str();
    let mut active: knowledge_document::ActiveModel = row.into();
    active.title = Set(draft.title.trim().to_owned());
    active.description = Set(Some(draft.description.trim().to_owned()).filter(|d| !d.is_empty()));
    active.document_type = Set(draft.document_type.as_str().into());
    active.status = Set(draft.status.as_str().into());
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
        .filter(agent::Column::Provider.ne("sandbox"))
        .exec(db)
        .await?;
    Ok(marked.rows_affected)
}

/// Reads the text out of an uploaded .txt, .md or .pdf file of at most 10 MB.
pub fn extract(file_name: &str, bytes: &[u8]) -> Result<ExtractedText, AppError> {
    let name = file_name.trim();
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::invalid(
            "file",
            "The file is larger than 10 MB. Split it or paste the part the agent needs.",
        ));
    }
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "The file is empty."));
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (kind, text) = match extension.as_str() {
        "txt" | "md" | "markdown" => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                AppError::invalid(
                    "file",
                    "The file is not UTF-8 text. Save it as UTF-8 and upload it again.",
                )
            })?;
            let kind = if extension == "txt" { "txt" } else { "md" };
            (kind, text.trim_start_matches('\u{feff}').to_owned())
        }
        "pdf" => ("pdf", pdf_text(bytes)?),
        _ => {
            return Err(AppError::invalid(
                "file",
                "Upload a .txt, .md or .pdf file. For Word documents, save as PDF first.",
            ));
        }
    };
    let text = text.replace("\r\n", "\n").trim().to_owned();
    if text.is_empty() {
        return Err(AppError::invalid(
            "file",
            "No text was found in the file. Scanned PDFs need text recognition first.",
        ));
    }
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    Ok(ExtractedText {
        text,
        source: SourceFile {
            name: name.chars().take(255).collect(),
            kind: kind.into(),
            size_bytes: bytes.len() as i64,
        },
        suggested_title: stem
            .replace(['_', '-'], " ")
            .trim()
            .chars()
            .take(500)
            .collect(),
    })
}

fn pdf_text(bytes: &[u8]) -> Result<String, AppError> {
    let unreadable = || {
        AppError::invalid(
            "file",
            "The PDF could not be read. It may be damaged or password-protected.",
        )
    };
    let document = lopdf::Document::load_mem(bytes).map_err(|_| unreadable())?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).map_err(|_| unreadable())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_are_read_and_others_refused() {
        let found = extract("opening_hours.md", "\u{feff}# Hours\r\nMon–Fri".as_bytes()).unwrap();
        assert_eq!(found.text, "# Hours\nMon–Fri");
        assert_eq!(found.suggested_title, "opening hours");
        assert_eq!(found.source.kind, "md");
        assert!(extract("notes.docx", b"PK..").is_err());
        assert!(extract("latin1.txt", &[0xe9, 0x20]).is_err());
        assert!(extract("empty.txt", b"  ").is_err());
        assert!(extract("big.txt", &vec![b'a'; MAX_UPLOAD_BYTES + 1]).is_err());
        assert!(extract("broken.pdf", b"%PDF-1.4 nonsense").is_err());
    }

    /// A one-page PDF saying `text`, built the way PDF writers do.
    fn pdf_saying(text: &str) -> Vec<u8> {
        use lopdf::content::{Content, Operation};
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 14.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal(text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().expect("content encodes"),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => resources_id,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("pdf saves");
        bytes
    }

    #[test]
    fn the_text_of_a_pdf_is_read_out() {
        let found = extract("Price list.pdf", &pdf_saying("Cleaning costs 80 dollars")).unwrap();
        assert!(
            found.text.contains("Cleaning costs 80 dollars"),
            "{:?}",
            found.text
        );
        assert_eq!(found.source.kind, "pdf");
        assert_eq!(found.suggested_title, "Price list");
    }
}
