//! A data table with a caption for screen readers and an empty state.

use leptos::prelude::*;

/// A table; `children` are the `<tr>` rows. When `empty` is true the empty state is shown
/// instead of the body.
#[component]
pub fn Table(
    /// Read by screen readers; describes what the table lists.
    #[prop(into)]
    caption: String,
    headers: Vec<&'static str>,
    #[prop(optional, into)] empty: Signal<bool>,
    #[prop(optional, into)] empty_title: Option<String>,
    #[prop(optional, into)] empty_message: Option<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let columns = headers.len();
    let empty_title = empty_title.unwrap_or_else(|| "Nothing here yet".into());
    // A table wider than the screen scrolls: its region takes the keyboard's focus (and
    // its caption as its name), so it can be scrolled without a mouse.
    let region = caption.clone();
    view! {
        <div
            class="overflow-x-auto rounded-xl border border-line bg-surface focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
            tabindex="0"
            role="region"
            aria-label=region
        >
            <table class="min-w-full divide-y divide-line text-sm">
                <caption class="sr-only">{caption}</caption>
                <thead class="bg-surface-2">
                    <tr>
                        {headers
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <th
                                        scope="col"
                                        class="px-4 py-3 text-left text-xs font-semibold uppercase tracking-wide text-muted"
                                    >
                                        {h}
                                    </th>
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody class="divide-y divide-line">
                    <Show
                        when=move || !empty.get()
                        fallback={
                            let (title, message) = (empty_title.clone(), empty_message.clone());
                            move || {
                                view! {
                                    <tr>
                                        <td colspan=columns class="px-4 py-10">
                                            <EmptyState title=title.clone() message=message.clone() />
                                        </td>
                                    </tr>
                                }
                            }
                        }
                    >
                        {children()}
                    </Show>
                </tbody>
            </table>
        </div>
    }
}

/// What a list shows when it has nothing in it, with an optional action.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(optional, into)] message: MaybeProp<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center gap-2 text-center">
            <p class="font-medium text-fg">{title}</p>
            {move || {
                message.get().map(|m| view! { <p class="max-w-sm text-sm text-muted">{m}</p> })
            }}
            {children.map(|c| view! { <div class="mt-2">{c()}</div> })}
        </div>
    }
}
