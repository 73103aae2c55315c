//! `knowledge_documents`: text a workspace's agents can be given in their prompt.

use sea_orm::entity::prelude::*;

use crate::knowledge::model::{DocumentStatus, DocumentType};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "knowledge_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub document_type: DocumentType,
    pub status: DocumentStatus,
    pub content: String,
    pub category: Option<String>,
    pub tags: Json,
    pub file_name: Option<String>,
    pub file_type: Option<String>,
    pub file_size_bytes: Option<i64>,
    pub content_hash: String,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
