//! Toast notifications. The announced region is rendered by the server at the end of every
//! page (no island: a page that shows no toast loads no code for them); islands add toasts
//! to it directly, and a message for the next page (after a plain form's redirect) travels
//! in a cookie the server shows once and clears, set by `flash` in a server function.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

/// The cookie carrying a message to the next page (`flash`).
pub const FLASH_COOKIE: &str = "g365_flash";

/// The id of the region every toast is shown in.
const REGION: &str = "toasts";

const TOAST_CLASS: &str = "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border bg-surface px-4 py-3 text-sm shadow-lg";

/// A handle on the page's toasts; every island gets the same one from `use_toasts()`.
#[derive(Debug, Clone, Copy)]
pub struct Toasts;

impl Toasts {
    /// Shows a message; it dismisses itself after five seconds.
    pub fn push(&self, kind: ToastKind, message: impl Into<String>) {
        #[cfg(feature = "hydrate")]
        show(kind, &message.into());
        #[cfg(not(feature = "hydrate"))]
        let _ = (kind, message.into());
    }
}

/// Inside a server function: the next page this browser loads (the one a plain form's
/// redirect leads to) shows `message` as a success toast.
#[cfg(feature = "ssr")]
pub fn flash(message: &str) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(cookie) = http::HeaderValue::from_str(&flash_cookie(message))
    {
        response.append_header(http::header::SET_COOKIE, cookie);
    }
}

/// The `Set-Cookie` value of `flash`, for a plain route's own response.
#[cfg(feature = "ssr")]
pub fn flash_cookie(message: &str) -> String {
    let value = crate::text::percent_encode(message, b"");
    format!("{FLASH_COOKIE}={value}; Path=/; Max-Age=60; SameSite=Lax")
}

/// A plain route's answer sending the browser on to `location` (303: the next request is
/// a GET), with a cookie to set (a flash) if given.
#[cfg(feature = "ssr")]
pub fn see_other(location: &str, cookie: Option<&str>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (
        http::StatusCode::SEE_OTHER,
        [(http::header::LOCATION, location.to_owned())],
    )
        .into_response();
    if let Some(value) = cookie.and_then(|c| http::HeaderValue::from_str(c).ok()) {
        response
            .headers_mut()
            .append(http::header::SET_COOKIE, value);
    }
    response
}

pub fn use_toasts() -> Toasts {
    Toasts
}

fn kind_class(kind: ToastKind) -> &'static str {
    match kind {
        ToastKind::Success => "border-success/40",
        ToastKind::Error => "border-danger/40",
        ToastKind::Info => "border-line",
    }
}

/// Adds one toast to the region, with its dismiss button, and takes it away after 5 s.
#[cfg(feature = "hydrate")]
fn show(kind: ToastKind, message: &str) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let doc = document();
    let (Some(region), Ok(toast), Ok(text), Ok(dismiss)) = (
        doc.get_element_by_id(REGION),
        doc.create_element("div"),
        doc.create_element("p"),
        doc.create_element("button"),
    ) else {
        return;
    };
    let role = if kind == ToastKind::Error {
        "alert"
    } else {
        "status"
    };
    let _ = toast.set_attribute("role", role);
    let _ = toast.set_attribute("class", &format!("{TOAST_CLASS} {}", kind_class(kind)));
    let _ = text.set_attribute("class", "flex-1 text-fg");
    text.set_text_content(Some(message));
    let _ = dismiss.set_attribute("type", "button");
    let _ = dismiss.set_attribute("aria-label", "Dismiss notification");
    let _ = dismiss.set_attribute(
        "class",
        "rounded p-0.5 text-muted hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand",
    );
    dismiss.set_text_content(Some("×"));
    let _ = toast.append_child(&text);
    let _ = toast.append_child(&dismiss);
    let _ = region.append_child(&toast);
    let gone = toast.clone();
    let remove = Closure::<dyn Fn()>::new(move || gone.remove());
    let _ = dismiss.add_event_listener_with_callback("click", remove.as_ref().unchecked_ref());
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
        remove.as_ref().unchecked_ref(),
        5_000,
    );
    remove.forget();
}

/// The announced region at the end of `<body>`, with the message the previous page left
/// (`flash`), which fades away by itself after five seconds.
#[component]
pub fn Toaster(flash: Option<String>) -> impl IntoView {
    view! {
        <div
            id=REGION
            role="region"
            aria-live="polite"
            aria-label="Notifications"
            class="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
        >
            {flash
                .map(|message| {
                    view! {
                        <div
                            role="status"
                            data-testid="flash"
                            class=format!(
                                "{TOAST_CLASS} {} animate-flash",
                                kind_class(ToastKind::Success),
                            )
                        >
                            <p class="flex-1 text-fg">{message}</p>
                        </div>
                    }
                })}
        </div>
    }
}
