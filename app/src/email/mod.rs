//! Email: branded templates, the outbox every message is written to, and delivery through
//! Resend when it is configured.

pub mod model;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod preview;
#[cfg(feature = "ssr")]
pub mod template;
