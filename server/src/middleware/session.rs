//! Reads the session cookie and puts the signed-in person (`CurrentSession`) and who is
//! asking (`RequestMeta`: address, user agent) in the request's extensions.

use std::net::SocketAddr;

use app::auth::session::{self, RequestMeta};
use app::state::AppState;
use app::tenancy::service::CurrentPartner;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let meta = request_meta(&request, state.config.trust_proxy);
    let token = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(session::token_from_cookie_header)
        .map(str::to_owned);
    let partner_id = request.extensions().get::<CurrentPartner>().map(|p| p.0.id);
    if let (Some(token), Some(partner_id)) = (token, partner_id) {
        match session::lookup(&state.db, &token, partner_id, Utc::now()).await {
            Ok(Some(current)) => {
                request.extensions_mut().insert(current);
            }
            Ok(None) => {}
            // A session store failure reads as signed out; pages that need a user say so.
            Err(e) => tracing::error!(error = %e, "session lookup failed"),
        }
    }
    request.extensions_mut().insert(meta);
    next.run(request).await
}

fn request_meta(request: &Request, trust_proxy: bool) -> RequestMeta {
    let forwarded = trust_proxy
        .then(|| {
            request
                .headers()
                .get("x-forwarded-for")
                .and_then(|h| h.to_str().ok())
                .and_then(|v| v.split(',').next())
                // Only a real address: anything else is ignored, never stored.
                .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok())
                .map(|ip| ip.to_string())
        })
        .flatten();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    RequestMeta {
        ip: forwarded.or(peer),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|h| h.to_str().ok())
            .map(|ua| ua.chars().take(500).collect()),
    }
}
