//! `/signup`: a new account with its own workspace, on the platform host; then "check your
//! inbox" (the same for every address) until the emailed link is opened. White-label
//! hosts admit people by invitation only, and say so.

use leptos::prelude::*;
use leptos_meta::Title;

use super::layout::AuthLayout;
use crate::auth::api::SignUp;
use crate::components::button::Button;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::shell::use_brand;

#[component]
pub fn SignupPage() -> impl IntoView {
    let brand = use_brand();
    view! {
        <Title text="Create your account" />
        <Suspense>
            {move || Suspend::new(async move {
                let platform = brand.await.map(|b| b.is_platform).unwrap_or(false);
                if platform {
                    view! { <SignupForm /> }.into_any()
                } else {
                    view! {
                        <AuthLayout title="Invitation required">
                            <p class="text-sm text-muted" data-testid="invitation-only">
                                "Accounts here are created by invitation. Ask your administrator to invite you, then follow the link in the email."
                            </p>
                            <p class="mt-6 text-sm">
                                <a
                                    href="/login"
                                    class="text-brand-ink underline underline-offset-2"
                                >
                                    "Back to sign in"
                                </a>
                            </p>
                        </AuthLayout>
                    }
                        .into_any()
                }
            })}
        </Suspense>
    }
}

/// The sign-up form; once it is accepted the browser moves on to "check your inbox".
#[component]
fn SignupForm() -> impl IntoView {
    view! {
        <AuthLayout title="Create your account" subtitle="Start with a workspace of your own.">
            <Form />
            <p class="mt-6 text-center text-sm text-muted">
                "Already have an account? "
                <a href="/login" class="font-medium text-brand-ink underline underline-offset-2">
                    "Sign in"
                </a>
            </p>
        </AuthLayout>
    }
}

/// A plain form: the server answers with "check your inbox", or back here with the error.
#[component]
fn Form() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="space-y-4" attr:data-testid="signup-form">
            <FormAlert message=form_error(value) />
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField
                    label="First name"
                    name="first_name"
                    autocomplete="given-name"
                    required=true
                    error=field_error(value, "first_name")
                />
                <TextField label="Last name" name="last_name" autocomplete="family-name" />
            </div>
            <TextField
                label="Email"
                name="email"
                kind="email"
                autocomplete="email"
                required=true
                error=field_error(value, "email")
            />
            <TextField
                label="Password"
                name="password"
                kind="password"
                autocomplete="new-password"
                required=true
                hint="At least 12 characters with upper and lower case, a digit and a symbol."
                error=field_error(value, "password")
            />
            <TextField
                label="Confirm password"
                name="confirm_password"
                kind="password"
                autocomplete="new-password"
                required=true
                error=field_error(value, "confirm_password")
            />
            <Button kind="submit">"Create account"</Button>
        </ActionForm>
    }
}
