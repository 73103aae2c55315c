//! `/org/team`: the organisation's team (roles, removal), team invitations that can grant
//! workspaces, and client invitations. Organisation owners and admins only.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::access::permission::can_invite_as;
use crate::components::badge::{Badge, Tone};
use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::components::textarea::TextArea;
use crate::invitations::api::{InviteClient, InviteToTeam, org_invitations};
use crate::invitations::model::PendingInvitation;
use crate::invitations::ui::pending::PendingInvitations;
use crate::members::api::{ChangeRole, RemoveMember, org_workspaces, team_members};
use crate::members::model::{TeamMemberRow, WorkspaceChoice};
use crate::members::ui::controls::MemberControls;
use crate::org::frame::OrgFrame;
use crate::tenancy::model::PartnerRole;

#[component]
pub fn OrgTeamPage() -> impl IntoView {
    let team = Resource::new_blocking(|| (), |_| team_members());
    let workspaces = Resource::new_blocking(|| (), |_| org_workspaces());
    let team_invites = Resource::new_blocking(|| (), |_| org_invitations("partner".into()));
    let client_invites = Resource::new_blocking(|| (), |_| org_invitations("client".into()));
    view! {
        <Title text="Organization team" />
        <OrgFrame title="Organization team">
            <Suspense>
                {move || Suspend::new(async move {
                    match team.await {
                        Ok(list) => {
                            view! {
                                <TeamSections
                                    list
                                    workspaces=workspaces.await.unwrap_or_default()
                                    team_invites=team_invites.await.unwrap_or_default()
                                    client_invites=client_invites.await.unwrap_or_default()
                                />
                            }
                                .into_any()
                        }
                        Err(e) => crate::org::frame::refusal(e, "the team"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

/// Every form here is a plain form: the server answers with this page again, showing the
/// change and saying what it did, or with the error beside the form that caused it.
#[component]
fn TeamSections(
    list: Vec<TeamMemberRow>,
    workspaces: Vec<WorkspaceChoice>,
    team_invites: Vec<PendingInvitation>,
    client_invites: Vec<PendingInvitation>,
) -> impl IntoView {
    let actor = list
        .iter()
        .find(|m| m.is_you)
        .map_or(PartnerRole::Admin, |m| m.role);
    let change = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let errors = Signal::derive(move || {
        form_error(change.value())
            .get()
            .or_else(|| form_error(remove.value()).get())
    });
    view! {
        <FormAlert message=errors />
        <Card title="Members">
            <ul class="divide-y divide-line" data-testid="team-list">
                {list
                    .into_iter()
                    .map(|m| view! { <TeamRow member=m actor change remove /> })
                    .collect_view()}
            </ul>
        </Card>
        <InviteTeam actor workspaces pending=team_invites />
        <InviteClients pending=client_invites />
    }
}

#[component]
fn TeamRow(
    member: TeamMemberRow,
    actor: PartnerRole,
    change: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let can_manage =
        !member.is_you && (actor == PartnerRole::Owner || member.role != PartnerRole::Owner);
    let current = member.role;
    view! {
        <li
            class="flex flex-wrap items-center gap-3 py-3"
            data-testid="team-row"
            data-email=member.email.clone()
        >
            <span class="min-w-0 flex-1">
                <span class="block truncate font-medium">
                    {member.name.clone()}{member.is_you.then_some(" (you)")}
                </span>
                <span class="block truncate text-xs text-muted">
                    {member.email.clone()}
                    {(!member.workspaces.is_empty())
                        .then(|| format!(" · {}", member.workspaces.join(", ")))}
                </span>
            </span>
            {if can_manage {
                view! {
                    <MemberControls
                        member_id=member.member_id
                        email=member.email.clone()
                        current=current.as_str()
                        roles=roles(actor)
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

#[component]
fn InviteTeam(
    actor: PartnerRole,
    workspaces: Vec<WorkspaceChoice>,
    pending: Vec<PendingInvitation>,
) -> impl IntoView {
    let invite = ServerAction::<InviteToTeam>::new();
    view! {
        <Card
            title="Invite to the team"
            description="Organization admins can open every workspace; members only those they are given."
        >
            <ActionForm action=invite attr:class="space-y-4" attr:data-testid="team-invite-form">
                <FormAlert message=form_error(invite.value()) />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        required=true
                        error=field_error(invite.value(), "email")
                    />
                    <Select
                        label="Organization role"
                        name="role"
                        value="member".to_string()
                        options=roles(actor)
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
                <fieldset class="space-y-2">
                    <legend class="text-sm font-medium">"Also give access to workspaces"</legend>
                    {workspaces
                        .into_iter()
                        .enumerate()
                        .map(|(i, w)| {
                            let id = w.id;
                            view! {
                                <label class="flex items-center gap-3 text-sm">
                                    <span class="flex-1">{w.name.clone()}</span>
                                    <select
                                        name=format!("workspace_grants[{i}]")
                                        aria-label=format!("Access to {}", w.name)
                                        class="rounded border border-line bg-surface px-2 py-1 text-sm"
                                    >
                                        <option value="">"No access"</option>
                                        <option value=format!("{id}:member")>"Member"</option>
                                        <option value=format!("{id}:admin")>"Admin"</option>
                                        <option value=format!("{id}:viewer")>"Viewer"</option>
                                    </select>
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="text-xs text-muted">
                        {field_error(invite.value(), "workspace_grants")}
                    </p>
                </fieldset>
                <Button kind="submit">"Send invitation"</Button>
            </ActionForm>
            <Pending rows=pending />
        </Card>
    }
}

#[component]
fn InviteClients(pending: Vec<PendingInvitation>) -> impl IntoView {
    let invite = ServerAction::<InviteClient>::new();
    view! {
        <Card
            title="Invite a client"
            description="Your client creates an account and gets a workspace of their own."
        >
            <ActionForm action=invite attr:class="space-y-4" attr:data-testid="client-invite-form">
                <FormAlert message=form_error(invite.value()) />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        required=true
                        error=field_error(invite.value(), "email")
                    />
                    <TextField
                        label="Workspace name (optional)"
                        name="workspace_name"
                        error=field_error(invite.value(), "workspace_name")
                    />
                </div>
                <TextArea
                    label="Message (optional)"
                    name="message"
                    rows=2
                    max_length=500
                    error=field_error(invite.value(), "message")
                />
                <Button kind="submit">"Invite client"</Button>
            </ActionForm>
            <Pending rows=pending />
        </Card>
    }
}

/// Pending organisation invitations of one kind, under the form that issues them.
#[component]
fn Pending(rows: Vec<PendingInvitation>) -> impl IntoView {
    view! {
        <div class="mt-6 border-t border-line pt-4">
            <h3 class="mb-2 text-sm font-semibold">"Pending"</h3>
            <PendingInvitations rows />
        </div>
    }
}

fn roles(actor: PartnerRole) -> Vec<(String, String)> {
    PartnerRole::HIGHEST_FIRST
        .into_iter()
        .filter(|r| can_invite_as(actor, *r, PartnerRole::Admin, PartnerRole::Owner))
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect()
}
