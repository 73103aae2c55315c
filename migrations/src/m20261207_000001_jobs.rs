//! The job queue: work that must happen after a change commits (an email, a search index,
//! a provider sync), written in the change's own transaction and run by a worker
//! (`app::jobs`, `server::worker`). `job_schedules` holds when each periodic job next
//! falls due, so that it runs once per period across all processes; `job_workers` each
//! worker's heartbeat; `job_probes` what probe jobs (benchmarks, the kill test, an
//! operator checking the workers) recorded.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("jobs")
                    .col(pk_uuid("id"))
                    .col(string("kind"))
                    .col(text("payload"))
                    // Set while the job waits: a second enqueue of the same work is dropped.
                    .col(string_null("unique_key").unique_key())
                    .col(string("state"))
                    .col(timestamp_with_time_zone("run_at"))
                    .col(integer("attempts"))
                    .col(string_null("lease_owner"))
                    .col(timestamp_with_time_zone_null("lease_expires_at"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        // Claims read the due jobs of one state in run-at order.
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_state_run_at")
                    .table("jobs")
                    .col("state")
                    .col("run_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("job_schedules")
                    .col(string("name").primary_key())
                    .col(timestamp_with_time_zone("next_run_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("job_workers")
                    .col(string("id").primary_key())
                    .col(string("host"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("beat_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("job_probes")
                    .col(pk_uuid("id"))
                    .col(string("tag"))
                    .col(uuid("job_id"))
                    .col(timestamp_with_time_zone("ran_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_job_probes_tag")
                    .table("job_probes")
                    .col("tag")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["job_probes", "job_workers", "job_schedules", "jobs"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
