//! `/verify-email?token=…`: the link that confirms a new account's address. Opening it
//! asks for the password chosen at sign-up (a link opened by a mail scanner confirms
//! nothing, and neither does one opened by somebody who did not choose the password);
//! confirming signs the owner in. Without a token, or after sign-up, it says to check the inbox and offers
//! to send the link again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::layout::AuthLayout;
use crate::auth::api::{ConfirmEmail, ResendConfirmation};
use crate::components::button::{Button, Variant};
use crate::components::form::{FormAlert, FormNotice, field_error, form_error};
use crate::components::input::TextField;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    // Sign-up lands here with the address it sent the link to.
    let email = query.read_untracked().get("email").unwrap_or_default();
    // The link was sent again (the resend form comes back with `sent=again`).
    let again = query.read_untracked().get("sent").is_some();
    view! {
        <Title text="Confirm your email" />
        {if token.is_empty() {
            view! { <CheckInbox email again /> }.into_any()
        } else {
            view! {
                <AuthLayout
                    title="Confirm your email"
                    subtitle="One step and your workspace is open."
                >
                    <ConfirmForm token />
                </AuthLayout>
            }
                .into_any()
        }}
    }
}

/// A plain form: the server answers with the new workspace, or back here with the error.
#[component]
fn ConfirmForm(token: String) -> impl IntoView {
    let confirm = ServerAction::<ConfirmEmail>::new();
    let value = confirm.value();
    view! {
        <ActionForm action=confirm attr:class="space-y-4" attr:data-testid="confirm-email-form">
            <FormAlert message=form_error(value) />
            {move || {
                field_error(value, "token")
                    .get()
                    .map(|m| {
                        view! {
                            <p
                                role="alert"
                                class="text-sm text-danger"
                                data-testid="confirm-expired"
                            >
                                {m}
                            </p>
                        }
                    })
            }}
            <input type="hidden" name="token" value=token />
            <TextField
                label="Password"
                name="password"
                kind="password"
                autocomplete="current-password"
                required=true
                hint="The one you chose when you signed up."
                error=field_error(value, "password")
            />
            <Button kind="submit">"Confirm my email"</Button>
        </ActionForm>
    }
}

/// "Check your inbox", with a form to have the link sent again (to `email`, or to an
/// address typed in); `again` once it was.
#[component]
pub fn CheckInbox(email: String, #[prop(optional)] again: bool) -> impl IntoView {
    let said = if email.is_empty() {
        "We sent you a link. Open it to confirm your address and start; it works once, for 24 hours.".to_owned()
    } else {
        format!(
            "We sent a link to {email}. Open it to confirm the address and start; it works once, for 24 hours."
        )
    };
    view! {
        <AuthLayout title="Check your inbox">
            <div class="space-y-4" data-testid="check-inbox">
                <p class="text-sm text-muted">{said}</p>
                <ResendForm email again />
                <p class="text-sm">
                    <a href="/login" class="text-brand-ink underline underline-offset-2">
                        "Back to sign in"
                    </a>
                </p>
            </div>
        </AuthLayout>
    }
}

/// A plain form: the server answers with this page again, `sent=again`.
#[component]
fn ResendForm(email: String, again: bool) -> impl IntoView {
    let resend = ServerAction::<ResendConfirmation>::new();
    let value = resend.value();
    let known = !email.is_empty();
    view! {
        <ActionForm action=resend attr:class="space-y-3">
            <FormAlert message=form_error(value) />
            {again
                .then(|| {
                    view! {
                        <FormNotice>
                            "If that address is waiting to be confirmed, a new link is on its way."
                        </FormNotice>
                    }
                })}
            {if known {
                view! { <input type="hidden" name="email" value=email.clone() /> }.into_any()
            } else {
                view! {
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        autocomplete="email"
                        required=true
                        error=field_error(value, "email")
                    />
                }
                    .into_any()
            }}
            <Button kind="submit" variant=Variant::Secondary>
                "Send the link again"
            </Button>
        </ActionForm>
    }
}
