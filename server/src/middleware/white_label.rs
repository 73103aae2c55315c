//! What a white-label (non-platform) host serves: sign-in and account pages, invitations,
//! the workspace app (`/w/…`), the organisation area (`/org/…`) and their server
//! functions. `/` goes to `/login`; marketing and super-admin pages answer 404 there.
//! The platform host serves everything.

use app::tenancy::service::CurrentPartner;
use axum::extract::Request;
use axum::http::{StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Pages a white-label host serves at exactly these paths.
const PAGES: &[&str] = &[
    "/login",
    "/signup",
    "/forgot-password",
    "/reset-password",
    "/accept-invitation",
    "/select-workspace",
    "/workspace-onboarding",
    "/account",
    "/favicon.ico",
    "/favicon.svg",
    "/robots.txt",
];

/// Path prefixes a white-label host serves (`/js/` holds the browser call module,
/// `/brand/` the organisation's own logo and favicon).
const PREFIXES: &[&str] = &["/w/", "/org/", "/org", "/api/", "/js/", "/brand/"];

/// Server functions and APIs that belong to the platform alone.
const PLATFORM_API_PREFIXES: &[&str] = &["/api/super-admin/", "/api/platform/"];

/// The path Leptos renders as its 404 page.
const NOT_FOUND_PATH: &str = "/__not-found";

/// Whether a white-label host serves `path`.
pub fn allowed(path: &str) -> bool {
    if PLATFORM_API_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return false;
    }
    PAGES.contains(&path)
        || PREFIXES
            .iter()
            .any(|p| path.starts_with(p) && (p.ends_with('/') || path == *p))
}

pub async fn enforce(mut request: Request, next: Next) -> Response {
    let is_platform = request
        .extensions()
        .get::<CurrentPartner>()
        .is_none_or(|p| p.0.is_platform_partner);
    let path = request.uri().path();
    if is_platform || allowed(path) {
        return next.run(request).await;
    }
    if path == "/" {
        return Redirect::to("/login").into_response();
    }
    if path.starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"kind":"not_found","detail":"Not found."}"#,
        )
            .into_response();
    }
    // Render the ordinary 404 page, branded for this host.
    *request.uri_mut() = Uri::from_static(NOT_FOUND_PATH);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn the_allow_list_covers_auth_app_and_org_but_not_the_platform() {
        for ok in [
            "/login",
            "/accept-invitation",
            "/w/acme-dental",
            "/w/acme-dental/members",
            "/org/team",
            "/api/auth/login",
            "/api/tenancy/brand",
            "/js/web-calls.js",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for refused in [
            "/",
            "/pricing",
            "/design-system",
            "/super-admin",
            "/super-admin/login",
            "/api/super-admin/outbox",
            "/login/../pricing",
            "/organisation",
        ] {
            assert!(!allowed(refused), "{refused}");
        }
    }
}
