//! The super-admin console (platform host only): the email outbox, behind its own sign-in.

pub mod api;
pub mod model;
pub mod ui;
