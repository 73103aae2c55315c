//! The database schema, as ordered migrations that run unchanged on SQLite and PostgreSQL.
//!
//! Rules that keep one schema portable (the SQLite backend of SeaQuery panics otherwise):
//! foreign keys are declared inside `create_table`, one column change per `alter_table`,
//! no `modify_column`, and anything backend-specific branches on `get_database_backend()`.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261124_000001_tenancy_core;
mod m20261124_000002_accounts;
mod m20261124_000003_integrations;
mod m20261124_000004_agents;
mod m20261124_000005_credits;
mod m20261124_000006_call_search;
mod m20261201_000001_call_holds;
mod m20261205_000001_call_totals_index;
mod m20261205_000002_call_day_totals;
mod m20261206_000001_call_totals;
mod m20261207_000001_jobs;
mod m20261208_000001_campaigns;
mod m20261215_000001_campaign_activity;
mod m20261216_000001_audit_time;
mod m20261216_000002_brand_assets;
mod m20261216_000003_domain_checks;
mod rollup;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_tenancy_core::Migration),
            Box::new(m20261124_000002_accounts::Migration),
            Box::new(m20261124_000003_integrations::Migration),
            Box::new(m20261124_000004_agents::Migration),
            Box::new(m20261124_000005_credits::Migration),
            Box::new(m20261124_000006_call_search::Migration),
            Box::new(m20261201_000001_call_holds::Migration),
            Box::new(m20261205_000001_call_totals_index::Migration),
            Box::new(m20261205_000002_call_day_totals::Migration),
            Box::new(m20261206_000001_call_totals::Migration),
            Box::new(m20261207_000001_jobs::Migration),
            Box::new(m20261208_000001_campaigns::Migration),
            Box::new(m20261215_000001_campaign_activity::Migration),
            Box::new(m20261216_000001_audit_time::Migration),
            Box::new(m20261216_000002_brand_assets::Migration),
            Box::new(m20261216_000003_domain_checks::Migration),
        ]
    }
}
