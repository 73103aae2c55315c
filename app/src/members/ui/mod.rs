//! Member pages.

pub mod org_team;
pub mod workspace_members;
