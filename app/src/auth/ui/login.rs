//! `/login` (and `/super-admin/login`, as the console): email and password, then the
//! second factor when the account has one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::layout::AuthLayout;
use crate::auth::api::{Login, LoginCode, get_viewer};
use crate::auth::model::safe_redirect;
use crate::components::button::Button;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::shell::use_brand;

#[component]
pub fn LoginPage(
    /// The platform administrators' sign-in: only they get in.
    #[prop(optional)]
    console: bool,
) -> impl IntoView {
    let query = use_query_map();
    let redirect = move || query.read().get("redirect").unwrap_or_default();
    let notice = move || query.read().get("notice");
    let brand = use_brand();
    // Someone already signed in goes on (this is also where a sign-in posted without
    // JavaScript lands, with its new cookie).
    let viewer = Resource::new_blocking(|| (), |_| get_viewer());
    let (title, subtitle) = if console {
        (
            "Platform administration",
            "Restricted area: platform administrators only.",
        )
    } else {
        ("Sign in", "Welcome back. Sign in to your workspace.")
    };
    view! {
        <Title text=title />
        <Suspense>
            {move || Suspend::new(async move {
                let signed_in = viewer.await.ok().flatten()?;
                let path = match (console, safe_redirect(&redirect())) {
                    (true, _) if signed_in.is_super_admin => "/super-admin/outbox".to_owned(),
                    (true, _) => return None,
                    (false, Some(path)) => path.to_owned(),
                    (false, None) => "/select-workspace".to_owned(),
                };
                Some(view! { <Redirect path /> })
            })}
        </Suspense>
        <AuthLayout title subtitle>
            {move || {
                notice()
                    .map(|n| {
                        view! {
                            <p
                                role="status"
                                data-testid="login-notice"
                                class="mb-4 rounded-lg border border-line bg-surface-2 px-3 py-2 text-sm"
                            >
                                {notice_text(&n)}
                            </p>
                        }
                    })
            }}
            <LoginForms redirect=redirect() console needs_code=waiting_for_code() />
            <Suspense>
                {move || Suspend::new(async move {
                    brand
                        .await
                        .ok()
                        .filter(|b| b.is_platform && !console)
                        .map(|_| {
                            view! {
                                <p class="mt-6 text-center text-sm text-muted">
                                    "New here? "
                                    <a
                                        href="/signup"
                                        class="font-medium text-brand-ink underline underline-offset-2"
                                    >
                                        "Create an account"
                                    </a>
                                </p>
                            }
                        })
                })}
            </Suspense>
        </AuthLayout>
    }
}

/// The password form, then the code form when the account has a second factor. Both are
/// plain forms (no script): the server answers each post with a redirect, to the page
/// the sign-in leads to, back here for the code, or back here with the error.
#[component]
fn LoginForms(redirect: String, console: bool, needs_code: bool) -> impl IntoView {
    let password_step = ServerAction::<Login>::new();
    let code_step = ServerAction::<LoginCode>::new();
    if needs_code {
        let redirect = if console {
            "/super-admin/outbox".to_owned()
        } else {
            redirect
        };
        return view! {
            <ActionForm action=code_step attr:class="space-y-4" attr:data-testid="code-form">
                <p class="text-sm text-muted">
                    "Enter the 6-digit code from your authenticator app, or one of your recovery codes."
                </p>
                <FormAlert message=form_error(code_step.value()) />
                <input type="hidden" name="redirect" value=redirect />
                <TextField
                    label="Authentication code"
                    name="code"
                    autocomplete="one-time-code"
                    required=true
                    error=field_error(code_step.value(), "code")
                />
                <Button kind="submit">"Verify"</Button>
            </ActionForm>
        }
        .into_any();
    }
    // A code refused because the half-finished sign-in expired comes back to the password
    // form: its message shows there.
    let refused = Signal::derive(move || {
        form_error(password_step.value())
            .get()
            .or_else(|| form_error(code_step.value()).get())
    });
    view! {
        <ActionForm action=password_step attr:class="space-y-4" attr:data-testid="login-form">
            <FormAlert message=refused />
            <input type="hidden" name="redirect" value=redirect />
            {console.then(|| view! { <input type="hidden" name="console" value="true" /> })}
            <TextField
                label="Email"
                name="email"
                kind="email"
                autocomplete="email"
                required=true
                error=field_error(password_step.value(), "email")
            />
            <TextField
                label="Password"
                name="password"
                kind="password"
                autocomplete="current-password"
                required=true
            />
            {(!console)
                .then(|| {
                    view! {
                        <div class="flex items-center justify-between text-sm">
                            <a
                                href="/forgot-password"
                                class="text-brand-ink underline underline-offset-2"
                            >
                                "Forgot password?"
                            </a>
                        </div>
                    }
                })}
            <Button kind="submit">"Sign in"</Button>
        </ActionForm>
    }
    .into_any()
}

/// Whether this browser's password was accepted and its second factor is still due (a
/// password form posted before the page's script ran comes back here that way).
fn waiting_for_code() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::access::guard::current_session().is_some_and(|s| s.mfa_pending)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

fn notice_text(code: &str) -> &'static str {
    match code {
        "password-reset" => "Your password was changed. Sign in with the new one.",
        "signed-out" => "You are signed out.",
        _ => "Sign in to continue.",
    }
}
