//! The Genius365 server: composition root, HTTP edges outside Leptos, and the CLI.
//! `main.rs` only parses arguments; everything else lives here so tests can boot it.

// Rendering whole pages on the server nests Leptos view types deeply (app sets the same).
#![recursion_limit = "256"]

pub mod bench;
pub mod bench_campaigns;
pub mod bench_pages;
pub mod bench_queue;
pub mod cli;
pub mod config;
pub mod extract;
pub mod health;
pub mod init;
pub mod middleware;
pub mod rotate;
pub mod router;
pub mod seed;
pub mod state;
pub mod static_files;
pub mod telemetry;
pub mod webhooks;
pub mod worker;
