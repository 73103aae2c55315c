//! The knowledge base: documents written or uploaded (.txt, .md, .pdf, .docx), linked to
//! agents and given to them with their prompt.

pub mod api;
#[cfg(feature = "ssr")]
pub mod extract;
pub mod model;
#[cfg(feature = "ssr")]
pub mod parse;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod upload;
