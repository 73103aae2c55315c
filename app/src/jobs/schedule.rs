//! Periodic jobs: each falls due once per period across every process. Whichever worker
//! first moves the schedule's `next_run_at` past now (one conditional update) enqueues the
//! job in the same transaction; the others find nothing to move. The job's unique key is
//! its kind, so a period whose job still waits adds no second one.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::Job;
use crate::db::entity::job_schedule;

type Enqueue = for<'a> fn(
    &'a sea_orm::DatabaseTransaction,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Option<uuid::Uuid>, DbErr>> + Send + 'a>,
>;

/// A job that runs every `every`.
#[derive(Clone, Copy)]
pub struct Periodic {
    pub name: &'static str,
    pub every: Duration,
    enqueue: Enqueue,
}

impl Periodic {
    pub fn of<J: Job + Default>(every: Duration) -> Self {
        Self {
            name: J::KIND,
            every,
            enqueue: |txn| {
                Box::pin(async move {
                    let job = J::default();
                    super::insert(txn, &job, Some(J::KIND.to_owned()), Utc::now()).await
                })
            },
        }
    }
}

/// Enqueues every periodic job that is due at `now`; returns how many this call queued.
pub async fn tick(
    db: &DatabaseConnection,
    schedules: &[Periodic],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut queued = 0;
    for schedule in schedules {
        job_schedule::Entity::insert(job_schedule::ActiveModel {
            name: Set(schedule.name.to_owned()),
            next_run_at: Set(now),
        })
        .on_conflict_do_nothing_on([job_schedule::Column::Name])
        .exec_without_returning(db)
        .await?;
        let next = now
            + chrono::Duration::from_std(schedule.every)
                .unwrap_or_else(|_| chrono::Duration::hours(1));
        let txn = crate::db::begin_write(db).await?;
        let moved = job_schedule::Entity::update_many()
            .filter(job_schedule::Column::Name.eq(schedule.name))
            .filter(job_schedule::Column::NextRunAt.lte(now))
            .col_expr(job_schedule::Column::NextRunAt, Expr::value(next))
            .exec(&txn)
            .await?
            .rows_affected;
        if moved == 1 && (schedule.enqueue)(&txn).await?.is_some() {
            queued += 1;
        }
        txn.commit().await?;
    }
    Ok(queued)
}

/// Enqueues every periodic job now, due or not (tests, and an operator's nudge).
pub async fn enqueue_all(db: &DatabaseConnection, schedules: &[Periodic]) -> Result<usize, DbErr> {
    let mut queued = 0;
    for schedule in schedules {
        let txn = crate::db::begin_write(db).await?;
        if (schedule.enqueue)(&txn).await?.is_some() {
            queued += 1;
        }
        txn.commit().await?;
    }
    Ok(queued)
}
