//! The knowledge base: documents written or uploaded (.txt, .md, .pdf), linked to agents
//! and given to them with their prompt.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
