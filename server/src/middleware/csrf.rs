//! Cross-site request refusal: a request that can change something (any method but GET,
//! HEAD, OPTIONS) must say it comes from this very origin, through `Origin` or, failing
//! that, `Referer`. SameSite=Lax cookies already keep sessions off cross-site posts; this
//! also covers same-site sibling hosts (`evil.localhost` posting to `acme.localhost`).
//! Provider webhooks are exempt: they carry signatures instead.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths that authenticate by signature, not by cookie.
const EXEMPT_PREFIXES: &[&str] = &["/api/webhooks/"];

pub async fn check(request: Request, next: Next) -> Response {
    if is_safe(request.method())
        || EXEMPT_PREFIXES
            .iter()
            .any(|p| request.uri().path().starts_with(p))
    {
        return next.run(request).await;
    }
    if same_origin(request.headers()) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"kind":"forbidden","detail":"This request did not come from this site, so it was refused. Reload the page and try again."}"#,
        )
            .into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether `Origin` (or else `Referer`) names the host the request was sent to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|h| h.to_str().ok())
        .filter(|o| *o != "null")
        .or_else(|| headers.get(header::REFERER).and_then(|h| h.to_str().ok()));
    let Some(claimed) = claimed else {
        return false;
    };
    let Some(rest) = claimed
        .strip_prefix("https://")
        .or_else(|| claimed.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn the_same_host_passes_by_origin_or_referer() {
        assert!(same_origin(&headers(&[
            ("host", "acme.localhost:3000"),
            ("origin", "http://acme.localhost:3000")
        ])));
        assert!(same_origin(&headers(&[
            ("host", "acme.localhost:3000"),
            ("referer", "http://acme.localhost:3000/login?x=1")
        ])));
    }

    #[test]
    fn other_hosts_and_silence_are_refused() {
        assert!(!same_origin(&headers(&[
            ("host", "acme.localhost:3000"),
            ("origin", "http://evil.localhost:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "acme.localhost:3000"),
            ("origin", "http://acme.localhost:3000.evil.example")
        ])));
        assert!(!same_origin(&headers(&[("host", "acme.localhost:3000")])));
        assert!(!same_origin(&headers(&[
            ("host", "acme.localhost:3000"),
            ("origin", "null")
        ])));
    }
}
