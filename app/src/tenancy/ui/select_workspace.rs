//! `/select-workspace`: every workspace the viewer can open, theirs first, then those they
//! reach as an organisation admin; or, with none, where to go next.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::access::model::{Viewer, WorkspaceAccess};
use crate::auth::api::{Logout, get_viewer, my_workspaces};
use crate::auth::ui::layout::AuthLayout;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Variant};
use crate::pages::redirect::RedirectToLogin;

#[component]
pub fn SelectWorkspacePage() -> impl IntoView {
    let viewer = Resource::new_blocking(|| (), |_| get_viewer());
    let workspaces = Resource::new_blocking(|| (), |_| my_workspaces());
    view! {
        <Title text="Choose a workspace" />
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(Some(viewer)) = viewer.await else {
                    return view! { <RedirectToLogin /> }.into_any();
                };
                let list = workspaces.await.unwrap_or_default();
                view! { <Picker viewer list /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Picker(viewer: Viewer, list: Vec<WorkspaceAccess>) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let (own, admin): (Vec<_>, Vec<_>) = list.into_iter().partition(|w| !w.partner_admin_access);
    let empty = own.is_empty() && admin.is_empty();
    let can_create = viewer.is_partner_admin();
    view! {
        <AuthLayout title="Choose a workspace" subtitle=format!("Signed in as {}", viewer.email)>
            <div class="space-y-6" data-testid="workspace-picker">
                {empty
                    .then(|| {
                        if can_create {
                            view! {
                                <p class="text-sm text-muted">
                                    "There are no workspaces yet. Create the first one."
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p class="text-sm text-muted" data-testid="waiting-for-invitation">
                                    "You are not a member of any workspace here yet. Ask an administrator to invite you; the invitation arrives by email."
                                </p>
                            }
                                .into_any()
                        }
                    })}
                <Group title="Your workspaces" list=own />
                <Group title="Organization workspaces (admin access)" list=admin />
                <div class="flex flex-wrap items-center gap-3 border-t border-line pt-4">
                    {can_create
                        .then(|| {
                            view! {
                                <LinkButton href="/workspace-onboarding" variant=Variant::Secondary>
                                    "Create workspace"
                                </LinkButton>
                            }
                        })}
                    <a href="/account" class="text-sm text-brand-ink underline underline-offset-2">
                        "Your account"
                    </a> <div class="flex-1"></div> <ActionForm action=logout>
                        <Button kind="submit" variant=Variant::Ghost>
                            "Sign out"
                        </Button>
                    </ActionForm>
                </div>
            </div>
        </AuthLayout>
    }
}

#[component]
fn Group(title: &'static str, list: Vec<WorkspaceAccess>) -> impl IntoView {
    (!list.is_empty()).then(|| {
        view! {
            <section>
                <h2 class="text-xs font-semibold uppercase tracking-wide text-muted">{title}</h2>
                <ul class="mt-2 divide-y divide-line rounded-lg border border-line">
                    {list
                        .into_iter()
                        .map(|w| {
                            view! {
                                <li>
                                    <a
                                        href=format!("/w/{}", w.slug)
                                        class="flex items-center justify-between gap-3 px-4 py-3 hover:bg-surface-2"
                                    >
                                        <span class="min-w-0">
                                            <span class="block truncate font-medium">{w.name}</span>
                                            {w
                                                .description
                                                .map(|d| {
                                                    view! {
                                                        <span class="block truncate text-xs text-muted">{d}</span>
                                                    }
                                                })}
                                        </span>
                                        <Badge tone=Tone::Neutral>{w.role.label()}</Badge>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}
