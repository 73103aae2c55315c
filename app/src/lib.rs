//! Genius365: the Leptos application shared by the server (`ssr`) and the browser
//! (`hydrate`). One folder per domain area; see docs/ARCHITECTURE.md for the map.

#![recursion_limit = "256"]

pub mod access;
pub mod agents;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod calls;
pub mod campaigns;
pub mod components;
pub mod email;
pub mod error;
pub mod integrations;
pub mod invitations;
pub mod knowledge;
pub mod marketing;
pub mod members;
pub(crate) mod names;
pub mod org;
pub mod pages;
pub mod phone;
#[cfg(feature = "ssr")]
pub mod providers;
pub mod routes;
pub mod shell;
pub mod super_admin;
pub mod tenancy;
pub mod text;
pub mod tools;
pub mod variables;

#[cfg(feature = "ssr")]
pub mod client_ip;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod extract;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod upload;

pub use shell::App;
#[cfg(feature = "ssr")]
pub use shell::shell;
