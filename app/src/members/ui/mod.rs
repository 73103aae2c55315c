//! Member pages.

pub mod controls;
pub mod org_team;
pub mod workspace_members;
