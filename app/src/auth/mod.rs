//! Accounts and sign-in: validated emails and passwords, password hashing, users.

pub mod model;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
