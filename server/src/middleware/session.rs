//! Reads the session cookie and puts the signed-in person (`CurrentSession`) and who is
//! asking (`RequestMeta`: address, user agent) in the request's extensions, with an empty
//! `AccessMemo` for the access checks the request's server functions make.

use std::net::SocketAddr;

use app::access::memo::AccessMemo;
use app::audit::RequestMeta;
use app::auth::session;
use app::client_ip::{ProxyTrust, client_ip};
use app::state::AppState;
use app::tenancy::service::CurrentPartner;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let meta = request_meta(&request, &state.config.proxy);
    let token = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| session::token_from_cookie_header(h, state.config.https()))
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
    request.extensions_mut().insert(AccessMemo::default());
    next.run(request).await
}

/// Who is asking: the address `client_ip` believes (only a real address is ever stored)
/// and the user agent.
fn request_meta(request: &Request, proxy: &ProxyTrust) -> RequestMeta {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|h| h.to_str().ok());
    RequestMeta {
        ip: client_ip(peer, forwarded, proxy).map(|ip| ip.to_string()),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|h| h.to_str().ok())
            .map(|ua| ua.chars().take(500).collect()),
    }
}
