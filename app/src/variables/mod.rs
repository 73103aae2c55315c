//! Custom variables: the standard set, workspace variables (settings page) and agent
//! variables (agent form), with their naming rules.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
