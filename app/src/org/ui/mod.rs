//! The organisation's own pages.

pub mod overview;
pub mod settings;
