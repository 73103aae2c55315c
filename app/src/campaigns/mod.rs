//! Campaigns: outbound calling lists worked through by the job queue (see
//! docs/ARCHITECTURE.md, "Campaigns").

pub mod api;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod callback;
#[cfg(feature = "ssr")]
pub mod dialer;
#[cfg(feature = "ssr")]
pub mod dnc;
#[cfg(feature = "ssr")]
pub mod dnc_list;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod news;
#[cfg(feature = "ssr")]
pub mod outcome;
#[cfg(feature = "ssr")]
pub mod preview;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod pulse;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod summary;
#[cfg(feature = "ssr")]
pub mod upload;
#[cfg(feature = "ssr")]
pub mod window;
#[cfg(feature = "ssr")]
mod zones;
