//! Request middleware, applied in `router.rs`.

pub mod body_limit;
pub mod csrf;
pub mod partner;
pub mod request_id;
pub mod security_headers;
pub mod session;
pub mod white_label;
