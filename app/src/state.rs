//! The application state every server function and handler shares, and the accessors that
//! fetch it (and the request's partner) from the Leptos context.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::{LeptosOptions, use_context};
use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::error::AppError;
use crate::providers::ProviderClients;
use crate::secrets::Vault;
use crate::tenancy::cache::PartnerCache;
use crate::tenancy::service::{CurrentPartner, HostRules};

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub vault: Vault,
    pub partners: PartnerCache,
    /// HTTP clients of the voice providers, shared by every request.
    pub providers: ProviderClients,
    /// Call news for the pages open in this process.
    pub live: crate::live::LiveNews,
    /// Where pages' browser test calls may connect (`ProviderUrls::web_call_sources`),
    /// worked out once for every page's Content-Security-Policy.
    pub web_call_sources: Arc<[String]>,
    /// Reads uploaded files in child processes (`server extract-text`).
    pub extractor: crate::extract::Extractor,
}

impl AppState {
    pub fn host_rules(&self) -> HostRules {
        HostRules {
            platform_domain: self.config.platform_domain.clone(),
            dev_partner_slug: self.config.dev_partner_slug.clone(),
            production: self.config.environment == crate::config::Environment::Production,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The shared state, provided to every render and server function by the router.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState is missing from the Leptos context"))
}

/// The partner the request's host resolved to (set by the host middleware).
pub fn current_partner() -> Result<CurrentPartner, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentPartner>().cloned())
        .ok_or_else(|| AppError::internal("no partner was resolved for this request"))
}
