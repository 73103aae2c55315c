//! The organisation area (`/org/…`): its frame and navigation, and its own pages (the
//! overview). Pages about one subject live with their areas (`members`, `integrations`,
//! `billing`, `audit`).

pub mod api;
pub mod frame;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod brand;
#[cfg(feature = "ssr")]
pub mod dns;
#[cfg(feature = "ssr")]
pub mod domains;
#[cfg(feature = "ssr")]
pub mod images;
#[cfg(feature = "ssr")]
pub mod notices;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod upload;
