//! `/w/{slug}/members`: the workspace's people. Everyone sees who is here; owners and
//! admins also change roles, remove people, invite by email and manage pending invitations.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::access::permission::{WorkspacePermission, can_invite_as};
use crate::components::badge::{Badge, Tone};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::components::textarea::TextArea;
use crate::error::AppError;
use crate::invitations::api::{InviteToWorkspace, workspace_invitations};
use crate::invitations::model::PendingInvitation;
use crate::invitations::ui::pending::PendingInvitations;
use crate::members::api::{ChangeRole, RemoveMember, workspace_members};
use crate::members::model::WorkspaceMemberRow;
use crate::members::ui::controls::MemberControls;
use crate::tenancy::model::WorkspaceRole;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

#[component]
pub fn WorkspaceMembersPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let members = Resource::new(slug, workspace_members);
    // Pending invitations: only owners and admins may list them; others get none.
    let pending = Resource::new(slug, |slug| async move {
        Ok::<_, AppError>(workspace_invitations(slug).await.ok())
    });
    view! {
        <Title text="Team" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <Members
                            slug=overview.workspace.slug
                            role=overview.role
                            members=members.await?
                            pending=pending.await?
                        />
                    },
                )
            })}
        </Suspense>
    }
}

type Pending = Option<Vec<PendingInvitation>>;

/// Every form here is a plain form: the server answers with this page again, showing the
/// change and saying what it did, or with the error beside the form that caused it.
#[component]
fn Members(
    slug: String,
    role: WorkspaceRole,
    members: Vec<WorkspaceMemberRow>,
    pending: Pending,
) -> impl IntoView {
    let manage = role.can(WorkspacePermission::MembersManage);
    let change = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let errors = Signal::derive(move || {
        form_error(change.value())
            .get()
            .or_else(|| form_error(remove.value()).get())
    });
    let rows = {
        let slug = slug.clone();
        members
            .into_iter()
            .map(
                |m| view! { <MemberRowView member=m slug=slug.clone() actor=role change remove /> },
            )
            .collect_view()
    };
    view! {
        <div class="space-y-6" data-testid="members-page">
            <div>
                <h1 class="text-2xl font-bold tracking-tight">"Team"</h1>
                <p class="mt-1 text-sm text-muted">
                    {if manage {
                        "People in this workspace and their roles."
                    } else {
                        "People in this workspace. Only owners and admins can change the team."
                    }}
                </p>
            </div>
            <FormAlert message=errors />
            <Card title="Members">
                <ul class="divide-y divide-line" data-testid="member-list">
                    {rows}
                </ul>
            </Card>
            {manage
                .then(move || {
                    view! { <ManageInvitations slug role pending=pending.unwrap_or_default() /> }
                })}
        </div>
    }
}

#[component]
fn ManageInvitations(
    slug: String,
    role: WorkspaceRole,
    pending: Vec<PendingInvitation>,
) -> impl IntoView {
    let invite = ServerAction::<InviteToWorkspace>::new();
    let rows_slug = slug.clone();
    view! {
        <Card
            title="Invite someone"
            description="They get an email with a link that works once, for 7 days."
        >
            <ActionForm action=invite attr:class="space-y-4" attr:data-testid="invite-form">
                <FormAlert message=form_error(invite.value()) />
                <input type="hidden" name="slug" value=slug />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        required=true
                        error=field_error(invite.value(), "email")
                    />
                    <Select
                        label="Role"
                        name="role"
                        value="member".to_string()
                        options=invitable(role)
                        error=field_error(invite.value(), "role")
                    />
                </div>
                <TextArea
                    label="Message (optional)"
                    name="message"
                    rows=2
                    max_length=500
                    error=field_error(invite.value(), "message")
                />
                <Button kind="submit">"Send invitation"</Button>
            </ActionForm>
        </Card>
        <Card title="Pending invitations">
            <PendingInvitations rows=pending slug=rows_slug />
        </Card>
    }
}

#[component]
fn MemberRowView(
    member: WorkspaceMemberRow,
    slug: String,
    actor: WorkspaceRole,
    change: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    // Owners manage everyone; admins everyone below owner; nobody themselves.
    let can_manage = actor.can(WorkspacePermission::MembersManage)
        && !member.is_you
        && (actor == WorkspaceRole::Owner || member.role != WorkspaceRole::Owner);
    let current = member.role;
    view! {
        <li
            class="flex flex-wrap items-center gap-3 py-3"
            data-testid="member-row"
            data-email=member.email.clone()
        >
            <span class="min-w-0 flex-1">
                <span class="block truncate font-medium">
                    {member.name.clone()}
                    {member
                        .is_you
                        .then(|| view! { <span class="ml-1 text-xs text-muted">"(you)"</span> })}
                </span>
                <span class="block truncate text-xs text-muted">{member.email.clone()}</span>
            </span>
            {if can_manage {
                view! {
                    <MemberControls
                        member_id=member.member_id
                        email=member.email.clone()
                        current=current.as_str()
                        roles=invitable(actor)
                        slug
                        change
                        remove
                    />
                }
                    .into_any()
            } else {
                view! { <Badge tone=Tone::Neutral>{current.label()}</Badge> }.into_any()
            }}
        </li>
    }
}

/// Roles an actor may give: owners any, admins any but owner.
fn invitable(actor: WorkspaceRole) -> Vec<(String, String)> {
    WorkspaceRole::HIGHEST_FIRST
        .into_iter()
        .filter(|r| can_invite_as(actor, *r, WorkspaceRole::Admin, WorkspaceRole::Owner))
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect()
}
