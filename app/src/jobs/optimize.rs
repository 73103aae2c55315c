//! The periodic job that keeps the query planner's statistics current
//! ([`crate::db::optimize`]).

use super::{Context, Job, JobError};

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Optimize;

impl Job for Optimize {
    const KIND: &'static str = "db.optimize";

    async fn run(self, cx: Context) -> Result<(), JobError> {
        crate::db::optimize(&cx.state.db).await?;
        Ok(())
    }
}
