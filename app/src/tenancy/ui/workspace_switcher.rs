//! The workspace switcher: the current workspace and every other one the viewer can open.
//! A `<details>` menu, so it works before hydration and without JavaScript.

use leptos::prelude::*;

use crate::access::model::WorkspaceAccess;
use crate::auth::api::my_workspaces;
use crate::error::AppError;

/// The viewer's workspaces, made by the shell before anything suspends.
#[derive(Clone, Copy)]
pub struct MyWorkspaces(pub Resource<Result<Vec<WorkspaceAccess>, AppError>>);

impl MyWorkspaces {
    pub fn load() -> Self {
        Self(Resource::new(|| (), |_| my_workspaces()))
    }
}
use crate::components::icon::{Icon, IconName};
use crate::components::spinner::Skeleton;

#[component]
pub fn WorkspaceSwitcher(
    #[prop(into)] current_slug: Signal<String>,
    #[prop(into)] current_name: String,
) -> impl IntoView {
    let workspaces = expect_context::<MyWorkspaces>().0;
    view! {
        <details class="group relative" data-testid="workspace-switcher">
            <summary class="flex cursor-pointer list-none items-center gap-2 rounded-lg border border-line bg-surface px-3 py-1.5 text-sm font-medium text-fg hover:bg-surface-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand">
                <span class="max-w-[12rem] truncate">{current_name}</span>
                <Icon
                    name=IconName::ChevronDown
                    class="h-4 w-4 text-muted transition-transform group-open:rotate-180"
                />
                <span class="sr-only">"Switch workspace"</span>
            </summary>
            <div class="absolute left-0 z-30 mt-2 w-64 rounded-lg border border-line bg-surface p-1 shadow-lg">
                <p class="px-3 py-2 text-xs font-semibold uppercase tracking-wide text-muted">
                    "Workspaces"
                </p>
                <Suspense fallback=|| {
                    view! {
                        <div class="space-y-2 p-3">
                            <Skeleton />
                            <Skeleton />
                        </div>
                    }
                }>
                    {move || Suspend::new(async move {
                        match workspaces.await {
                            Ok(list) => {
                                list.into_iter()
                                    .map(|w| {
                                        let slug = w.slug.clone();
                                        let current = Signal::derive(move || {
                                            current_slug.get() == slug
                                        });
                                        view! {
                                            <a
                                                href=format!("/w/{}", w.slug)
                                                aria-current=move || current.get().then_some("page")
                                                class="flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm text-fg hover:bg-surface-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                                            >
                                                <span class="truncate">{w.name}</span>
                                                <Show when=move || current.get()>
                                                    <Icon name=IconName::Check class="h-4 w-4 text-brand-ink" />
                                                </Show>
                                            </a>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p role="alert" class="px-3 py-2 text-sm text-danger">
                                        {e.to_string()}
                                    </p>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
                <a
                    href="/select-workspace"
                    class="mt-1 block border-t border-line px-3 py-2 text-sm text-brand-ink hover:bg-surface-2"
                >
                    "View all workspaces"
                </a>
            </div>
        </details>
    }
}
