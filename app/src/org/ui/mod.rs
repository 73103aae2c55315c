//! The organisation's own pages.

pub mod overview;
