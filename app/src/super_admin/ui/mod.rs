//! Super-admin pages.

pub mod login;
pub mod outbox;
