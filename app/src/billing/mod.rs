//! Usage billing: prepaid credit wallets (per workspace, and per partner for its
//! billing-exempt workspaces) with an append-only ledger, and the charge for each finished
//! call. Stripe top-ups and subscriptions build on it.

pub mod api;
#[cfg(feature = "ssr")]
pub mod holds;
pub mod model;
#[cfg(feature = "ssr")]
pub mod org;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
