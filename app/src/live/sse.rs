//! One open page's stream of news as server-sent events: a `retry` hint first, a comment
//! every 15 seconds to keep proxies open, the page's own news as events, `lagged` when the
//! page fell so far behind that news was lost (it refreshes once). The stream ends when its
//! person signs out or loses the permission it was opened with (checked again every
//! `Config::live_recheck`), and one person holds a bounded number of them (`guard`).

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::News;
use super::guard::{StreamPlace, Viewer};
use crate::access::context::WorkspaceCtx;
use crate::access::permission::WorkspacePermission;
use crate::state::AppState;

/// How a stream turns news into events.
pub struct Events<F> {
    /// The event for a piece of news, as `(name, data)`; `None` for news of no interest to
    /// this page.
    pub pick: F,
    /// Gathers news for this long after the first before sending one event for them all
    /// (a campaign at full speed changes many times a second; its page redraws once).
    /// `None` sends each piece as it comes.
    pub gather: Option<Duration>,
}

/// The response streaming `ctx`'s news to one page, or 429 when its person holds the most
/// streams already.
pub fn respond<F>(
    state: &AppState,
    ctx: &WorkspaceCtx,
    permission: WorkspacePermission,
    events: Events<F>,
) -> Response
where
    F: Fn(&News) -> Option<(&'static str, String)> + Send + Sync + 'static,
{
    let place = match StreamPlace::take(ctx.user_id()) {
        Ok(place) => place,
        Err(e) => {
            let mut response = (StatusCode::TOO_MANY_REQUESTS, e.to_string()).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            return response;
        }
    };
    let open = Open {
        state: state.clone(),
        viewer: Viewer::of(ctx, permission),
        workspace_id: ctx.id(),
        rx: state.live.subscribe(),
        ping: interval(Duration::from_secs(15)),
        recheck: interval(state.config.live_recheck),
        events,
        first: true,
        _place: place,
    };
    let stream = futures::stream::unfold(open, |mut open| async move {
        let frame = open.next_frame().await?;
        Some((Ok::<_, Infallible>(frame), open))
    });
    // Fused: a body may be polled again after it ended.
    let mut response = Body::from_stream(futures::StreamExt::fuse(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

fn interval(period: Duration) -> tokio::time::Interval {
    let mut interval = tokio::time::interval(period);
    interval.reset();
    interval
}

/// An open stream's state between frames.
struct Open<F> {
    state: AppState,
    viewer: Viewer,
    workspace_id: uuid::Uuid,
    rx: broadcast::Receiver<News>,
    ping: tokio::time::Interval,
    recheck: tokio::time::Interval,
    events: Events<F>,
    first: bool,
    /// Held while the stream is open; dropping it frees the person's place.
    _place: StreamPlace,
}

impl<F> Open<F>
where
    F: Fn(&News) -> Option<(&'static str, String)>,
{
    /// The next frame to send, or `None` when the stream ends.
    async fn next_frame(&mut self) -> Option<String> {
        if std::mem::take(&mut self.first) {
            return Some("retry: 3000\n\n".to_owned());
        }
        loop {
            tokio::select! {
                // Signed out, reset or removed since: the stream ends (and its place with
                // it); the page's reconnect is authorized afresh.
                _ = self.recheck.tick() => {
                    if !self.viewer.may_go_on(&self.state).await {
                        return None;
                    }
                }
                _ = self.ping.tick() => return Some(": ping\n\n".to_owned()),
                news = self.rx.recv() => match news {
                    Ok(news) => {
                        if let Some((name, data)) = self.pick(&news) {
                            if let Some(pause) = self.events.gather {
                                tokio::time::sleep(pause).await;
                                self.skip_waiting();
                            }
                            return Some(format!("event: {name}\ndata: {data}\n\n"));
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some("event: lagged\ndata: {}\n\n".to_owned());
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    }

    fn pick(&self, news: &News) -> Option<(&'static str, String)> {
        if news.workspace_id() != self.workspace_id {
            return None;
        }
        (self.events.pick)(news)
    }

    /// Drops the news that came while gathering: the event about to go covers it.
    fn skip_waiting(&mut self) {
        use broadcast::error::TryRecvError;
        while let Ok(_) | Err(TryRecvError::Lagged(_)) = self.rx.try_recv() {}
    }
}
