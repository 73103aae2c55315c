//! The knowledge base: documents written or uploaded (.txt, .md, .pdf, .docx), linked to
//! agents and given to them with their prompt. Text is read out of uploaded files by
//! `crate::extract`.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod upload;
