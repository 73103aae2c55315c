//! Dashboards and analytics: figures over a workspace's calls, drawn as server-rendered
//! SVG charts.

pub mod api;
pub mod charts;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
