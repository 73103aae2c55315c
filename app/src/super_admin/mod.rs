//! The super-admin console (platform host only): its own sign-in, and the email outbox.

pub mod api;
pub mod model;
pub mod ui;
