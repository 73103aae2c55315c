//! The frame of every workspace page: sidebar, header, and the page in the middle.

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_params_map;

use super::credit_banner::CreditBanner;
use super::sidebar::SidebarNav;
use super::user_menu::UserMenu;
use super::workspace_switcher::WorkspaceSwitcher;
use crate::components::brand_mark::BrandMark;
use crate::components::icon::{Icon, IconName};
use crate::components::spinner::Skeleton;
use crate::components::theme::ThemeToggle;
use crate::error::AppError;
use crate::pages::error_page::{ErrorCard, error_fallback};
use crate::pages::not_found::NotFound;
use crate::pages::redirect::RedirectToLogin;
use crate::shell::use_brand;
use crate::tenancy::api::get_workspace_overview;
use crate::tenancy::model::PartnerRole;
use crate::tenancy::model::WorkspaceOverview;

/// The workspace being shown, for the pages inside the shell.
pub type WorkspaceResource = Resource<Result<WorkspaceOverview, AppError>>;

#[component]
pub fn WorkspaceShell() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    // Blocking, so an unknown slug can still answer 404 before the response starts.
    let workspace: WorkspaceResource =
        Resource::new_blocking(move || slug.get(), get_workspace_overview);
    provide_context(workspace);
    // Made before anything suspends, so the page renders in one pass.
    provide_context(super::workspace_switcher::MyWorkspaces::load());
    // The page, made once and started now, so its data is read while the frame's is (both
    // wait on the one access check). `<Outlet/>` is a closure that would make the page
    // again whenever the frame is walked; resolved inside a `Suspend`, it is made once and
    // the `Suspend` keeps it. It is made inside its error boundary, which it reports to.
    let page = view! {
        <ErrorBoundary fallback=error_fallback>
            {
                let outlet = Outlet();
                let mut page = Suspend::new(async move { outlet.resolve().await });
                page.dry_resolve();
                page
            }
        </ErrorBoundary>
    }
    .into_any();

    // The frame is a `Suspend`, not a closure making one: a `Suspense` walks its children
    // before it renders them, and a closure would be called again for each walk, making the
    // frame (and the page inside) more than once per request.
    view! {
        <Suspense fallback=|| {
            view! {
                <div class="p-8">
                    <Skeleton class="h-8 w-64" />
                </div>
            }
        }>
            {Suspend::new(async move {
                match workspace.await {
                    Ok(overview) => {
                        let show_org = overview
                            .partner_role
                            .is_some_and(|r| r >= PartnerRole::Admin);
                        let banner = view! {
                            <CreditBanner
                                slug=overview.workspace.slug.clone()
                                credits=overview.credits.clone()
                            />
                        }
                            .into_any();
                        view! {
                            <ShellFrame slug name=overview.workspace.name show_org banner page />
                        }
                            .into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <NotFound /> }.into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <RedirectToLogin /> }.into_any(),
                    Err(e) => view! { <ErrorCard messages=vec![e.to_string()] /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ShellFrame(
    slug: Signal<String>,
    name: String,
    show_org: bool,
    banner: AnyView,
    page: AnyView,
) -> impl IntoView {
    let brand = use_brand();
    let sidebar = move |in_menu: bool| {
        view! {
            <div class="flex h-16 items-center border-b border-line px-4">
                <Suspense>
                    {move || Suspend::new(async move {
                        brand.await.ok().map(|brand| view! { <BrandMark brand /> })
                    })}
                </Suspense>
            </div>
            <SidebarNav slug show_org in_menu />
        }
    };
    view! {
        <div class="flex min-h-screen">
            <a
                href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2"
            >
                "Skip to content"
            </a>
            // Desktop: a fixed column.
            <aside class="hidden w-64 shrink-0 flex-col border-r border-line bg-surface lg:flex">
                {sidebar(false)}
            </aside>
            <div class="flex min-w-0 flex-1 flex-col">
                <header class="flex h-16 items-center gap-3 border-b border-line bg-surface px-4 sm:px-6">
                    // Small screens: the same sidebar in an off-canvas panel, a native popover
                    // (opens and closes, Escape and outside clicks included, with no script).
                    <button
                        type="button"
                        popovertarget="mobile-sidebar"
                        class="inline-flex h-9 w-9 items-center justify-center rounded-lg text-muted hover:bg-surface-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand lg:hidden"
                        aria-label="Open navigation"
                        aria-controls="mobile-sidebar"
                    >
                        <Icon name=IconName::Menu />
                    </button>
                    <aside
                        id="mobile-sidebar"
                        popover="auto"
                        class="m-0 h-full max-h-none w-64 flex-col border-r border-line bg-surface p-0 text-fg backdrop:bg-black/40 open:flex"
                    >
                        {sidebar(true)}
                    </aside>
                    <WorkspaceSwitcher current_slug=slug current_name=name />
                    <div class="flex-1"></div>
                    <ThemeToggle />
                    <UserMenu />
                </header>
                {banner}
                <main id="main" class="flex-1 p-4 sm:p-6 lg:p-8">
                    {page}
                </main>
            </div>
        </div>
    }
}
