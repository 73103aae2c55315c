//! Where a job is, as stored.

use crate::names::stored_enum;

stored_enum! {
    /// Where a job is: waiting (`Queued`, perhaps after a failed attempt), held by a worker
    /// (`Running`), or given up after its last attempt (`Dead`). A finished job is deleted.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
    pub enum State {
        Queued = "queued",
        Running = "running",
        Dead = "dead",
    }
}
