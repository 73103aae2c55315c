//! Organisation-level provider integrations: VAPI, Retell and Algolia keys, sealed at rest,
//! shown by their last four characters only, and assigned to workspaces per provider.

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod assign;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod voice;
