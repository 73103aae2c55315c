//! Algolia: the index list (`GET /1/indexes`) the key check reads, and the calls index:
//! settings, batch writes, queries and delete-by-query. Both headers are required; a wrong
//! pair is Algolia's 403 `{"message", "status"}`. As the real API: a query on an index
//! that does not exist is a 404; filters only work on attributes declared for faceting;
//! `updateObject` and `deleteObject` need an `objectID`; unknown actions are refused.
//! Queries match every word as the beginning of a word of the searchable attributes
//! (Algolia's prefix search, without its typo tolerance), newest first by
//! `created_at_timestamp`.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use crate::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, VoiceSim, reply};

pub fn routes() -> Router<VoiceSim> {
    Router::new()
        .route("/1/indexes", get(list_indexes))
        .route("/1/indexes/{index}/settings", put(settings))
        .route("/1/indexes/{index}/batch", post(batch))
        .route("/1/indexes/{index}/query", post(query))
        .route("/1/indexes/{index}/deleteByQuery", post(delete_by_query))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn error(status: u16, message: &str) -> Response {
    reply(status, json!({"message": message, "status": status}))
}

/// Records the request and checks the key pair; `Some` is the answer to give instead.
fn gate(
    sim: &VoiceSim,
    method: &str,
    path: &str,
    headers: &HeaderMap,
    body: &Value,
) -> Option<Response> {
    if let Some(status) = sim.record(method, path, body) {
        return Some(error(status, "Internal error"));
    }
    if header(headers, "x-algolia-application-id") != ALGOLIA_APP_ID
        || header(headers, "x-algolia-api-key") != ALGOLIA_ADMIN_KEY
    {
        return Some(error(403, "Invalid Application-ID or API key"));
    }
    None
}

fn task() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

async fn list_indexes(State(sim): State<VoiceSim>, headers: HeaderMap) -> Response {
    if let Some(refused) = gate(&sim, "GET", "/1/indexes", &headers, &Value::Null) {
        return refused;
    }
    let items: Vec<Value> = sim
        .store()
        .algolia
        .iter()
        .map(|(name, (_, records))| json!({"name": name, "entries": records.len()}))
        .collect();
    reply(200, json!({"items": items, "nbPages": 1}))
}

async fn settings(
    State(sim): State<VoiceSim>,
    Path(index): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "Invalid JSON");
    };
    if let Some(refused) = gate(
        &sim,
        "PUT",
        &format!("/1/indexes/{index}/settings"),
        &headers,
        &body,
    ) {
        return refused;
    }
    if !body.is_object() {
        return error(400, "Settings must be an object");
    }
    let mut store = sim.store();
    let entry = store
        .algolia
        .entry(index)
        .or_insert_with(|| (json!({}), BTreeMap::new()));
    if let (Some(old), Some(new)) = (entry.0.as_object_mut(), body.as_object()) {
        for (k, v) in new {
            old.insert(k.clone(), v.clone());
        }
    }
    reply(
        200,
        json!({"taskID": task(), "updatedAt": crate::now_iso()}),
    )
}

async fn batch(
    State(sim): State<VoiceSim>,
    Path(index): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "Invalid JSON");
    };
    if let Some(refused) = gate(
        &sim,
        "POST",
        &format!("/1/indexes/{index}/batch"),
        &headers,
        &body,
    ) {
        return refused;
    }
    let Some(requests) = body.get("requests").and_then(Value::as_array) else {
        return error(400, "Missing 'requests' array");
    };
    // Check every request before changing anything.
    for r in requests {
        let action = r.get("action").and_then(Value::as_str).unwrap_or_default();
        let id = r.get("body").and_then(|b| b.get("objectID"));
        match action {
            "addObject" => {}
            "updateObject"
            | "partialUpdateObject"
            | "partialUpdateObjectNoCreate"
            | "deleteObject" => {
                if !id.is_some_and(|v| v.is_string()) {
                    return error(400, &format!("objectID is required for {action}"));
                }
            }
            "delete" | "clear" => {}
            other => return error(400, &format!("Invalid action: {other}")),
        }
    }
    let mut store = sim.store();
    let (_, records) = store
        .algolia
        .entry(index)
        .or_insert_with(|| (json!({}), BTreeMap::new()));
    let mut ids = Vec::new();
    for r in requests {
        let body = r.get("body").cloned().unwrap_or(Value::Null);
        let action = r.get("action").and_then(Value::as_str).unwrap_or_default();
        let id = body
            .get("objectID")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}", task()));
        match action {
            "deleteObject" => {
                records.remove(&id);
            }
            "delete" | "clear" => records.clear(),
            "partialUpdateObject" | "partialUpdateObjectNoCreate" => {
                let exists = records.contains_key(&id);
                if exists || action == "partialUpdateObject" {
                    let record = records
                        .entry(id.clone())
                        .or_insert_with(|| json!({"objectID": id}));
                    if let (Some(old), Some(new)) = (record.as_object_mut(), body.as_object()) {
                        for (k, v) in new {
                            old.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            _ => {
                let mut record = body.clone();
                record["objectID"] = json!(id);
                records.insert(id.clone(), record);
            }
        }
        ids.push(id);
    }
    reply(200, json!({"taskID": task(), "objectIDs": ids}))
}

/// `attr:value` filters joined by AND; what the application sends. Anything else is
/// refused rather than guessed at.
fn parse_filters(filters: &str) -> Result<Vec<(String, String)>, String> {
    if filters.trim().is_empty() {
        return Ok(vec![]);
    }
    filters
        .split(" AND ")
        .map(|part| {
            let (attr, value) = part
                .trim()
                .split_once(':')
                .ok_or_else(|| format!("filters: unexpected token near '{part}'"))?;
            let plain_attr = !attr.is_empty()
                && attr
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
            let plain_value = !value.is_empty()
                && !value.contains(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"');
            if !plain_attr || !(quoted || plain_value) {
                return Err(format!("filters: unexpected token near '{part}'"));
            }
            Ok((attr.to_owned(), value.trim_matches('"').to_owned()))
        })
        .collect()
}

/// Whether `attr` is declared for faceting (plainly, or as `filterOnly(..)` / `searchable(..)`).
fn facetable(settings: &Value, attr: &str) -> bool {
    settings
        .get("attributesForFaceting")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|a| {
            a == attr || a == format!("filterOnly({attr})") || a == format!("searchable({attr})")
        })
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The records of `records` that `filters` and the words of `query` select, newest first.
fn select<'a>(
    settings: &Value,
    records: &'a BTreeMap<String, Value>,
    filters: &[(String, String)],
    query: &str,
) -> Vec<&'a Value> {
    let searchable: Vec<String> = settings
        .get("searchableAttributes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let wanted = words(query);
    let mut hits: Vec<&Value> = records
        .values()
        .filter(|r| {
            filters
                .iter()
                .all(|(a, v)| r.get(a).map(text_of).as_deref() == Some(v.as_str()))
        })
        .filter(|r| {
            let mut have = Vec::new();
            for attr in &searchable {
                have.extend(words(&r.get(attr).map(text_of).unwrap_or_default()));
            }
            wanted
                .iter()
                .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
        })
        .collect();
    hits.sort_by_key(|r| {
        std::cmp::Reverse(
            r.get("created_at_timestamp")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        )
    });
    hits
}

async fn query(
    State(sim): State<VoiceSim>,
    Path(index): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "Invalid JSON");
    };
    if let Some(refused) = gate(
        &sim,
        "POST",
        &format!("/1/indexes/{index}/query"),
        &headers,
        &body,
    ) {
        return refused;
    }
    let store = sim.store();
    let Some((settings, records)) = store.algolia.get(&index) else {
        return error(404, "Index does not exist");
    };
    let filters = match parse_filters(
        body.get("filters")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    ) {
        Ok(f) => f,
        Err(why) => return error(400, &why),
    };
    if let Some((attr, _)) = filters.iter().find(|(a, _)| !facetable(settings, a)) {
        return error(
            400,
            &format!("Attribute {attr} is not specified in attributesForFaceting settings"),
        );
    }
    let q = body
        .get("query")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let per_page = body
        .get("hitsPerPage")
        .and_then(Value::as_u64)
        .unwrap_or(20);
    if !(1..=1000).contains(&per_page) {
        return error(400, "hitsPerPage must be between 1 and 1000");
    }
    let page = body.get("page").and_then(Value::as_u64).unwrap_or(0);
    let all = select(settings, records, &filters, q);
    let hidden: Vec<String> = settings
        .get("unretrievableAttributes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let hits: Vec<Value> = all
        .iter()
        .skip((page * per_page) as usize)
        .take(per_page as usize)
        .map(|r| {
            let mut hit = (*r).clone();
            if let Some(o) = hit.as_object_mut() {
                for h in &hidden {
                    o.remove(h);
                }
            }
            hit
        })
        .collect();
    let nb = all.len() as u64;
    reply(
        200,
        json!({
            "hits": hits,
            "query": q,
            "params": format!("query={q}"),
            "nbHits": nb,
            "page": page,
            "nbPages": nb.div_ceil(per_page),
            "hitsPerPage": per_page,
            "processingTimeMS": 1,
            "index": index,
        }),
    )
}

async fn delete_by_query(
    State(sim): State<VoiceSim>,
    Path(index): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "Invalid JSON");
    };
    if let Some(refused) = gate(
        &sim,
        "POST",
        &format!("/1/indexes/{index}/deleteByQuery"),
        &headers,
        &body,
    ) {
        return refused;
    }
    let filters = match parse_filters(
        body.get("filters")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    ) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => return error(400, "deleteByQuery needs filters"),
        Err(why) => return error(400, &why),
    };
    let mut store = sim.store();
    if let Some((settings, records)) = store.algolia.get_mut(&index) {
        if let Some((attr, _)) = filters.iter().find(|(a, _)| !facetable(settings, a)) {
            return error(
                400,
                &format!("Attribute {attr} is not specified in attributesForFaceting settings"),
            );
        }
        records.retain(|_, r| {
            !filters
                .iter()
                .all(|(a, v)| r.get(a).map(text_of).as_deref() == Some(v.as_str()))
        });
    }
    reply(
        200,
        json!({"taskID": task(), "updatedAt": crate::now_iso()}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_attribute_colon_value_and_nothing_else() {
        assert_eq!(
            parse_filters("workspace_id:ws_1 AND status:completed"),
            Ok(vec![
                ("workspace_id".into(), "ws_1".into()),
                ("status".into(), "completed".into())
            ])
        );
        assert!(parse_filters("workspace_id = 1").is_err());
        assert!(parse_filters("NOT(a:b OR c:d)").is_err());
        assert_eq!(parse_filters(""), Ok(vec![]));
    }

    #[test]
    fn queries_match_word_beginnings_newest_first() {
        let settings = json!({"searchableAttributes": ["transcript"], "attributesForFaceting": ["filterOnly(workspace_id)"]});
        let mut records = BTreeMap::new();
        records.insert("a".into(), json!({"objectID": "a", "workspace_id": "w", "transcript": "Refunds please", "created_at_timestamp": 1}));
        records.insert("b".into(), json!({"objectID": "b", "workspace_id": "w", "transcript": "A refund now", "created_at_timestamp": 2}));
        records.insert("c".into(), json!({"objectID": "c", "workspace_id": "x", "transcript": "refund", "created_at_timestamp": 3}));
        let filters = vec![("workspace_id".to_owned(), "w".to_owned())];
        let ids: Vec<&str> = select(&settings, &records, &filters, "refund")
            .iter()
            .map(|r| r["objectID"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["b", "a"]);
        assert!(select(&settings, &records, &filters, "prefund").is_empty());
        assert!(facetable(&settings, "workspace_id"));
        assert!(!facetable(&settings, "status"));
    }
}
