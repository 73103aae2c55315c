//! Algolia's REST API (`https://{APP_ID}.algolia.net`, headers `x-algolia-application-id`
//! and `x-algolia-api-key`, errors as `{"message": ..., "status": ...}`). Only the key check
//! so far; search comes with the call log.

use reqwest::Method;
use serde_json::Value;

use super::error::ProviderError;
use super::http::ProviderHttp;
use crate::integrations::model::Provider;

/// The API host for an application id, from the configured template.
pub fn base_url(template: &str, app_id: &str) -> String {
    template.replace("{app_id}", app_id)
}

pub fn messages(body: &Value) -> Vec<String> {
    body.get("message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .into_iter()
        .collect()
}

/// Checks an application id and admin key by listing the indices.
pub async fn check_key(template: &str, app_id: &str, admin_key: &str) -> Result<(), ProviderError> {
    let http = ProviderHttp::new(Provider::Algolia, &base_url(template, app_id))?;
    let response = http
        .send_idempotent(|| {
            http.request_with_headers(
                Method::GET,
                "/1/indexes",
                &[
                    ("x-algolia-application-id", app_id),
                    ("x-algolia-api-key", admin_key),
                ],
            )
        })
        .await?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let body: Value = response.json().await.unwrap_or(Value::Null);
    Err(super::http::from_status(
        Provider::Algolia,
        status,
        messages(&body),
    ))
}
