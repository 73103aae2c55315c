//! Pending invitations with their resend and cancel forms: one list for a workspace's team
//! page and the organisation's.

use leptos::prelude::*;

use crate::components::button::{Button, Size, Variant};
use crate::components::form::{FormAlert, form_error};
use crate::invitations::api::{CancelInvitation, ResendInvitation};
use crate::invitations::model::PendingInvitation;

/// The pending invitations `rows`: a workspace's when `slug` names it, else the
/// organisation's. Plain forms: the server answers with the page again, or with the error
/// above the list.
#[component]
pub fn PendingInvitations(
    rows: Vec<PendingInvitation>,
    #[prop(optional)] slug: Option<String>,
) -> impl IntoView {
    let cancel = ServerAction::<CancelInvitation>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let list = if rows.is_empty() {
        view! { <p class="text-sm text-muted">"No pending invitations."</p> }.into_any()
    } else {
        view! {
            <ul class="divide-y divide-line" data-testid="pending-invitations">
                {rows
                    .into_iter()
                    .map(|i| {
                        let (id_a, id_b) = (i.id.to_string(), i.id.to_string());
                        let scope = || {
                            slug.clone()
                                .map(|slug| {
                                    view! { <input type="hidden" name="slug" value=slug /> }
                                })
                        };
                        let (scope_a, scope_b) = (scope(), scope());
                        let resend_label = format!("Resend the invitation to {}", i.email);
                        let cancel_label = format!("Cancel the invitation to {}", i.email);
                        let details = details(&i);
                        view! {
                            <li class="flex flex-wrap items-center gap-3 py-3">
                                <span class="min-w-0 flex-1">
                                    <span class="block truncate font-medium">{i.email}</span>
                                    <span class="block text-xs text-muted">{details}</span>
                                </span>
                                <ActionForm action=resend>
                                    {scope_a} <input type="hidden" name="id" value=id_a />
                                    <Button
                                        kind="submit"
                                        size=Size::Small
                                        variant=Variant::Secondary
                                        label=resend_label
                                    >
                                        "Resend"
                                    </Button>
                                </ActionForm>
                                <ActionForm action=cancel>
                                    {scope_b} <input type="hidden" name="id" value=id_b />
                                    <Button
                                        kind="submit"
                                        size=Size::Small
                                        variant=Variant::Ghost
                                        label=cancel_label
                                    >
                                        "Cancel"
                                    </Button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <FormAlert message=Signal::derive(move || {
            form_error(resend.value()).get().or_else(|| form_error(cancel.value()).get())
        }) />
        {list}
    }
}

/// "admin · Dental, Ortho · invited by Ada · expires Dec 14 2026".
fn details(i: &PendingInvitation) -> String {
    let mut parts = vec![i.role.clone()];
    if !i.workspaces.is_empty() {
        parts.push(i.workspaces.join(", "));
    }
    if let Some(by) = &i.invited_by {
        parts.push(format!("invited by {by}"));
    }
    parts.push(if i.expired {
        "expired".to_owned()
    } else {
        use chrono::Datelike;
        format!(
            "expires {} {}",
            crate::text::month_day(&i.expires_at),
            i.expires_at.year()
        )
    });
    parts.join(" · ")
}
