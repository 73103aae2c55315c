//! Who may do what: the permission matrix (shared with the browser), the typed workspace
//! and partner contexts every server function starts from, and the queries behind them.

pub mod model;
pub mod permission;

#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod memo;
#[cfg(feature = "ssr")]
pub mod service;
