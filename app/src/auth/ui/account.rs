//! `/account`: the signed-in person's profile, password and two-factor sign-in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::access::model::Viewer;
use crate::auth::api::account::{
    BeginMfa, ChangePassword, ConfirmMfa, DisableMfa, UpdateProfile, mfa_status,
};
use crate::auth::api::{Logout, get_viewer};
use crate::auth::model::MfaState;
use crate::components::button::{Button, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::theme::ThemeToggle;
use crate::pages::redirect::RedirectToLogin;

#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = Resource::new_blocking(|| (), |_| get_viewer());
    let mfa = Resource::new_blocking(|| (), |_| mfa_status());
    view! {
        <Title text="Your account" />
        <Suspense>
            {move || Suspend::new(async move {
                match (viewer.await, mfa.await) {
                    (Ok(Some(v)), Ok(mfa)) => view! { <AccountSections viewer=v mfa /> }.into_any(),
                    _ => view! { <RedirectToLogin /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountSections(viewer: Viewer, mfa: MfaState) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <div class="min-h-screen bg-canvas">
            <header class="flex h-16 items-center gap-3 border-b border-line bg-surface px-4 sm:px-6">
                <a
                    href="/select-workspace"
                    class="text-sm text-brand-ink underline underline-offset-2"
                >
                    "← Workspaces"
                </a>
                <div class="flex-1"></div>
                <ThemeToggle />
                // Signing out answers with a redirect, so this form needs no script.
                <ActionForm action=logout>
                    <Button kind="submit" variant=Variant::Ghost>
                        "Sign out"
                    </Button>
                </ActionForm>
            </header>
            <main class="mx-auto max-w-2xl space-y-6 p-4 sm:p-8">
                <h1 class="text-2xl font-bold tracking-tight">"Your account"</h1>
                <p class="text-sm text-muted">
                    "Signed in as "<span data-testid="account-email">{viewer.email.clone()}</span>
                </p>
                <ProfileCard viewer=viewer.clone() />
                <PasswordCard mfa_on=viewer.mfa_enabled />
                <MfaCard mfa />
            </main>
        </div>
    }
}

/// A plain form: the server answers with this page again, saying so, or with the error.
#[component]
fn ProfileCard(viewer: Viewer) -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let value = action.value();
    view! {
        <Card title="Profile">
            <ActionForm action attr:class="space-y-4" attr:data-testid="profile-form">
                <FormAlert message=form_error(value) />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="First name"
                        name="first_name"
                        value=viewer.first_name.clone().unwrap_or_default()
                        required=true
                        error=field_error(value, "first_name")
                    />
                    <TextField
                        label="Last name"
                        name="last_name"
                        value=viewer.last_name.clone().unwrap_or_default()
                        error=field_error(value, "last_name")
                    />
                </div>
                <TextField
                    label="Avatar URL"
                    name="avatar_url"
                    kind="url"
                    value=viewer.avatar_url.clone().unwrap_or_default()
                    error=field_error(value, "avatar_url")
                />
                <TextField
                    label="Phone"
                    name="phone_number"
                    kind="tel"
                    value=viewer.phone_number.clone().unwrap_or_default()
                    hint="International format, like +14155550123."
                    error=field_error(value, "phone_number")
                />
                <Button kind="submit">"Save profile"</Button>
            </ActionForm>
        </Card>
    }
}

/// A plain form. `mfa_on`: two-factor was on when the page was rendered; with it on, a
/// current code is asked for too (and the server asking for one shows the field).
#[component]
fn PasswordCard(mfa_on: bool) -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let value = action.value();
    let code_error = field_error(value, "code");
    let ask_code = move || mfa_on || code_error.get().is_some();
    view! {
        <Card title="Password" description="Changing it signs you out everywhere else.">
            <ActionForm action attr:class="space-y-4" attr:data-testid="password-form">
                <FormAlert message=form_error(value) />
                <TextField
                    label="Current password"
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error=field_error(value, "current_password")
                />
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
                <Show when=ask_code>
                    <TextField
                        label="Code from your authenticator app"
                        name="code"
                        autocomplete="one-time-code"
                        required=true
                        hint="Or one of your recovery codes."
                        error=code_error
                    />
                </Show>
                <Button kind="submit">"Change password"</Button>
            </ActionForm>
        </Card>
    }
}

/// Two-factor sign-in: set up (a QR code, then a code from the app, then the recovery codes,
/// shown once) or turned off. Plain forms: each step is a page load showing where enrolment
/// stands (`MfaState`), so it also works without JavaScript.
#[component]
fn MfaCard(mfa: MfaState) -> impl IntoView {
    let begin = ServerAction::<BeginMfa>::new();
    let confirm = ServerAction::<ConfirmMfa>::new();
    let disable = ServerAction::<DisableMfa>::new();
    let codes = (!mfa.new_recovery_codes.is_empty()).then(|| {
        view! {
            <div
                data-testid="recovery-codes"
                class="rounded-lg border border-line bg-surface-2 p-4"
            >
                <p class="text-sm font-medium">
                    "Two-factor sign-in is on. Save these recovery codes: each works once if you lose your device. They are shown only now."
                </p>
                <ul class="mt-3 grid grid-cols-2 gap-1 font-mono text-sm">
                    {mfa
                        .new_recovery_codes
                        .into_iter()
                        .map(|c| view! { <li>{c}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let start = move |label: &'static str, variant: Variant| {
        view! {
            <ActionForm action=begin>
                <FormAlert message=form_error(begin.value()) />
                <Button kind="submit" variant>
                    {label}
                </Button>
            </ActionForm>
        }
    };
    let state = match (mfa.enabled, mfa.enrolling) {
        (true, _) => view! {
            <p class="text-sm" data-testid="mfa-on">
                {format!("On. {} recovery codes left.", mfa.recovery_codes_left)}
            </p>
            <ActionForm action=disable attr:class="space-y-3">
                <FormAlert message=form_error(disable.value()) />
                <TextField
                    label="Current password"
                    name="current_password"
                    id="mfa-off-current-password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error=field_error(disable.value(), "current_password")
                />
                <TextField
                    label="Code to turn it off"
                    name="code"
                    id="mfa-off-code"
                    autocomplete="one-time-code"
                    required=true
                    error=field_error(disable.value(), "code")
                />
                <Button kind="submit" variant=Variant::Danger>
                    "Turn off two-factor"
                </Button>
            </ActionForm>
        }
        .into_any(),
        (false, Some(enrollment)) => view! {
            <p class="text-sm text-muted" data-testid="mfa-off">
                "Off."
            </p>
            <div class="space-y-3" data-testid="mfa-enroll">
                <p class="text-sm">
                    "Scan this code with your authenticator app, then enter the code it shows."
                </p>
                <img
                    alt="QR code for your authenticator app"
                    class="h-48 w-48 rounded border border-line bg-white"
                    src=format!("data:image/svg+xml;utf8,{}", svg_data(&enrollment.qr_svg))
                />
                <p class="text-xs text-muted">
                    "Or type this key: "<code data-testid="mfa-secret" class="font-mono">
                        {enrollment.secret.clone()}
                    </code>
                </p>
                <ActionForm action=confirm attr:class="space-y-3">
                    <FormAlert message=form_error(confirm.value()) />
                    <TextField
                        label="Code from the app"
                        name="code"
                        autocomplete="one-time-code"
                        required=true
                        error=field_error(confirm.value(), "code")
                    />
                    <Button kind="submit">"Turn on"</Button>
                </ActionForm>
                {start("Start again with a new key", Variant::Ghost)}
            </div>
        }
        .into_any(),
        (false, None) => view! {
            <p class="text-sm text-muted" data-testid="mfa-off">
                "Off."
            </p>
            {start("Set up two-factor sign-in", Variant::Primary)}
        }
        .into_any(),
    };
    view! {
        <Card
            title="Two-factor sign-in"
            description="Ask for a code from an authenticator app after the password."
        >
            <div id="mfa" data-testid="mfa-card" class="space-y-4">
                {codes}
                {state}
            </div>
        </Card>
    }
}

/// An SVG document escaped for a `data:` URL.
fn svg_data(svg: &str) -> String {
    svg.replace('%', "%25")
        .replace('#', "%23")
        .replace('"', "'")
        .replace('<', "%3C")
        .replace('>', "%3E")
}
