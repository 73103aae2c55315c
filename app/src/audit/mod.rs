//! The audit log: one append-only row per sensitive action (sign-ins, two-factor and
//! password changes, roles, removals, invitations, agents, documents, credit), written
//! where each happens (`record`), read by organisation admins for their organisation and
//! by the super admin for all (`service`, `api`, the pages in `ui`, CSV in `export`).

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
mod record;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use record::{Entry, RequestMeta, record};
