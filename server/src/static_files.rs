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
use tower::{Layer, ServiceExt};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The build output under `/pkg`. Rebuilt in place without hashed names, so browsers must
/// revalidate (an unchanged file answers 304).
pub fn pkg_service(
    site_root: &str,
    pkg_dir: &str,
) -> tower_http::set_header::SetResponseHeader<ServeDir, HeaderValue> {
    let dir = ServeDir::new(std::path::Path::new(site_root).join(pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
        .layer(dir)
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
                // Rebuilt in place without hashed names: let browsers revalidate.
                response.headers_mut().insert(
                    header::CACHE_CONTROL,
                    header::HeaderValue::from_static("no-cache"),
                );
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
