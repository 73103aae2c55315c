//! Public pages of the platform host.

pub mod home;
