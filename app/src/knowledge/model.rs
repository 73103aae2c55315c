//! Knowledge documents: typed, tagged text a workspace's agents are given with their
//! prompt. Limits as in the inventory's Appendix B, reported per field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AddFieldError, FieldErrors};
use crate::names::stored_enum;

stored_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DocumentType {
        Document = "document",
        Faq = "faq",
        ProductInfo = "product_info",
        Policy = "policy",
        Script = "script",
        Other = "other",
    }
}

impl DocumentType {
    pub fn label(self) -> &'static str {
        match self {
            Self::Document => "Document",
            Self::Faq => "FAQ",
            Self::ProductInfo => "Product info",
            Self::Policy => "Policy",
            Self::Script => "Script",
            Self::Other => "Other",
        }
    }
}

stored_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DocumentStatus {
        /// Not given to agents yet.
        Draft = "draft",
        /// Given to every agent it is linked to.
        Active = "active",
        /// Kept, but no longer given to agents.
        Archived = "archived",
    }
}

impl DocumentStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Active => "Active",
            Self::Archived => "Archived",
        }
    }
}

/// Where the text came from, when it was uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    /// `txt`, `md` or `pdf`.
    pub kind: String,
    pub size_bytes: i64,
}

/// What the document form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDraft {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub document_type: DocumentType,
    pub status: DocumentStatus,
    pub content: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub source: Option<SourceFile>,
}

impl Default for DocumentDraft {
    fn default() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            document_type: DocumentType::Document,
            status: DocumentStatus::Active,
            content: String::new(),
            category: String::new(),
            tags: vec![],
            source: None,
        }
    }
}

/// The largest upload, and the most text a document may hold.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_CONTENT_CHARS: usize = 1_000_000;

pub fn validate_document(draft: &DocumentDraft) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let title = draft.title.trim();
    if title.is_empty() {
        errors.add("title", "Give the document a title.");
    } else if title.chars().count() > 500 {
        errors.add("title", "Keep the title to 500 characters or fewer.");
    }
    if draft.description.chars().count() > 2000 {
        errors.add(
            "description",
            "Keep the description to 2,000 characters or fewer.",
        );
    }
    if draft.category.chars().count() > 255 {
        errors.add("category", "Keep the category to 255 characters or fewer.");
    }
    if draft.content.trim().is_empty() {
        errors.add(
            "content",
            "Write the text, or upload a .txt, .md, .pdf or .docx file to fill it in.",
        );
    } else if draft.content.chars().count() > MAX_CONTENT_CHARS {
        errors.add("content", "Keep the text under 1,000,000 characters.");
    }
    if draft.tags.len() > 20
        || draft
            .tags
            .iter()
            .any(|t| t.trim().is_empty() || t.chars().count() > 50)
    {
        errors.add("tags", "Up to 20 tags of at most 50 characters each.");
    }
    errors
}

/// A document in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub document_type: DocumentType,
    pub status: DocumentStatus,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub preview: String,
    pub characters: usize,
    pub file_name: Option<String>,
    /// How many agents are given it.
    pub agent_count: u64,
    pub updated_at: DateTime<Utc>,
}

/// A document with its text, for the edit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetail {
    pub id: Uuid,
    pub draft: DocumentDraft,
    pub agent_names: Vec<String>,
}

/// The text read out of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedText {
    pub text: String,
    pub source: SourceFile,
    /// A title from the file name.
    pub suggested_title: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_needs_a_title_and_text() {
        let errors = validate_document(&DocumentDraft::default());
        assert!(errors.contains_key("title"));
        assert!(errors.contains_key("content"));
        let ok = DocumentDraft {
            title: "Opening hours".into(),
            content: "Mon–Fri 9–5".into(),
            ..DocumentDraft::default()
        };
        assert!(validate_document(&ok).is_empty());
    }

    #[test]
    fn limits_are_reported_per_field() {
        let draft = DocumentDraft {
            title: "t".repeat(501),
            description: "d".repeat(2001),
            category: "c".repeat(256),
            content: "x".into(),
            tags: vec![String::new()],
            ..DocumentDraft::default()
        };
        let errors = validate_document(&draft);
        for field in ["title", "description", "category", "tags"] {
            assert!(errors.contains_key(field), "{field}");
        }
    }
}
