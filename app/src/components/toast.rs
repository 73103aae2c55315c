//! Toast notifications: a provider that owns the queue, an announced region that shows it,
//! and `use_toasts()` to add one from anywhere below the provider.

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

/// The toast queue, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Shows a message; it dismisses itself after five seconds.
    pub fn push(&self, kind: ToastKind, message: impl Into<String>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                kind,
                message: message.into(),
            });
        });
        let items = self.items;
        set_timeout(
            move || {
                items.try_update(|items| items.retain(|t| t.id != id));
            },
            std::time::Duration::from_secs(5),
        );
    }

    pub fn dismiss(&self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastProvider(children: Children) -> impl IntoView {
    let toasts = Toasts {
        items: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    };
    provide_context(toasts);
    view! {
        {children()}
        <div
            role="region"
            aria-live="polite"
            aria-label="Notifications"
            class="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
        >
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
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
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        <super::icon::Icon name=super::icon::IconName::Close/>
                    </button>
                </div>
            </For>
        </div>
    }
}
