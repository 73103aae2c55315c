//! What the plain upload routes share: whether a request is a page's multipart form (and
//! so wants a page back), and the file it carries, whole.

use axum::body::Body;
use axum::http::{HeaderMap, header, request::Parts};

use crate::error::AppError;

/// Whether the request's body is a multipart form.
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"))
}

/// Whether the request comes from a page (which wants a page back, not JSON).
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The file: the whole body, or a multipart form's `file` field (bounded by the route's
/// body limit). `missing` says what to choose when the form has no file.
pub async fn file_bytes(
    parts: Parts,
    body: Body,
    missing: &'static str,
) -> Result<axum::body::Bytes, AppError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        AppError::invalid("file", format!("The file could not be read ({e})."))
    };
    let multipart = is_multipart(&parts.headers);
    let request = axum::extract::Request::from_parts(parts, body);
    if !multipart {
        return axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .map_err(|e| unreadable(&e));
    }
    use axum::extract::FromRequest;
    let mut form = axum::extract::Multipart::from_request(request, &())
        .await
        .map_err(|e| unreadable(&e.body_text()))?;
    while let Some(field) = form.next_field().await.map_err(|e| unreadable(&e))? {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|e| unreadable(&e))?;
            if bytes.is_empty() {
                return Err(AppError::invalid("file", missing));
            }
            return Ok(bytes);
        }
    }
    Err(AppError::invalid("file", missing))
}
