//! Super-admin server functions. Rights come from the `super_admins` table, checked on
//! every call; the platform host alone serves them (other hosts answer 404). The console
//! sign-in is `auth::api::login` with `console`.

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{JobQueue, OutboxEmail};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{JobRow, KindDepth, WorkerBeat},
    crate::access::guard::require_super_admin,
    crate::db::entity::{email_outbox, job, job_worker},
    crate::jobs::{model::State, queue},
    crate::state::app_state,
    sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect},
};

/// The newest emails first, 50 per page.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "super-admin/outbox")]
pub async fn outbox(page: u64) -> Result<Vec<OutboxEmail>, AppError> {
    require_super_admin().await?;
    let state = app_state()?;
    let rows = email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::CreatedAt)
        .offset(page.saturating_mul(50))
        .limit(50)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEmail {
            id: r.id,
            kind: r.kind,
            to: r.to_email,
            from: r.from_address,
            subject: r.subject,
            text: r.text,
            status: r.status,
            last_error: r.last_error,
            created_at: r.created_at,
        })
        .collect())
}

/// Queue depth by kind, the jobs in trouble, and the workers' heartbeats.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "super-admin/jobs")]
pub async fn queue_overview() -> Result<JobQueue, AppError> {
    require_super_admin().await?;
    let state = app_state()?;
    let db = &state.db;
    // Rows come ordered by kind: one row per kind, its states filled in.
    let mut depth: Vec<KindDepth> = Vec::new();
    for (kind, state, n) in queue::depth(db).await? {
        if depth.last().is_none_or(|d| d.kind != kind) {
            depth.push(KindDepth {
                kind,
                ..Default::default()
            });
        }
        let Some(row) = depth.last_mut() else {
            continue;
        };
        match state {
            State::Queued => row.queued = n,
            State::Running => row.running = n,
            State::Dead => row.dead = n,
        }
    }
    let troubled = job::Entity::find()
        .filter(
            Condition::any()
                .add(job::Column::State.eq(State::Dead))
                .add(
                    Condition::all()
                        .add(job::Column::State.eq(State::Queued))
                        .add(job::Column::LastError.is_not_null()),
                ),
        )
        .order_by_desc(job::Column::UpdatedAt)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(|j| {
            Ok(JobRow {
                id: j.id,
                dead: j.state == State::Dead,
                kind: j.kind,
                attempts: j.attempts,
                last_error: j.last_error,
                run_at: j.run_at,
                updated_at: j.updated_at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let workers = job_worker::Entity::find()
        .order_by_desc(job_worker::Column::BeatAt)
        .limit(50)
        .all(db)
        .await?
        .into_iter()
        .map(|w| WorkerBeat {
            id: w.id,
            started_at: w.started_at,
            beat_at: w.beat_at,
        })
        .collect();
    Ok(JobQueue {
        depth,
        troubled,
        workers,
    })
}

/// Puts a dead job back in the queue, with a fresh count of attempts.
#[server(prefix = "/api", endpoint = "super-admin/jobs/retry")]
pub async fn retry_job(id: Uuid) -> Result<(), AppError> {
    require_super_admin().await?;
    let state = app_state()?;
    if !queue::revive(&state.db, id).await? {
        return Err(AppError::not_found("The dead job"));
    }
    crate::components::toast::flash("The job is queued again.");
    Ok(())
}

/// Deletes a dead job for good.
#[server(prefix = "/api", endpoint = "super-admin/jobs/discard")]
pub async fn discard_job(id: Uuid) -> Result<(), AppError> {
    require_super_admin().await?;
    let state = app_state()?;
    if !queue::discard(&state.db, id).await? {
        return Err(AppError::not_found("The dead job"));
    }
    crate::components::toast::flash("The job was discarded.");
    Ok(())
}

/// Every email the product sends, with example values, in the brand of `organisation`
/// (the platform's when none is given).
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "super-admin/email-previews")]
pub async fn email_previews(
    #[server(default)] organisation: Option<Uuid>,
) -> Result<super::model::EmailPreviews, AppError> {
    use crate::db::entity::partner;
    require_super_admin().await?;
    let state = app_state()?;
    let db = &state.db;
    let partners = partner::Entity::find()
        .filter(partner::Column::DeletedAt.is_null())
        .order_by_asc(partner::Column::Name)
        .all(db)
        .await?;
    let chosen = match organisation {
        Some(id) => partners
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::not_found("The organization"))?,
        None => partners
            .iter()
            .find(|p| p.is_platform_partner)
            .or(partners.first())
            .ok_or_else(|| AppError::not_found("An organization"))?,
    };
    let (brand, origin) = crate::tenancy::service::email_brand(
        db,
        chosen,
        &state.config.app_url,
        &state.config.platform_domain,
    )
    .await?;
    let from = format!(
        "{} <{}>",
        brand.sender_name,
        state.config.email.from_address()
    );
    Ok(super::model::EmailPreviews {
        organisation: brand.name.clone(),
        organisations: partners.iter().map(|p| (p.id, p.name.clone())).collect(),
        emails: crate::email::preview::samples(&brand, &origin)
            .into_iter()
            .map(|(kind, email)| super::model::EmailPreview {
                kind,
                subject: email.subject,
                from: from.clone(),
                html: email.html,
                text: email.text,
            })
            .collect(),
    })
}
