//! `/forgot-password`: asks for a reset link by email.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::layout::AuthLayout;
use crate::auth::api::ForgotPassword;
use crate::components::button::Button;
use crate::components::form::{FormAlert, FormNotice, field_error, form_error};
use crate::components::input::TextField;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    view! {
        <Title text="Reset your password" />
        <AuthLayout
            title="Reset your password"
            subtitle="We will email you a link to choose a new one."
        >
            <ForgotForm />
            <p class="mt-6 text-sm">
                <a href="/login" class="text-brand-ink underline underline-offset-2">
                    "Back to sign in"
                </a>
            </p>
        </AuthLayout>
    }
}

/// A plain form; the server answers with this page again, `?sent=1`.
#[component]
fn ForgotForm() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let value = action.value();
    let sent = use_query_map().read_untracked().get("sent").is_some();
    if sent {
        return view! {
            <FormNotice>
                "Check your email. If an account exists for that address, a link to reset its password is on its way. It works once, within an hour."
            </FormNotice>
        }
        .into_any();
    }
    view! {
        <ActionForm action attr:class="space-y-4">
            <FormAlert message=form_error(value) />
            <TextField
                label="Email"
                name="email"
                kind="email"
                autocomplete="email"
                required=true
                error=field_error(value, "email")
            />
            <Button kind="submit">"Send reset link"</Button>
        </ActionForm>
    }
    .into_any()
}
