//! The invitation pages, and the pending list the team pages share.

pub mod accept;
pub mod pending;
