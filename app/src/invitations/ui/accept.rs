//! `/accept-invitation?token=…`: what the invitation offers, in the inviting partner's
//! branding, and the one action that fits: accept, sign in first, create the account, or
//! switch to the invited address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::api::Logout;
use crate::auth::ui::layout::AuthLayout;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Variant};
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::invitations::api::{AcceptInvitation, AcceptInvitationSignup, preview_invitation};
use crate::invitations::model::{InvitationKind, InvitationPreview, InvitationState};

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let preview = Resource::new_blocking(token, preview_invitation);
    view! {
        <Title text="Invitation" />
        <Suspense>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(p) => view! { <Offer preview=p token=token() /> }.into_any(),
                    Err(e) => {
                        view! {
                            <AuthLayout title="Invitation">
                                <p role="alert" class="text-sm text-danger">
                                    {e.to_string()}
                                </p>
                            </AuthLayout>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Offer(preview: InvitationPreview, token: String) -> impl IntoView {
    match preview.state {
        InvitationState::Unusable => view! {
            <AuthLayout title="This invitation cannot be used">
                <p class="text-sm text-muted" data-testid="invitation-unusable">
                    "The link was already used, was cancelled, or is not complete. Ask whoever invited you to send a new one."
                </p>
            </AuthLayout>
        }
        .into_any(),
        InvitationState::Expired => view! {
            <AuthLayout title="This invitation has expired">
                <p class="text-sm text-muted" data-testid="invitation-expired">
                    "Invitations work for 7 days. Ask whoever invited you to send it again."
                </p>
            </AuthLayout>
        }
        .into_any(),
        InvitationState::Pending => {
            let title = match preview.kind {
                InvitationKind::Workspace => format!("Join {}", preview.target),
                InvitationKind::Partner => format!("Join the {} team", preview.brand.name),
                InvitationKind::Client => format!("Your workspace at {}", preview.brand.name),
            };
            let workspaces = preview.workspaces.clone();
            let has_workspaces = !workspaces.is_empty();
            view! {
                <AuthLayout title>
                    <div class="space-y-4" data-testid="invitation-offer">
                        <p class="text-sm text-muted">
                            {preview
                                .inviter
                                .clone()
                                .map(|i| format!("{i} invited "))
                                .unwrap_or_else(|| "You are invited: ".into())}
                            <strong class="text-fg">{preview.email.clone()}</strong>
                            {match preview.kind {
                                InvitationKind::Client => String::new(),
                                _ => format!(" as {}.", preview.role),
                            }}
                        </p>
                        {preview
                            .message
                            .clone()
                            .map(|m| {
                                view! {
                                    <blockquote class="border-l-4 border-brand pl-3 text-sm italic">
                                        {m}
                                    </blockquote>
                                }
                            })}
                        {has_workspaces
                            .then(move || {
                                view! {
                                    <div class="flex flex-wrap gap-2">
                                        {workspaces
                                            .into_iter()
                                            .map(|w| view! { <Badge tone=Tone::Neutral>{w}</Badge> })
                                            .collect_view()}
                                    </div>
                                }
                            })}
                        <Action preview=preview.clone() token />
                    </div>
                </AuthLayout>
            }
            .into_any()
        }
    }
}

#[component]
fn Action(preview: InvitationPreview, token: String) -> impl IntoView {
    let here = format!("/accept-invitation?token={token}");
    match preview.signed_in_as.clone() {
        Some(me) if me.eq_ignore_ascii_case(&preview.email) => {
            view! { <AcceptForm token /> }.into_any()
        }
        Some(me) => {
            let logout = ServerAction::<Logout>::new();
            view! {
                <div
                    role="alert"
                    class="space-y-3 rounded-lg border border-line bg-surface-2 p-3 text-sm"
                    data-testid="email-mismatch"
                >
                    <p>
                        {format!(
                            "You are signed in as {me}, but this invitation is for {}. Sign out, then sign in with the invited address.",
                            preview.email,
                        )}
                    </p>
                    <ActionForm action=logout>
                        <Button kind="submit" variant=Variant::Secondary>
                            "Sign out"
                        </Button>
                    </ActionForm>
                </div>
            }
            .into_any()
        }
        None if preview.account_exists => view! {
            <p class="text-sm text-muted">"You already have an account. Sign in to accept."</p>
            <LinkButton href=format!(
                "/login?redirect={}",
                here.replace('?', "%3F").replace('=', "%3D").replace('&', "%26"),
            )>"Sign in to accept"</LinkButton>
        }
        .into_any(),
        None => view! { <SignupAndAcceptForm token /> }.into_any(),
    }
}

/// Plain forms, these two: the server answers with what the invitation opens, or back
/// here with the error.
#[component]
fn AcceptForm(token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="space-y-3">
            <FormAlert message=form_error(value) />
            <input type="hidden" name="token" value=token />
            <Button kind="submit">"Accept invitation"</Button>
        </ActionForm>
    }
}

#[component]
fn SignupAndAcceptForm(token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitationSignup>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="space-y-4" attr:data-testid="invitation-signup">
            <p class="text-sm text-muted">"Create your account to accept."</p>
            <FormAlert message=form_error(value) />
            <input type="hidden" name="token" value=token />
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
            <Button kind="submit">"Create account and accept"</Button>
        </ActionForm>
    }
}
