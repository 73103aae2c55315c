//! `/workspace-onboarding`: organisation owners and admins create a workspace; everyone
//! else is told why they cannot and what to do instead.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::api::get_viewer;
use crate::auth::ui::layout::AuthLayout;
use crate::components::button::Button;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::textarea::TextArea;
use crate::pages::redirect::RedirectToLogin;
use crate::tenancy::api::CreateWorkspace;

#[component]
pub fn OnboardingPage() -> impl IntoView {
    let viewer = Resource::new_blocking(|| (), |_| get_viewer());
    view! {
        <Title text="Create a workspace" />
        <Suspense>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(v)) if v.is_partner_admin() => view! { <CreateForm /> }.into_any(),
                    Ok(Some(_)) => {
                        view! {
                            <AuthLayout title="Permission required">
                                <p class="text-sm text-muted" data-testid="permission-required">
                                    "Only organization owners and admins can create workspaces. Ask one of them to create a workspace or invite you to one."
                                </p>
                                <p class="mt-6 text-sm">
                                    <a
                                        href="/select-workspace"
                                        class="text-brand-ink underline underline-offset-2"
                                    >
                                        "Back to your workspaces"
                                    </a>
                                </p>
                            </AuthLayout>
                        }
                            .into_any()
                    }
                    _ => view! { <RedirectToLogin /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreateForm() -> impl IntoView {
    view! {
        <AuthLayout
            title="Create a workspace"
            subtitle="A workspace holds one client's agents, calls and team."
        >
            <CreateWorkspaceForm />
        </AuthLayout>
    }
}

/// A plain form: the server answers with the new workspace, or back here with the error.
#[component]
fn CreateWorkspaceForm() -> impl IntoView {
    let action = ServerAction::<CreateWorkspace>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="space-y-4" attr:data-testid="create-workspace-form">
            <FormAlert message=form_error(value) />
            <TextField
                label="Name"
                name="name"
                required=true
                hint="Its address is made from the name: \"Acme Dental\" opens at /w/acme-dental."
                error=field_error(value, "name")
            />
            <TextArea
                label="Description"
                name="description"
                error=field_error(value, "description")
            />
            <Button kind="submit">"Create workspace"</Button>
        </ActionForm>
    }
}
