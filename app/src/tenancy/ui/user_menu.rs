//! The signed-in person's menu in the header: account, all workspaces, sign out.

use leptos::prelude::*;

use crate::auth::api::Logout;
use crate::components::icon::{Icon, IconName};

#[component]
pub fn UserMenu() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <details class="group relative" data-testid="user-menu">
            <summary class="flex h-9 cursor-pointer list-none items-center gap-1 rounded-lg px-2 text-sm text-muted hover:bg-surface-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand">
                <Icon name=IconName::Team class="h-5 w-5" />
                <span class="sr-only">"Your account"</span>
            </summary>
            <div class="absolute right-0 z-30 mt-2 w-48 rounded-lg border border-line bg-surface p-1 shadow-lg">
                <a href="/account" class="block rounded-md px-3 py-2 text-sm hover:bg-surface-2">
                    "Your account"
                </a>
                <a
                    href="/select-workspace"
                    class="block rounded-md px-3 py-2 text-sm hover:bg-surface-2"
                >
                    "Switch workspace"
                </a>
                <ActionForm action=logout>
                    <button
                        type="submit"
                        class="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-surface-2"
                        data-testid="sign-out"
                    >
                        "Sign out"
                    </button>
                </ActionForm>
            </div>
        </details>
    }
}
