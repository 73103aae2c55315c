//! `email_outbox`: every email the product sends, with its delivery state.

use sea_orm::entity::prelude::*;

use crate::email::model::{EmailKind, EmailStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_id: Option<Uuid>,
    pub kind: EmailKind,
    pub to_email: String,
    pub from_address: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub status: EmailStatus,
    pub provider_message_id: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
