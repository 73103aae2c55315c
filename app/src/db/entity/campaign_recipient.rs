//! `campaign_recipients`: one person on a campaign's list and where they stand.

use sea_orm::entity::prelude::*;

use crate::campaigns::model::{RecipientOutcome, RecipientStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_recipients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub workspace_id: Uuid,
    pub row_number: Option<i32>,
    /// E.164
    pub phone: String,
    pub name: Option<String>,
    /// Mapped values by variable name.
    pub fields: Json,
    /// An IANA name, `@` and a country code (every zone of it), or none (the campaign's).
    pub time_zone: Option<String>,
    pub status: RecipientStatus,
    pub outcome: Option<RecipientOutcome>,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub conversation_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
