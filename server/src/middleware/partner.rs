//! Resolves the request's partner from its Host header and puts it in the request's
//! extensions as `CurrentPartner`, where pages and server functions read it.

use app::state::AppState;
use app::tenancy::service::CurrentPartner;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let host = request_host(&request).unwrap_or("localhost").to_owned();
    match state
        .partners
        .resolve(&state.db, &host, &state.host_rules())
        .await
    {
        Ok(Some(partner)) => {
            request.extensions_mut().insert(CurrentPartner(partner));
            next.run(request).await
        }
        Ok(None) if state.host_rules().production => not_served(),
        Ok(None) => unavailable(
            "No platform partner exists yet. Run `server seed-demo` (local demo data) or `server init` (a real install).",
        ),
        Err(e) => {
            tracing::error!(error = %e, host = %host, "partner resolution failed");
            unavailable("The service is temporarily unavailable. Please try again shortly.")
        }
    }
}

/// The host the client asked for: the Host header, or the URI's authority (HTTP/2).
pub fn request_host(request: &Request) -> Option<&str> {
    request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
}

/// A host nobody serves: a plain 404 page, naming no partner.
fn not_served() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
         <body><h1>Not found</h1><p>This address is not served here.</p></body></html>",
    )
        .into_response()
}

fn unavailable(message: &'static str) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}
