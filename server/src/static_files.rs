//! Static files. `/pkg/*` (the wasm, js and css cargo-leptos builds) is served before
//! tenancy is resolved, since it is the same for every partner; files from `public/` go
//! through the site router, and a path that is no file renders the app, whose router
//! answers 404 with the branded not-found page. Precompressed `.br` / `.gz` files are
//! preferred when cargo-leptos wrote them (`--precompress`).

use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// How long a browser may keep a file whose name carries its content hash: a year, without
/// asking again. A new build has new names, so nothing stale is ever served.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Files rebuilt in place under a fixed name: the browser asks each time (an unchanged
/// file answers 304).
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The build output under `/pkg`: the wasm, js and css cargo-leptos builds. When the build
/// named them by content hash (`hashed`), a file whose name carries its hash is kept by
/// browsers for a year, so a second visit downloads nothing; everything else (wasm-bindgen's
/// snippets, unhashed builds) is revalidated. The entry module revalidates too: in a split
/// build cargo-leptos names it before it writes the chunk loader's name into it, so its
/// name alone does not prove its content. Only files found get a policy: a 404 is not cached.
pub fn pkg_service(site_root: &str, pkg_dir: &str, hashed: bool) -> axum::routing::MethodRouter {
    let dir = ServeDir::new(std::path::Path::new(site_root).join(pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    axum::routing::get(move |request: Request| async move {
        let policy = if hashed && is_immutable(request.uri().path()) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        let Ok(response) = dir.oneshot(request).await;
        let mut response = response.map(Body::new);
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            response.headers_mut().insert(header::CACHE_CONTROL, policy);
        }
        response
    })
}

/// `name.<hash>.ext` (cargo-leptos's 22-character content hash), other than the entry
/// module `genius365.<hash>.js` (the split loader `__wasm_split.<hash>.js` is immutable).
fn is_immutable(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    let carries_hash = parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let entry_module = name.ends_with(".js") && !name.starts_with("__wasm_split");
    carries_hash && !entry_module
}

pub async fn serve_or_render(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if !matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        return render_app(state, Request::from_parts(parts, body)).await;
    }
    let probe = Request::from_parts(parts.clone(), Body::empty());
    let files = ServeDir::new(state.leptos_options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    match files.oneshot(probe).await {
        Ok(response) if response.status() != StatusCode::NOT_FOUND => {
            let mut response = response.map(Body::new);
            if parts.uri.path().starts_with("/pkg/") {
                // Only reached when `/pkg` is not mounted ahead of the site; be safe.
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, REVALIDATE);
            }
            response
        }
        _ => render_app(state, Request::from_parts(parts, body)).await,
    }
}

async fn render_app(state: AppState, request: Request) -> Response {
    let options = state.leptos_options.clone();
    // The same rendering mode as every route (complete HTML, status set before sending).
    let handler = leptos_axum::render_app_async_with_context(
        move || leptos::prelude::provide_context(state.clone()),
        move || app::shell(options.clone()),
    );
    handler(request).await.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn cache_control(hashed: bool, path: &str) -> (StatusCode, Option<String>) {
        let site = tempfile::tempdir().expect("site");
        let pkg = site.path().join("pkg");
        std::fs::create_dir_all(pkg.join("snippets")).expect("pkg");
        for name in [
            "genius365.GUbB69bgyHNNnCAFBP5Cbg.wasm",
            "genius365.fJ-WqpgJhQDUaXmYIUNadg.js",
            "genius365.x93Sz3tQnlFDjzeHWJEiLg.css",
            "genius365.css",
            "snippets/inline0.js",
        ] {
            std::fs::write(pkg.join(name), b"x").expect("file");
        }
        let service = pkg_service(&site.path().to_string_lossy(), "pkg", hashed);
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = service.oneshot(request).await.expect("answer");
        let policy = response
            .headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().expect("ascii").to_owned());
        (response.status(), policy)
    }

    #[tokio::test]
    async fn hashed_files_are_immutable_and_the_rest_revalidates() {
        let year = Some(IMMUTABLE.to_str().expect("ascii").to_owned());
        let again = Some("no-cache".to_owned());
        for (hashed, path, expected) in [
            (true, "/genius365.GUbB69bgyHNNnCAFBP5Cbg.wasm", year.clone()),
            (true, "/genius365.x93Sz3tQnlFDjzeHWJEiLg.css", year),
            (true, "/genius365.fJ-WqpgJhQDUaXmYIUNadg.js", again.clone()),
            (true, "/snippets/inline0.js", again.clone()),
            (false, "/genius365.css", again.clone()),
            (false, "/genius365.GUbB69bgyHNNnCAFBP5Cbg.wasm", again),
        ] {
            assert_eq!(
                cache_control(hashed, path).await,
                (StatusCode::OK, expected),
                "{path}"
            );
        }
        assert_eq!(
            cache_control(true, "/genius365.AAAAAAAAAAAAAAAAAAAAAA.wasm").await,
            (StatusCode::NOT_FOUND, None),
            "a missing file is not cached"
        );
    }
}
