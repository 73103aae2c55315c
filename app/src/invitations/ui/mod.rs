//! The invitation pages.

pub mod accept;
