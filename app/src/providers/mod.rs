//! Voice providers' HTTP APIs (VAPI, Retell): one retrying HTTP layer, readable errors,
//! and each provider's calls. Base URLs come from configuration, so tests point them at
//! loopback simulators.

pub mod error;
pub mod http;
pub mod retell;
pub mod vapi;
