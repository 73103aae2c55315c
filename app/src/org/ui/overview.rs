//! `/org`: the organisation at a glance for its owners and admins: figures, the
//! workspaces (who owns them, members, agents, this month's calls, credit or billed to the
//! organisation, integrations), the team with their places, and the forms to create a
//! workspace, give someone a place in one, and choose who pays for a workspace's minutes.
//! Server-rendered; every form is a plain form.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::billing::model::dollars;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant, button_class};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::components::stat_card::StatCard;
use crate::components::table::Table;
use crate::org::api::{PlaceMember, SetBillingExempt, get_org_overview};
use crate::org::frame::OrgFrame;
use crate::org::model::{OrgOverview, OverviewPerson, OverviewWorkspace};
use crate::tenancy::api::CreateWorkspace;
use crate::tenancy::model::WorkspaceRole;

#[component]
pub fn OrgOverviewPage() -> impl IntoView {
    let overview = Resource::new_blocking(|| (), |_| get_org_overview());
    view! {
        <Title text="Organization" />
        <OrgFrame title="Organization">
            <Suspense>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview /> }.into_any(),
                        Err(e) => crate::org::frame::refusal(e, "the organization"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

#[component]
fn Overview(overview: OrgOverview) -> impl IntoView {
    let OrgOverview {
        kpis,
        workspaces,
        team,
        room_for_workspace,
        max_workspaces,
        can_bill,
    } = overview;
    let exempt = ServerAction::<SetBillingExempt>::new();
    let figure = |n: i64| Signal::stored(n.to_string());
    let workspace_choices: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a workspace".to_owned()))
            .chain(
                workspaces
                    .iter()
                    .map(|w| (w.id.to_string(), w.name.clone())),
            )
            .collect();
    let people: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose someone".to_owned()))
            .chain(
                team.iter()
                    .map(|p| (p.user_id.to_string(), format!("{} ({})", p.name, p.email))),
            )
            .collect();
    let limit_note = max_workspaces
        .map(|max| format!("{} of {max} in your plan", kpis.workspaces))
        .unwrap_or_else(|| "No limit in your plan".into());
    let no_workspaces = workspaces.is_empty();
    view! {
        <section aria-label="Key figures" class="grid gap-4 sm:grid-cols-3">
            <StatCard label="Workspaces" value=figure(kpis.workspaces as i64) note=limit_note />
            <StatCard label="Team members" value=figure(kpis.members as i64) />
            <StatCard label="Agents" value=figure(kpis.agents as i64) />
            <StatCard label="Calls this month" value=figure(kpis.calls_this_month) />
            <StatCard label="Minutes this month" value=figure(kpis.minutes_this_month) />
            <StatCard
                label="Credit across workspaces"
                value=Signal::stored(dollars(kpis.credit_cents))
                note="Workspaces billed to the organization are not counted"
            />
        </section>
        <FormAlert message=form_error(exempt.value()) />
        <Table
            caption="The organization's workspaces"
            headers=vec![
                "Workspace",
                "Owners",
                "People",
                "Agents",
                "This month",
                "Billing",
                "Integrations",
                "",
            ]
            empty=no_workspaces
            empty_title="No workspace yet"
            empty_message="Create the first one below."
        >
            {workspaces
                .iter()
                .cloned()
                .map(|w| view! { <WorkspaceRow w can_bill exempt /> })
                .collect_view()}
        </Table>
        <div class="grid gap-6 lg:grid-cols-2">
            <CreateWorkspaceForm room=room_for_workspace />
            <PlaceMemberForm people workspaces=workspace_choices />
        </div>
        <Card
            title="Team"
            description="Organization owners and admins open every workspace as admins; members only where they are placed."
        >
            <ul class="divide-y divide-line" data-testid="overview-team">
                {team.into_iter().map(|p| view! { <PersonRow p /> }).collect_view()}
            </ul>
            <a
                href="/org/team"
                class="mt-3 inline-block text-sm text-brand-ink underline underline-offset-2"
            >
                "Roles, removals and invitations"
            </a>
        </Card>
    }
}

#[component]
fn WorkspaceRow(
    w: OverviewWorkspace,
    can_bill: bool,
    exempt: ServerAction<SetBillingExempt>,
) -> impl IntoView {
    let billing = if w.billing_exempt {
        view! { <Badge tone=Tone::Info>"Billed to the organization"</Badge> }.into_any()
    } else {
        view! { <span>{format!("{} credit", dollars(w.credit_cents))}</span> }.into_any()
    };
    let toggle = can_bill.then(|| {
        let (label, next) = if w.billing_exempt {
            ("Bill to its own credit", "false")
        } else {
            ("Bill to the organization", "true")
        };
        view! {
            <ActionForm action=exempt attr:class="inline">
                <input type="hidden" name="workspace_id" value=w.id.to_string() />
                <input type="hidden" name="exempt" value=next />
                <Button kind="submit" variant=Variant::Ghost size=Size::Small>
                    {label}
                </Button>
            </ActionForm>
        }
    });
    let owners = if w.owners.is_empty() {
        "—".to_owned()
    } else {
        w.owners.join(", ")
    };
    let integrations = if w.integrations.is_empty() {
        "None".to_owned()
    } else {
        w.integrations.join(", ")
    };
    view! {
        <tr data-testid="overview-workspace" data-slug=w.slug.clone()>
            <td class="px-4 py-3">
                <span class="block font-medium">{w.name.clone()}</span>
                <span class="block text-xs text-muted">{format!("/w/{}", w.slug)}</span>
            </td>
            <td class="px-4 py-3">{owners}</td>
            <td class="px-4 py-3">{w.members}</td>
            <td class="px-4 py-3">{w.agents}</td>
            <td class="px-4 py-3 whitespace-nowrap">
                {format!("{} calls · {} min", w.calls_this_month, w.minutes_this_month)}
            </td>
            <td class="px-4 py-3">{billing} {toggle}</td>
            <td class="px-4 py-3 text-xs">
                <a href="/org/integrations" class="text-brand-ink underline underline-offset-2">
                    {integrations}
                </a>
            </td>
            <td class="px-4 py-3">
                <a
                    href=format!("/w/{}", w.slug)
                    class=button_class(Variant::Secondary, Size::Small)
                >
                    "Open"
                </a>
            </td>
        </tr>
    }
}

#[component]
fn PersonRow(p: OverviewPerson) -> impl IntoView {
    let email = p.email.clone();
    view! {
        <li class="flex flex-wrap items-center gap-3 py-3" data-email=email>
            <span class="min-w-0 flex-1">
                <span class="block truncate font-medium">{p.name}</span>
                <span class="block truncate text-xs text-muted">{p.email}</span>
            </span>
            <Badge tone=Tone::Neutral>{p.role.label()}</Badge>
            <span class="flex flex-wrap gap-1">
                {p
                    .workspaces
                    .into_iter()
                    .map(|(name, role)| {
                        view! {
                            <Badge tone=Tone::Brand>{format!("{name} · {}", role.label())}</Badge>
                        }
                    })
                    .collect_view()}
            </span>
        </li>
    }
}

#[component]
fn CreateWorkspaceForm(room: bool) -> impl IntoView {
    let create = ServerAction::<CreateWorkspace>::new();
    view! {
        <Card
            title="Create a workspace"
            description="You own it; the organization's default integrations are assigned to it."
        >
            {if room {
                view! {
                    <ActionForm
                        action=create
                        attr:class="space-y-4"
                        attr:data-testid="create-workspace-form"
                    >
                        <FormAlert message=form_error(create.value()) />
                        <TextField
                            label="Name"
                            name="name"
                            required=true
                            error=field_error(create.value(), "name")
                        />
                        <TextField
                            label="Description (optional)"
                            name="description"
                            error=field_error(create.value(), "description")
                        />
                        <Button kind="submit">"Create workspace"</Button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <p class="text-sm text-muted">
                        "Your plan's workspaces are all in use: delete one, or ask the platform for a larger plan."
                    </p>
                }
                    .into_any()
            }}
        </Card>
    }
}

#[component]
fn PlaceMemberForm(
    people: Vec<(String, String)>,
    workspaces: Vec<(String, String)>,
) -> impl IntoView {
    let place = ServerAction::<PlaceMember>::new();
    let roles: Vec<(String, String)> = WorkspaceRole::HIGHEST_FIRST
        .into_iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    view! {
        <Card
            title="Give a team member a workspace"
            description="Or change their role there. To bring in someone new, invite them from the team page."
        >
            <ActionForm action=place attr:class="space-y-4" attr:data-testid="place-member-form">
                <FormAlert message=form_error(place.value()) />
                <Select
                    label="Team member"
                    name="user_id"
                    options=people
                    error=field_error(place.value(), "user_id")
                />
                <Select
                    label="Workspace"
                    name="workspace_id"
                    options=workspaces
                    error=field_error(place.value(), "workspace_id")
                />
                <Select
                    label="Role"
                    name="role"
                    options=roles
                    value="member".to_string()
                    error=field_error(place.value(), "role")
                />
                <Button kind="submit">"Save"</Button>
            </ActionForm>
        </Card>
    }
}
