//! Request middleware, applied in `router.rs`.

pub mod partner;
pub mod security_headers;
