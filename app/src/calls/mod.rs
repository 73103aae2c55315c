//! Calls (conversations): one row per call, whatever provider ran it. This area stores
//! test calls for now; the call log, webhooks and billing build on it.

pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
