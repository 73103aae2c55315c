//! `campaigns`: an outbound calling list's settings and state (`campaigns::model`).

use sea_orm::entity::prelude::*;

use crate::campaigns::model::{CampaignStatus, PauseReason};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub agent_id: Option<Uuid>,
    pub name: String,
    pub description: Option<String>,
    pub status: CampaignStatus,
    pub pause_reason: Option<PauseReason>,
    pub pause_detail: Option<String>,
    pub step: i32,
    pub time_zone: String,
    pub default_country: String,
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    /// `Vec<campaigns::model::Window>`
    pub windows: Json,
    pub concurrency: i32,
    /// `campaigns::model::RetryPolicy`
    pub retry: Json,
    /// `Vec<campaigns::model::VariableSource>`
    pub variables: Json,
    /// The imported list's headers and what each holds.
    pub columns: Json,
    pub source_name: Option<String>,
    pub created_by: Option<Uuid>,
    pub launched_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
