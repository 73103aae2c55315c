//! VAPI's API (`https://api.vapi.ai`, Bearer private key, camelCase JSON, NestJS-style
//! errors: `{"message": string | [string], "error", "statusCode"}`).

use reqwest::Method;
use serde::Deserialize;

use super::error::ProviderError;
use super::http::{ProviderHttp, from_status};
use crate::integrations::model::Provider;

pub const DEFAULT_BASE_URL: &str = "https://api.vapi.ai";

/// VAPI's error body; `message` is a string or a list of strings.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: serde_json::Value,
}

/// Checks a private key by listing one assistant.
pub async fn check_key(http: &ProviderHttp, secret: &str) -> Result<(), ProviderError> {
    let response = http
        .send_idempotent(|| http.request(Method::GET, "/assistant?limit=1", secret))
        .await?;
    if response.status().is_success() {
        return Ok(());
    }
    let status = response.status();
    let messages = response
        .json::<ErrorBody>()
        .await
        .map(|b| messages(&b.message))
        .unwrap_or_default();
    Err(from_status(Provider::Vapi, status, messages))
}

fn messages(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => vec![],
    }
}
