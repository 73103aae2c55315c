//! Retell's API (`https://api.retellai.com`, Bearer API key, snake_case JSON, errors as
//! `{"status": "error", "message": "..."}`).

use reqwest::Method;
use serde::Deserialize;

use super::error::ProviderError;
use super::http::{ProviderHttp, from_status};
use crate::integrations::model::Provider;

pub const DEFAULT_BASE_URL: &str = "https://api.retellai.com";

#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
}

/// Checks an API key by listing agents.
pub async fn check_key(http: &ProviderHttp, secret: &str) -> Result<(), ProviderError> {
    let response = http
        .send_idempotent(|| http.request(Method::GET, "/list-agents", secret))
        .await?;
    if response.status().is_success() {
        return Ok(());
    }
    let status = response.status();
    let messages = response
        .json::<ErrorBody>()
        .await
        .ok()
        .and_then(|b| b.message)
        .into_iter()
        .collect();
    Err(from_status(Provider::Retell, status, messages))
}
