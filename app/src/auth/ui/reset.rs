//! `/reset-password?token=…`: chooses a new password with an emailed link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::layout::AuthLayout;
use crate::auth::api::{ResetPassword, reset_token_usable};
use crate::components::button::Button;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let usable = Resource::new_blocking(token, reset_token_usable);
    view! {
        <Title text="Choose a new password" />
        <AuthLayout title="Choose a new password">
            <Suspense>
                {move || Suspend::new(async move {
                    if usable.await.unwrap_or(false) {
                        view! { <ResetForm token=token() /> }.into_any()
                    } else {
                        view! {
                            <p class="text-sm text-muted" data-testid="reset-expired">
                                "This link has expired or was already used. "
                                <a
                                    href="/forgot-password"
                                    class="text-brand-ink underline underline-offset-2"
                                >
                                    "Ask for a new one"
                                </a>
                                "."
                            </p>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
        </AuthLayout>
    }
}

/// A plain form: the server answers with the sign-in page, or back here with the error.
#[component]
fn ResetForm(token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="space-y-4" attr:data-testid="reset-form">
            <FormAlert message=form_error(value) />
            <input type="hidden" name="token" value=token />
            <TextField
                label="New password"
                name="new_password"
                kind="password"
                autocomplete="new-password"
                required=true
                hint="At least 12 characters with upper and lower case, a digit and a symbol."
                error=field_error(value, "new_password")
            />
            <TextField
                label="Confirm new password"
                name="confirm_password"
                kind="password"
                autocomplete="new-password"
                required=true
                error=field_error(value, "confirm_password")
            />
            <Button kind="submit">"Set new password"</Button>
        </ActionForm>
    }
}
