//! A member's role and removal forms, the same on a workspace's team page and on the
//! organisation's.

use leptos::prelude::*;
use uuid::Uuid;

use crate::components::button::{Button, Size, Variant};
use crate::members::api::{ChangeRole, RemoveMember};

/// The role select with its Save button, and Remove, for one member: of the workspace
/// `slug` names, or of the organisation's team without it. `roles` are the ones the
/// viewer may give, as value and label; `current` the member's.
#[component]
pub fn MemberControls(
    member_id: Uuid,
    email: String,
    current: &'static str,
    roles: Vec<(String, String)>,
    #[prop(optional)] slug: Option<String>,
    change: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let scope = || {
        slug.clone()
            .map(|slug| view! { <input type="hidden" name="slug" value=slug /> })
    };
    let (scope_a, scope_b) = (scope(), scope());
    let (id_a, id_b) = (member_id.to_string(), member_id.to_string());
    let role_label = format!("Role of {email}");
    let remove_label = format!("Remove {email}");
    view! {
        <ActionForm action=change attr:class="flex items-center gap-2">
            {scope_a}
            <input type="hidden" name="member_id" value=id_a />
            <select
                name="role"
                aria-label=role_label
                class="rounded-lg border border-line bg-surface px-2 py-1 text-sm"
            >
                {roles
                    .into_iter()
                    .map(|(value, label)| {
                        let selected = value == current;
                        view! {
                            <option value=value selected=selected>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <Button kind="submit" size=Size::Small variant=Variant::Secondary>
                "Save"
            </Button>
        </ActionForm>
        <ActionForm action=remove>
            {scope_b} <input type="hidden" name="member_id" value=id_b />
            <Button kind="submit" size=Size::Small variant=Variant::Ghost label=remove_label>
                "Remove"
            </Button>
        </ActionForm>
    }
}
