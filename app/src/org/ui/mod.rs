//! The organisation's own pages.

pub mod domains;
pub mod overview;
pub mod settings;
