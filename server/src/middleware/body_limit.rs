//! Request body limits: 2 MiB everywhere, 16 MiB for the few endpoints that take a file
//! (a 10 MB upload arrives as about 13.4 MB of base64; a do-not-call list), 64 MiB for a campaign's list of
//! recipients. A declared length over the limit is refused at once with 413; a body that
//! grows past it while being read fails then.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const DEFAULT_LIMIT: usize = 2 * 1024 * 1024;
pub const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;
/// A campaign's list of recipients (up to 100,000 rows).
pub const LIST_LIMIT: usize = app::campaigns::upload::IMPORT_LIMIT_MB * 1024 * 1024;

/// Endpoints that receive files, or a document's text (up to a million characters, which
/// a form encodes in up to 12 MB).
const UPLOAD_PATHS: &[&str] = &[
    "/api/knowledge/extract",
    "/api/knowledge/save",
    "/org/do-not-call/import",
    // Brand images are taken up to 2 MB; a larger one gets its own clear refusal.
    "/org/brand/logo",
    "/org/brand/favicon",
];

/// `/w/{slug}/knowledge/upload`, `/w/{slug}/do-not-call/import`.
fn is_upload(path: &str) -> bool {
    UPLOAD_PATHS.contains(&path)
        || path
            .strip_prefix("/w/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(_, rest)| rest == "knowledge/upload" || rest == "do-not-call/import")
}

/// `/w/{slug}/campaigns/{id}/import`.
fn is_list(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts.as_slice(), ["", "w", _, "campaigns", _, "import"])
}

pub async fn limit(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let max = if is_list(path) {
        LIST_LIMIT
    } else if is_upload(path) {
        UPLOAD_LIMIT
    } else {
        DEFAULT_LIMIT
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > max) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(serde_json::json!({
                "kind": "bad_request",
                "detail": format!("The request is larger than {} MB.", max / (1024 * 1024)),
            })),
        )
            .into_response();
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, max));
    next.run(Request::from_parts(parts, body)).await
}
