//! `/super-admin/login`: the platform administrators' own sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::api::LoginCode;
use crate::auth::model::LoginOutcome;
use crate::auth::ui::layout::AuthLayout;
use crate::components::button::Button;
use crate::components::form::{FormAlert, field_error, form_error, go_to};
use crate::components::input::TextField;
use crate::super_admin::api::SuperAdminLogin;

#[component]
pub fn SuperAdminLoginPage() -> impl IntoView {
    let password_step = ServerAction::<SuperAdminLogin>::new();
    let code_step = ServerAction::<LoginCode>::new();
    let needs_code = RwSignal::new(false);
    Effect::new(move |_| match password_step.value().get() {
        Some(Ok(LoginOutcome::SignedIn { redirect })) => go_to(&redirect),
        Some(Ok(LoginOutcome::SecondFactor)) => needs_code.set(true),
        _ => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(LoginOutcome::SignedIn { redirect })) = code_step.value().get() {
            go_to(&redirect);
        }
    });
    view! {
        <Title text="Platform administration"/>
        <AuthLayout title="Platform administration" subtitle="Restricted area: platform administrators only.">
            <Show
                when=move || needs_code.get()
                fallback=move || view! {
                    <ActionForm action=password_step attr:class="space-y-4" attr:data-testid="super-admin-login">
                        <FormAlert message=form_error(password_step.value())/>
                        <TextField label="Email" name="email" kind="email" autocomplete="email" required=true error=field_error(password_step.value(), "email")/>
                        <TextField label="Password" name="password" kind="password" autocomplete="current-password" required=true/>
                        <Button kind="submit" loading=password_step.pending()>"Sign in"</Button>
                    </ActionForm>
                }
            >
                <ActionForm action=code_step attr:class="space-y-4">
                    <FormAlert message=form_error(code_step.value())/>
                    <input type="hidden" name="redirect" value="/super-admin/outbox"/>
                    <TextField label="Authentication code" name="code" autocomplete="one-time-code" required=true error=field_error(code_step.value(), "code")/>
                    <Button kind="submit" loading=code_step.pending()>"Verify"</Button>
                </ActionForm>
            </Show>
        </AuthLayout>
    }
}
