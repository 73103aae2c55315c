//! Members: a workspace's people and roles, and the organisation's team, with the owner
//! protections of `access::permission` applied to every change.

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
