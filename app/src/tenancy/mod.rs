//! Tenancy: partners (agencies, resolved from the request's host), their branding, and
//! their workspaces.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
