//! The outbox: every email is first written here, in the transaction of the change that
//! causes it. With Resend configured, the same transaction queues a [`Deliver`] job for the
//! row, so no caller can forget delivery and none happens for a change that rolled back; a
//! failed attempt is retried by the queue with backoff. Without Resend rows stay `stored`,
//! readable on the super-admin outbox page.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{EmailKind, EmailStatus};
use super::template::Rendered;
use crate::config::{EmailConfig, ResendConfig};
use crate::db::entity::email_outbox;
use crate::error::AppError;

/// Attempts before a message is left as `failed`.
const MAX_ATTEMPTS: i32 = 5;

/// Writes an email to the outbox, `pending` when it will be delivered (and then queues its
/// delivery), else `stored`.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    config: &EmailConfig,
    partner_id: Option<Uuid>,
    sender_name: &str,
    kind: EmailKind,
    to: &str,
    email: Rendered,
) -> Result<email_outbox::Model, AppError> {
    let status = if config.resend.is_some() {
        EmailStatus::Pending
    } else {
        EmailStatus::Stored
    };
    let display = sender_name.replace(['<', '>', '"', '\r', '\n'], "");
    let row = email_outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner_id),
        kind: Set(kind),
        to_email: Set(to.to_owned()),
        from_address: Set(format!("{display} <{}>", config.from_address())),
        subject: Set(email.subject),
        html: Set(email.html),
        text: Set(email.text),
        status: Set(status),
        provider_message_id: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
    }
    .insert(db)
    .await?;
    if config.resend.is_some() {
        crate::jobs::enqueue(db, &Deliver { id: row.id }).await?;
    }
    Ok(row)
}

/// Sends one pending outbox row through Resend. A refusal or an outage fails the attempt
/// (kept on the row and the job) for the queue to retry; the last one leaves the row
/// `failed`. Resend's idempotency key is the row's id, so an attempt whose answer was
/// lost never sends twice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deliver {
    pub id: Uuid,
}

impl crate::jobs::Job for Deliver {
    const KIND: &'static str = "email.deliver";
    const MAX_ATTEMPTS: i32 = MAX_ATTEMPTS;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.id))
    }

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        use crate::jobs::JobError;
        let db = &cx.state.db;
        let Some(row) = email_outbox::Entity::find_by_id(self.id).one(db).await? else {
            return Ok(());
        };
        if row.status != EmailStatus::Pending {
            return Ok(());
        }
        let Some(resend) = cx.state.config.email.resend.as_ref() else {
            return Err(JobError::new(
                "Resend is not configured in this process; the email waits",
            ));
        };
        let outcome = send(client()?, resend, &row).await;
        let attempts = row.attempts + 1;
        let (row_html, row_text) = (row.html.clone(), row.text.clone());
        let mut active = row.into_active_model();
        active.attempts = Set(attempts);
        let failure = match outcome {
            Ok(id) => {
                // Delivered: the copy kept here no longer needs a link that works.
                active.html = Set(redact_tokens(&row_html));
                active.text = Set(redact_tokens(&row_text));
                active.status = Set(EmailStatus::Sent);
                active.provider_message_id = Set(Some(id));
                active.sent_at = Set(Some(Utc::now()));
                active.last_error = Set(None);
                None
            }
            Err(error) => {
                tracing::warn!(%error, attempts, "email not delivered");
                active.last_error = Set(Some(error.clone()));
                if cx.is_last_attempt() {
                    active.status = Set(EmailStatus::Failed);
                }
                Some(error)
            }
        };
        active.update(db).await?;
        match failure {
            None => Ok(()),
            Some(error) => Err(JobError::new(error)),
        }
    }
}

/// One HTTP client for every delivery in the process.
fn client() -> Result<&'static reqwest::Client, AppError> {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    let built = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(AppError::internal)?;
    Ok(CLIENT.get_or_init(|| built))
}

/// The text with every `token=…` value in it (the single-use links of invitations,
/// password resets and email confirmations) replaced by `token=redacted`: what is kept of
/// a delivered email opens nothing, whoever reads the outbox or a backup of it.
pub fn redact_tokens(text: &str) -> String {
    const KEY: &str = "token=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        if end > 0 {
            out.push_str("redacted");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[derive(Deserialize)]
struct SendResponse {
    id: String,
}

#[derive(Deserialize)]
struct ErrorResponse {
    name: Option<String>,
    message: Option<String>,
}

/// One `POST /emails`; the outbox id is the idempotency key, so a retry after a lost
/// response never sends twice.
async fn send(
    client: &reqwest::Client,
    resend: &ResendConfig,
    row: &email_outbox::Model,
) -> Result<String, String> {
    let response = client
        .post(format!("{}/emails", resend.base_url))
        .bearer_auth(&resend.api_key)
        .header("Idempotency-Key", row.id.to_string())
        .json(&serde_json::json!({
            "from": row.from_address,
            "to": [row.to_email],
            "subject": row.subject,
            "html": row.html,
            "text": row.text,
            "tags": [{"name": "kind", "value": row.kind}],
        }))
        .send()
        .await
        .map_err(|e| format!("Resend could not be reached: {e}"))?;
    let status = response.status();
    if status.is_success() {
        return response
            .json::<SendResponse>()
            .await
            .map(|body| body.id)
            .map_err(|e| format!("Resend answered {status} with an unreadable body: {e}"));
    }
    let body = response.json::<ErrorResponse>().await.ok();
    Err(format!(
        "Resend refused the email ({status}{}): {}",
        body.as_ref()
            .and_then(|b| b.name.as_deref())
            .map(|n| format!(", {n}"))
            .unwrap_or_default(),
        body.and_then(|b| b.message)
            .unwrap_or_else(|| "no message".into())
    ))
}

#[cfg(test)]
mod tests {
    use super::redact_tokens;

    #[test]
    fn delivered_links_keep_their_address_and_lose_their_token() {
        let text = "Open https://acme.example/reset-password?token=AbC-12_x9 within the hour.\n\
                    <a href=\"https://acme.example/accept-invitation?token=zz9&x=1\">Join</a>";
        let redacted = redact_tokens(text);
        assert!(!redacted.contains("AbC-12_x9") && !redacted.contains("zz9"));
        assert!(redacted.contains("reset-password?token=redacted within"));
        assert!(redacted.contains("accept-invitation?token=redacted&x=1"));
        assert_eq!(redact_tokens("no links here"), "no links here");
    }
}
