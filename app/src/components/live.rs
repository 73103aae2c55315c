//! A page that follows news as it happens: a small island that listens to a server-sent
//! event stream while the page is open and, on each piece of news, renders the named
//! regions again from the server (`render_again`), so filters and the address stay. It
//! shows whether the page is live.

use leptos::prelude::*;

use super::render_again::render_again;

/// "Live" while the stream at `stream` is open; each of its `events` (and `lagged`, sent
/// when news was lost) renders the elements with the ids in `regions` again.
#[island(lazy)]
pub fn LiveIndicator(stream: String, events: Vec<String>, regions: Vec<String>) -> impl IntoView {
    let connected = RwSignal::new(false);
    Effect::new(move |_| {
        let regions = regions.clone();
        listen(&stream, &events, connected, move || {
            render_again(regions.clone())
        })
    });
    view! {
        <span
            class="inline-flex items-center gap-1.5 text-xs text-muted"
            data-testid="live-indicator"
            data-connected=move || connected.get().to_string()
        >
            <span class=move || {
                format!(
                    "h-2 w-2 rounded-full {}",
                    if connected.get() { "bg-success" } else { "bg-muted/40" },
                )
            }></span>
            {move || if connected.get() { "Live" } else { "Not live" }}
        </span>
    }
}

/// Listens to `stream` while the page is open and calls `on_news` for each of `events`;
/// `connected` tells the page whether it is live.
#[cfg(feature = "hydrate")]
fn listen(
    stream: &str,
    events: &[String],
    connected: RwSignal<bool>,
    on_news: impl Fn() + 'static,
) {
    use wasm_bindgen::prelude::*;
    let Ok(source) = web_sys::EventSource::new(stream) else {
        return;
    };
    // Past cleanup no listener may touch the page's signals (they are gone, and reading one
    // would panic), whatever the browser still delivers.
    let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let on_news = std::rc::Rc::new(on_news);
    for event in events.iter().map(String::as_str).chain(["lagged"]) {
        let on_news = on_news.clone();
        let alive = alive.clone();
        let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| {
            if alive.load(std::sync::atomic::Ordering::Relaxed) {
                on_news();
            }
        });
        let _ = source.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        listener.forget();
    }
    let open = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        connected.try_set(true);
    });
    source.set_onopen(Some(open.as_ref().unchecked_ref()));
    open.forget();
    let lost = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        connected.try_set(false);
    });
    source.set_onerror(Some(lost.as_ref().unchecked_ref()));
    lost.forget();
    let source = StoredValue::new_local(source);
    on_cleanup(move || {
        alive.store(false, std::sync::atomic::Ordering::Relaxed);
        source.try_with_value(|s| s.close());
        connected.try_set(false);
    });
}

#[cfg(not(feature = "hydrate"))]
fn listen(_: &str, _: &[String], _: RwSignal<bool>, _: impl Fn() + 'static) {}
