//! The bench's page figures: time to first byte of server-rendered pages through the real
//! router, signed out and signed in, and what one database round trip costs beside them.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use app::state::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use sea_orm::ConnectionTrait;
use tower::ServiceExt;

use crate::bench::median_and_p95;

/// Calls in the workspace while pages are timed.
pub const PAGE_CALLS: u64 = 10_000;

/// Median and 95th percentile of the time from sending a page request to the router until
/// the first byte of its body, for the sign-in page (no session) and, signed in as the
/// demo owner, the workspace dashboard and the calls page.
pub async fn page_ttfb(
    state: &AppState,
    runs: usize,
) -> anyhow::Result<Vec<(String, Duration, Duration)>> {
    use http_body_util::BodyExt;

    let router = crate::router::router(state.clone());
    let host = state.config.platform_domain.clone();
    let login = Request::post("/api/auth/login")
        .header("host", &host)
        .header("origin", format!("http://{host}"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string([
            ("email", "owner@genius365.test"),
            ("password", crate::seed::DEMO_PASSWORD),
        ])?))?;
    let response = router.clone().oneshot(login).await?;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .find(|pair| pair.starts_with("g365_session=") && *pair != "g365_session=")
        .map(str::to_owned)
        .with_context(|| format!("the demo owner signs in ({})", response.status()))?;

    let pages = [
        ("sign-in page", "/login", false),
        ("workspace dashboard, signed in", "/w/demo", true),
        ("calls page, signed in", "/w/demo/calls", true),
    ];
    let mut figures = Vec::new();
    for (label, path, signed_in) in pages {
        let mut times = Vec::with_capacity(runs);
        for run in 0..runs + 10 {
            let mut request = Request::get(path).header("host", &host);
            if signed_in {
                request = request.header("cookie", &cookie);
            }
            let request = request.body(Body::empty())?;
            let started = Instant::now();
            let response = router.clone().oneshot(request).await?;
            let status = response.status();
            let mut body = response.into_body();
            let first = body.frame().await;
            let elapsed = started.elapsed();
            if status != StatusCode::OK || !matches!(first, Some(Ok(_))) {
                bail!("{path} answered {status}");
            }
            while body.frame().await.is_some() {}
            // The first runs warm the caches and the database's pages.
            if run >= 10 {
                times.push(elapsed);
            }
        }
        let (p50, p95) = median_and_p95(times);
        figures.push((format!("{label} ({path})"), p50, p95));
    }
    Ok(figures)
}

/// Median and 95th percentile of one trivial query through the pool: what each query a
/// page makes costs before it does any work.
pub async fn round_trip(state: &AppState, runs: usize) -> anyhow::Result<(Duration, Duration)> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        state.db.execute_unprepared("SELECT 1").await?;
        times.push(started.elapsed());
    }
    Ok(median_and_p95(times))
}
