//! Algolia's REST API (`https://{APP_ID}.algolia.net`, headers `x-algolia-application-id`
//! and `x-algolia-api-key`, errors as `{"message": ..., "status": ...}`): the key check, and
//! the calls index a workspace with an Algolia integration searches (one index per
//! integration, shared by its workspaces, every query filtered to one workspace).

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
        .send_idempotent(admin_key, || {
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

/// Attributes searched, in order of weight.
pub const SEARCHABLE: [&str; 5] = [
    "transcript",
    "summary",
    "caller_name",
    "phone_number",
    "agent_name",
];
/// The most hits one query may page through (Algolia's `paginationLimitedTo`).
pub const MAX_HITS: u32 = 1000;

/// A workspace's calls index at Algolia.
#[derive(Debug, Clone)]
pub struct CallIndex {
    http: ProviderHttp,
    app_id: String,
    key: String,
    index: String,
}

impl CallIndex {
    pub fn new(
        template: &str,
        app_id: &str,
        key: &str,
        index: &str,
    ) -> Result<Self, ProviderError> {
        Ok(Self {
            http: ProviderHttp::new(Provider::Algolia, &base_url(template, app_id))?,
            app_id: app_id.to_owned(),
            key: key.to_owned(),
            index: index.to_owned(),
        })
    }

    /// Sends `body` to `path` under the index (every call here is safe to repeat).
    async fn call(&self, method: Method, path: &str, body: &Value) -> Result<Value, ProviderError> {
        let url = format!("/1/indexes/{}{path}", self.index);
        let response = self
            .http
            .send_idempotent(&self.key, || {
                self.http
                    .request_with_headers(
                        method.clone(),
                        &url,
                        &[
                            ("x-algolia-application-id", &self.app_id),
                            ("x-algolia-api-key", &self.key),
                        ],
                    )
                    .json(body)
            })
            .await?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            Ok(body)
        } else {
            Err(super::http::from_status(
                Provider::Algolia,
                status,
                messages(&body),
            ))
        }
    }

    /// What is searched and filtered on; needed before a filter on `workspace_id` works.
    pub async fn configure(&self) -> Result<(), ProviderError> {
        self.call(
            Method::PUT,
            "/settings",
            &serde_json::json!({
                "searchableAttributes": SEARCHABLE,
                "attributesForFaceting": ["filterOnly(workspace_id)", "filterOnly(agent_id)", "status", "direction"],
                "unretrievableAttributes": ["workspace_id", "partner_id"],
                "customRanking": ["desc(created_at_timestamp)"],
                "paginationLimitedTo": MAX_HITS,
            }),
        )
        .await
        .map(drop)
    }

    /// Adds or replaces these call records (each keyed by its `objectID`).
    pub async fn save(&self, records: Vec<Value>) -> Result<(), ProviderError> {
        if records.is_empty() {
            return Ok(());
        }
        let requests: Vec<Value> = records
            .into_iter()
            .map(|body| serde_json::json!({ "action": "updateObject", "body": body }))
            .collect();
        self.call(
            Method::POST,
            "/batch",
            &serde_json::json!({ "requests": requests }),
        )
        .await
        .map(drop)
    }

    /// Removes every record of the workspace.
    pub async fn clear_workspace(&self, workspace_id: uuid::Uuid) -> Result<(), ProviderError> {
        self.call(
            Method::POST,
            "/deleteByQuery",
            &serde_json::json!({ "filters": format!("workspace_id:{workspace_id}") }),
        )
        .await
        .map(drop)
    }

    /// Ids of the workspace's calls matching `query` (at most [`MAX_HITS`]), and how many
    /// matched in all.
    pub async fn search(
        &self,
        workspace_id: uuid::Uuid,
        query: &str,
    ) -> Result<(Vec<uuid::Uuid>, u64), ProviderError> {
        let body = self
            .call(
                Method::POST,
                "/query",
                &serde_json::json!({
                    "query": query,
                    "filters": format!("workspace_id:{workspace_id}"),
                    "hitsPerPage": MAX_HITS,
                    "page": 0,
                    "attributesToRetrieve": ["objectID"],
                }),
            )
            .await?;
        let ids = body
            .get("hits")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| h.get("objectID").and_then(Value::as_str))
            .filter_map(|id| uuid::Uuid::parse_str(id).ok())
            .collect();
        let total = body.get("nbHits").and_then(Value::as_u64).unwrap_or(0);
        Ok((ids, total))
    }
}
