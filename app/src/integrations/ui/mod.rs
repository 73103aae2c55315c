//! Integration pages.

pub mod org_integrations;
