//! Data an island was given by the server, read again in the browser when it changes.

use std::future::Future;

use leptos::prelude::*;

use crate::error::AppError;

/// Starts as `initial` (what the server rendered the page with) and is fetched again with
/// `fetch` each time `source` changes afterwards, typically an action's version. A failed
/// refetch keeps the last value: the action that caused it shows its own error. An answer
/// equal to what is shown changes nothing, so a refused action does not render its form
/// again under the person retyping it.
pub fn refreshed<S, T, Fut>(
    initial: T,
    source: impl Fn() -> S + Send + Sync + 'static,
    fetch: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> RwSignal<T>
where
    S: Send + Sync + 'static,
    T: PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let value = RwSignal::new(initial);
    Effect::new(move |ran: Option<()>| {
        let key = source();
        if ran.is_some() {
            let fetched = fetch(key);
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = fetched.await
                    && value.with_untracked(|shown| *shown != fresh)
                {
                    value.set(fresh);
                }
            });
        }
    });
    value
}
