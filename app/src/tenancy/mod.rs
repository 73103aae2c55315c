//! Tenancy: partners (agencies, resolved from the request's host), their branding, and
//! their workspaces.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
