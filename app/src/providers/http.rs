//! The HTTP layer every provider call goes through: a timeout, retries with backoff on
//! 429 and 5xx that honour `Retry-After` (capped) for idempotent requests only, a circuit
//! breaker, and JSON bodies in and out.

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};

use super::breaker::Breakers;
use super::error::{ProviderError, ProviderErrorKind};
use crate::integrations::model::Provider;

/// Attempts in all, the first included.
const ATTEMPTS: u32 = 3;
/// The longest wait a `Retry-After` can ask for before we give up instead.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// An object a sync keeps at a provider (an assistant, an LLM, an agent).
pub struct Kept<'a> {
    /// Its address for an update, while there is one.
    pub update: Option<String>,
    /// Where a new one is created.
    pub create: &'a str,
    /// Where a created object's id is in the answer.
    pub id_field: &'a str,
}

#[derive(Debug, Clone)]
pub struct ProviderHttp {
    pub provider: Provider,
    pub base_url: String,
    client: reqwest::Client,
    /// The first backoff; doubled each retry. Tests shorten it.
    pub backoff: Duration,
    breakers: Breakers,
}

impl ProviderHttp {
    /// Sends `body` to an object a sync keeps: an update (PATCH) while it exists, else a
    /// creation (POST), both when there is none yet and when the provider says it lost it
    /// (`missing`: deleted there). The id of a created object, or `None` when the existing
    /// one took the update.
    pub async fn update_or_create(
        &self,
        kept: Kept<'_>,
        key: &str,
        body: &serde_json::Value,
        messages: fn(&serde_json::Value) -> Vec<String>,
        missing: fn(&ProviderError) -> bool,
    ) -> Result<Option<String>, ProviderError> {
        if let Some(update) = &kept.update {
            match self
                .json(Method::PATCH, update, key, Some(body), messages)
                .await
            {
                Ok(_) => return Ok(None),
                Err(e) if missing(&e) => {}
                Err(e) => return Err(e),
            }
        }
        let created = self
            .json(Method::POST, kept.create, key, Some(body), messages)
            .await?;
        string_field(&created, kept.id_field, self.provider).map(Some)
    }

    pub fn new(provider: Provider, base_url: &str) -> Result<Self, ProviderError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| unavailable(provider, None, &e.to_string()))?;
        Ok(Self {
            provider,
            base_url: base_url.trim_end_matches('/').to_owned(),
            client,
            backoff: Duration::from_millis(250),
            breakers: Breakers::default(),
        })
    }

    /// A request authenticated by headers rather than a bearer token (Algolia).
    pub fn request_with_headers(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> RequestBuilder {
        headers.iter().fold(
            self.client
                .request(method, format!("{}{path}", self.base_url)),
            |request, (name, value)| request.header(*name, *value),
        )
    }

    pub fn request(&self, method: Method, path: &str, key: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(key)
    }

    /// Sends an idempotent request made with the credential `key`, retrying 429 and 5xx;
    /// returns the first other answer.
    pub async fn send_idempotent(
        &self,
        key: &str,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response, ProviderError> {
        self.guarded(key, self.retrying(build)).await
    }

    /// Sends a request made with the credential `key` that must not be repeated (a create):
    /// one attempt.
    pub async fn send_once(
        &self,
        key: &str,
        request: RequestBuilder,
    ) -> Result<Response, ProviderError> {
        self.guarded(key, async {
            request
                .send()
                .await
                .map_err(|e| unavailable(self.provider, None, &short(&e)))
        })
        .await
    }

    /// Sends a JSON request and reads the JSON answer; a non-success status becomes an
    /// error carrying the messages `messages` finds in the provider's error body.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: Option<&serde_json::Value>,
        messages: fn(&serde_json::Value) -> Vec<String>,
    ) -> Result<serde_json::Value, ProviderError> {
        let build = || {
            let request = self.request(method.clone(), path, key);
            match body {
                Some(body) => request.json(body),
                None => request,
            }
        };
        let response = if method == Method::POST {
            self.send_once(key, build()).await?
        } else {
            self.send_idempotent(key, build).await?
        };
        self.read_json(response, messages).await
    }

    /// `json` for a request that only reads, whatever its method (Retell lists calls by
    /// POST): retried like a GET.
    pub async fn json_read(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: Option<&serde_json::Value>,
        messages: fn(&serde_json::Value) -> Vec<String>,
    ) -> Result<serde_json::Value, ProviderError> {
        let build = || {
            let request = self.request(method.clone(), path, key);
            match body {
                Some(body) => request.json(body),
                None => request,
            }
        };
        let response = self.send_idempotent(key, build).await?;
        self.read_json(response, messages).await
    }

    async fn read_json(
        &self,
        response: Response,
        messages: fn(&serde_json::Value) -> Vec<String>,
    ) -> Result<serde_json::Value, ProviderError> {
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| unavailable(self.provider, Some(status.as_u16()), &short(&e)))?;
        let value: serde_json::Value = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|_| ProviderError {
                provider: self.provider,
                status: Some(status.as_u16()),
                kind: ProviderErrorKind::Unexpected("a body that is not JSON".into()),
            })?
        };
        if status.is_success() {
            Ok(value)
        } else {
            Err(from_status(self.provider, status, messages(&value)))
        }
    }

    /// Refuses at once while the breaker of this credential is open; records how the call
    /// went. The breaker is per credential, so one tenant's failing key (or an account the
    /// provider suspended) never pauses the provider for the others.
    async fn guarded(
        &self,
        key: &str,
        call: impl Future<Output = Result<Response, ProviderError>>,
    ) -> Result<Response, ProviderError> {
        let breaker = self.breakers.of(key);
        if let Some(wait) = breaker.refusing_for() {
            return Err(unavailable(
                self.provider,
                None,
                &format!(
                    "it failed several times in a row; paused for {} s",
                    wait.as_secs().max(1)
                ),
            ));
        }
        let outcome = call.await;
        match &outcome {
            Ok(response) if response.status().is_server_error() => breaker.failed(),
            Ok(_) => breaker.succeeded(),
            Err(_) => breaker.failed(),
        }
        outcome
    }

    async fn retrying(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response, ProviderError> {
        let mut wait = self.backoff;
        for attempt in 1..=ATTEMPTS {
            let last = attempt == ATTEMPTS;
            match build().send().await {
                Ok(response) if retryable(response.status()) && !last => {
                    let asked = retry_after(&response);
                    if asked.is_some_and(|a| a > MAX_RETRY_AFTER) {
                        return Ok(response);
                    }
                    tokio::time::sleep(asked.unwrap_or(wait)).await;
                }
                Ok(response) => return Ok(response),
                Err(e) if !last && (e.is_timeout() || e.is_connect()) => {
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(unavailable(self.provider, None, &short(&e))),
            }
            wait *= 2;
        }
        Err(unavailable(self.provider, None, "no answer"))
    }
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn short(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection refused".into()
    } else {
        "network error".into()
    }
}

pub fn unavailable(provider: Provider, status: Option<u16>, why: &str) -> ProviderError {
    ProviderError {
        provider,
        status,
        kind: ProviderErrorKind::Unavailable(why.to_owned()),
    }
}

/// The error for a non-success status, with the provider's messages when it sent any.
pub fn from_status(provider: Provider, status: StatusCode, messages: Vec<String>) -> ProviderError {
    let kind = match status.as_u16() {
        401 | 403 => ProviderErrorKind::Unauthorized,
        429 => ProviderErrorKind::RateLimited,
        500..=599 => ProviderErrorKind::Unavailable(format!("HTTP {}", status.as_u16())),
        400 | 404 | 409 | 422 if !messages.is_empty() => ProviderErrorKind::Rejected(messages),
        other => ProviderErrorKind::Unexpected(format!("HTTP {other}")),
    };
    ProviderError {
        provider,
        status: Some(status.as_u16()),
        kind,
    }
}

/// The text at `field` of a provider's answer, or an error naming what was missing.
pub fn string_field(
    value: &serde_json::Value,
    field: &str,
    provider: Provider,
) -> Result<String, ProviderError> {
    value
        .get(field)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ProviderError {
            provider,
            status: None,
            kind: ProviderErrorKind::Unexpected(format!("no {field} in the answer")),
        })
}
