//! Every HTTP route and the middleware around them, on one screen.
//!
//! Provider webhooks and health are answered before tenancy.
//! Request flow: request id → trace span → security headers → compression → (site only)
//! host → partner → white-label allow-list → body limit → same-origin check (non-GET) →
//! session →
//! Leptos page, server function, or static file.

use std::sync::OnceLock;
use std::time::Duration;

use app::state::AppState;
use axum::Router;
use axum::http::{HeaderName, Request};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::{health, middleware, static_files, webhooks};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    // Edges that are the same for every partner, answered before tenancy is resolved.
    let options = &state.leptos_options;
    let platform = platform_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        })
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            static_files::pkg_service(
                &options.site_root,
                &options.site_pkg_dir,
                options.hash_files,
            ),
        );

    // Pages, server functions and static files: all need the request's partner.
    let routes = route_list();
    let site = site_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        })
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(static_files::serve_or_render)
        // The agent wizard posts to its own page; needs the session, so inside it.
        .layer(from_fn_with_state(
            state.clone(),
            app::agents::wizard_post::handle,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::session::resolve,
        ))
        .layer(from_fn(middleware::csrf::check))
        .layer(from_fn(middleware::body_limit::limit))
        // Our own limit above replaces axum's fixed 2 MiB one.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(from_fn(middleware::white_label::enforce))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::partner::resolve,
        ));

    platform
        .merge(site)
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(
            state.clone(),
            middleware::security_headers::apply,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost: a client's own request id is kept only when it is a short token of
        // safe characters; anything else is dropped and replaced by a fresh one.
        .layer(from_fn(middleware::request_id::sanitize))
        .with_state(state)
}

type Routes = Vec<(&'static str, axum::routing::MethodRouter<AppState>)>;

/// HTTP edges answered before tenancy: the same for every partner.
fn platform_routes() -> Routes {
    vec![
        ("/api/health", get(health::health)),
        (
            "/api/webhooks/w/{workspace_id}/{provider}",
            post(webhooks::workspace),
        ),
        ("/api/webhooks/{provider}", post(webhooks::platform)),
    ]
}

/// Plain HTTP routes of a partner's site (downloads, event streams), beside the pages and
/// server functions. Each authorizes itself from the request (`workspace_for_request`).
fn site_routes() -> Routes {
    vec![
        ("/w/{slug}/calls.csv", get(app::calls::export::handler)),
        ("/w/{slug}/live", get(app::calls::live::handler)),
        (
            "/w/{slug}/analytics.csv",
            get(app::analytics::export::handler),
        ),
        (
            "/w/{slug}/calls/{id}/recording.wav",
            get(app::calls::recording::handler),
        ),
        (
            "/w/{slug}/knowledge/upload",
            post(app::knowledge::upload::handler),
        ),
        (
            "/w/{slug}/campaigns/{id}/import",
            post(app::campaigns::upload::handler),
        ),
        (
            "/w/{slug}/campaigns/{id}/live",
            get(app::campaigns::live::handler),
        ),
        (
            "/w/{slug}/campaigns/{id}/recipients.csv",
            get(app::campaigns::export::recipients),
        ),
        (
            "/w/{slug}/campaigns/{id}/skipped.csv",
            get(app::campaigns::export::skipped),
        ),
        (
            "/w/{slug}/campaigns/{id}/template.csv",
            get(app::campaigns::export::template),
        ),
        (
            "/w/{slug}/campaigns/{id}/rejects.csv",
            get(app::campaigns::export::rejects),
        ),
        (
            "/w/{slug}/do-not-call.csv",
            get(app::campaigns::export::do_not_call),
        ),
        (
            "/w/{slug}/do-not-call/import",
            post(app::campaigns::api::dnc_files::workspace_import),
        ),
        (
            "/org/do-not-call/import",
            post(app::campaigns::api::dnc_files::org_import),
        ),
        (
            "/org/do-not-call.csv",
            get(app::campaigns::api::dnc_files::org_export),
        ),
        ("/org/audit.csv", get(app::audit::export::organisation)),
        ("/org/brand/{kind}", post(app::org::upload::upload)),
        ("/brand/{file}", get(app::org::upload::serve)),
        (
            "/super-admin/audit.csv",
            get(app::audit::export::everything),
        ),
    ]
}

/// Every plain HTTP route (neither a page nor a server function), for the isolation
/// matrix, which fails when one is missing from its table.
pub fn plain_route_paths() -> Vec<&'static str> {
    platform_routes()
        .into_iter()
        .chain(site_routes())
        .map(|(path, _)| path)
        .collect()
}

/// Every page path the app serves (`/w/:slug/members` style), for tests that must cover
/// them all.
pub fn route_paths() -> Vec<String> {
    route_list().iter().map(|r| r.path().to_owned()).collect()
}

/// The app's routes, generated once per process. Generation runs the app with resource
/// loading suppressed process-wide, and a resource first polled meanwhile on another
/// thread never resolves (leptos-rs/leptos#4773); generating once, before any router
/// exists to render with, rules that out (tests build many routers in one process).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES
        .get_or_init(|| {
            generate_route_list(app::App)
                .into_iter()
                .map(|route| {
                    // The agent wizard also takes its own form's posts (`wizard_post`).
                    if app::agents::wizard_post::PATHS.contains(&route.path()) {
                        AxumRouteListing::new(
                            route.path().to_owned(),
                            route.mode().clone(),
                            [leptos_router::Method::Get, leptos_router::Method::Post],
                            Vec::new(),
                        )
                    } else {
                        route
                    }
                })
                .collect()
        })
        .clone()
}
