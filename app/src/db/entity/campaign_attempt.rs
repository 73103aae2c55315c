//! `campaign_attempts`: one call placed (or being placed) for a recipient. Its id is the
//! key the provider call and the conversation carry.

use sea_orm::entity::prelude::*;

use crate::campaigns::model::{AttemptState, RecipientOutcome};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub recipient_id: Uuid,
    pub campaign_id: Uuid,
    pub workspace_id: Uuid,
    /// 1 for a recipient's first call.
    pub number: i32,
    pub state: AttemptState,
    pub external_id: Option<String>,
    pub conversation_id: Option<Uuid>,
    pub outcome: Option<RecipientOutcome>,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub placed_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
