//! The organisation's own: a production install set up by `server init`, and (in their
//! modules) what an organisation's admins see and change about it.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod audit;
mod brand;
#[path = "../common/mod.rs"]
mod common;
mod domains;
mod emails;
mod init;
mod overview;
mod workspace;
