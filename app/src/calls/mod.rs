//! Calls (conversations): one row per call, whatever provider ran it, kept up to date from
//! what the providers report (webhooks, and asking them), and charged once when they end.

#[cfg(feature = "ssr")]
pub mod algolia;
pub mod api;
#[cfg(feature = "ssr")]
pub mod day_totals;
#[cfg(feature = "ssr")]
pub mod export;
pub mod filter;
pub mod highlight;
#[cfg(feature = "ssr")]
pub mod list;
#[cfg(feature = "ssr")]
pub mod live;
pub mod model;
#[cfg(feature = "ssr")]
pub mod poll;
#[cfg(feature = "ssr")]
pub mod recording;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod webhooks;
