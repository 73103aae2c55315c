//! Toast notifications. One queue per page, shared by every island on it (islands hydrate
//! one by one and share no context), shown by the `Toaster` island at the end of the body.
//! A message can also be kept for the next page, for actions that end in a page load.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub message: String,
}

/// A handle on the page's toast queue; every island gets the same one from `use_toasts()`.
#[derive(Debug, Clone, Copy)]
pub struct Toasts;

/// The browser key under which a message waits for the next page.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const NEXT_PAGE_KEY: &str = "g365_toast";

thread_local! {
    // The browser runs one thread, so this is the page's one queue. The server never pushes
    // (pushes come from event handlers), so its copy stays empty.
    static QUEUE: (ArcRwSignal<Vec<Toast>>, std::cell::Cell<u64>) =
        (ArcRwSignal::new(Vec::new()), std::cell::Cell::new(0));
}

fn queue() -> ArcRwSignal<Vec<Toast>> {
    QUEUE.with(|(items, _)| items.clone())
}

impl Toasts {
    /// Shows a message; it dismisses itself after five seconds.
    pub fn push(&self, kind: ToastKind, message: impl Into<String>) {
        let id = QUEUE.with(|(_, next)| {
            let id = next.get();
            next.set(id + 1);
            id
        });
        let items = queue();
        items.update(|items| {
            items.push(Toast {
                id,
                kind,
                message: message.into(),
            });
        });
        set_timeout(
            move || items.update(|items| items.retain(|t| t.id != id)),
            std::time::Duration::from_secs(5),
        );
    }

    /// Shows a success message on the next page this tab loads (after a redirect or reload).
    pub fn push_on_next_page(&self, message: impl Into<String>) {
        #[cfg(feature = "hydrate")]
        if let Ok(Some(storage)) = window().session_storage() {
            let _ = storage.set_item(NEXT_PAGE_KEY, &message.into());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = message.into();
    }

    pub fn dismiss(&self, id: u64) {
        queue().update(|items| items.retain(|t| t.id != id));
    }
}

pub fn use_toasts() -> Toasts {
    Toasts
}

/// The announced region that shows the queue. The shell renders it last in `<body>`, so when
/// it hydrates every island before it already has: it then marks the body `data-hydrated`.
#[island]
pub fn Toaster() -> impl IntoView {
    let shown = queue();
    #[cfg(feature = "hydrate")]
    {
        if let Ok(Some(storage)) = window().session_storage()
            && let Ok(Some(message)) = storage.get_item(NEXT_PAGE_KEY)
        {
            let _ = storage.remove_item(NEXT_PAGE_KEY);
            Toasts.push(ToastKind::Success, message);
        }
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }
    view! {
        <div
            role="region"
            aria-live="polite"
            aria-label="Notifications"
            class="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
        >
            <For each=move || shown.get() key=|t| t.id let:toast>
                <div
                    role=if toast.kind == ToastKind::Error { "alert" } else { "status" }
                    class=format!(
                        "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border bg-surface px-4 py-3 text-sm shadow-lg {}",
                        match toast.kind {
                            ToastKind::Success => "border-success/40",
                            ToastKind::Error => "border-danger/40",
                            ToastKind::Info => "border-line",
                        },
                    )
                >
                    <p class="flex-1 text-fg">{toast.message.clone()}</p>
                    <button
                        type="button"
                        aria-label="Dismiss notification"
                        class="rounded p-0.5 text-muted hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                        on:click=move |_| Toasts.dismiss(toast.id)
                    >
                        <super::icon::Icon name=super::icon::IconName::Close/>
                    </button>
                </div>
            </For>
        </div>
    }
}
