//! Request body limits: 2 MiB everywhere, 16 MiB for the few endpoints that take a file
//! (a 10 MB upload arrives as about 13.4 MB of base64). A declared length over the limit
//! is refused at once with 413; a body that grows past it while being read fails then.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const DEFAULT_LIMIT: usize = 2 * 1024 * 1024;
pub const UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

/// Endpoints that receive files.
const UPLOAD_PATHS: &[&str] = &["/api/knowledge/extract"];

pub async fn limit(request: Request, next: Next) -> Response {
    let max = if UPLOAD_PATHS.contains(&request.uri().path()) {
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
