//! Invitations: to a workspace, to the organisation's team (with workspaces), and of a
//! client who gets a new workspace. Tokens are single use, expire after 7 days, are bound
//! to the invited email, and only their hash is stored.

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod accept;
#[cfg(feature = "ssr")]
pub mod issue;
#[cfg(feature = "ssr")]
pub mod service;
