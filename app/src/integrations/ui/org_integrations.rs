//! `/org/integrations`: the organisation's VAPI, Retell and Algolia connections. Keys are
//! checked with the provider before they are saved and never shown again (last four
//! characters only). Organisation owners and admins only.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::integrations::api::{
    AssignIntegration, CreateIntegration, DeleteIntegration, MakeDefaultIntegration,
    UpdateIntegration, integration_assignments, list_integrations,
};
use crate::integrations::model::{IntegrationSummary, Provider, WorkspaceAssignments};
use crate::org::frame::OrgFrame;

#[component]
pub fn OrgIntegrationsPage() -> impl IntoView {
    let assignments = Resource::new_blocking(|| (), |_| integration_assignments());
    let list = Resource::new_blocking(|| (), |_| list_integrations());
    view! {
        <Title text="Integrations" />
        <OrgFrame title="Integrations">
            <Suspense>
                {move || Suspend::new(async move {
                    let workspaces = assignments.await.unwrap_or_default();
                    match list.await {
                        Ok(rows) => view! { <Integrations rows workspaces /> }.into_any(),
                        Err(e) => crate::org::frame::refusal(e, "integrations"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

/// Every form here is a plain form: the server answers with this page again, showing the
/// change and saying what it did, or with the error beside the form that caused it.
#[component]
fn Integrations(
    rows: Vec<IntegrationSummary>,
    workspaces: Vec<WorkspaceAssignments>,
) -> impl IntoView {
    let make_default = ServerAction::<MakeDefaultIntegration>::new();
    let delete = ServerAction::<DeleteIntegration>::new();
    let assign = ServerAction::<AssignIntegration>::new();
    let update = ServerAction::<UpdateIntegration>::new();
    let errors = Signal::derive(move || {
        form_error(delete.value())
            .get()
            .or_else(|| form_error(make_default.value()).get())
            .or_else(|| form_error(assign.value()).get())
            .or_else(|| form_error(update.value()).get())
    });
    let listed = rows.clone();
    view! {
        <FormAlert message=errors />
        <Card
            title="Connected providers"
            description="Each workspace uses one integration per provider; new workspaces get the default."
        >
            <IntegrationList rows=listed make_default delete update />
        </Card>
        <Assignments rows workspaces assign />
        <AddIntegration />
    }
}

#[component]
fn IntegrationList(
    rows: Vec<IntegrationSummary>,
    make_default: ServerAction<MakeDefaultIntegration>,
    delete: ServerAction<DeleteIntegration>,
    update: ServerAction<UpdateIntegration>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <p class="text-sm text-muted" data-testid="no-integrations">
                "No provider is connected yet. Workspaces use the built-in Sandbox provider until you add one."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="divide-y divide-line" data-testid="integration-list">
            {rows
                .into_iter()
                .map(|i| {
                    let (id_a, id_b, id_c) = (i.id.to_string(), i.id.to_string(), i.id.to_string());
                    let edit_name = i.name.clone();
                    let edit_outbound = i.outbound_number.clone().unwrap_or_default();
                    let edit_calls = i.concurrent_calls.map(|n| n.to_string()).unwrap_or_default();
                    let has_outbound = i.provider != Provider::Algolia;
                    let remove_label = format!("Remove {}", i.name);
                    let row_name = i.name.clone();
                    let keys = match &i.public_last4 {
                        Some(p) => {
                            format!("Key ••••{} · public ••••{p}", i.secret_last4)
                        }
                        None => format!("Key ••••{}", i.secret_last4),
                    };
                    let keys = match &i.outbound_number {
                        Some(n) => format!("{keys} · calls from {n}"),
                        None => keys,
                    };
                    let keys = match i.concurrent_calls {
                        Some(n) => format!("{keys} · {n} calls at once"),
                        None => keys,
                    };
                    view! {
                        <li
                            class="flex flex-wrap items-center gap-3 py-3"
                            data-testid="integration-row"
                            data-name=row_name
                        >
                            <span class="min-w-0 flex-1">
                                <span class="block font-medium">
                                    {i.name.clone()}
                                    <span class="ml-2 text-xs text-muted">
                                        {i.provider.label()}
                                    </span>
                                </span>
                                <span class="block text-xs text-muted">
                                    {keys} {i.app_id.clone().map(|a| format!(" · app {a}"))}
                                    {format!(" · used by {} workspace(s)", i.assigned_workspaces)}
                                </span>
                            </span>
                            {i
                                .is_default
                                .then(|| view! { <Badge tone=Tone::Info>"Default"</Badge> })}
                            {(!i.is_default)
                                .then(|| {
                                    view! {
                                        <ActionForm action=make_default>
                                            <input type="hidden" name="id" value=id_a />
                                            <Button
                                                kind="submit"
                                                size=Size::Small
                                                variant=Variant::Secondary
                                            >
                                                "Make default"
                                            </Button>
                                        </ActionForm>
                                    }
                                })}
                            <ActionForm action=delete>
                                <input type="hidden" name="id" value=id_b />
                                <Button
                                    kind="submit"
                                    size=Size::Small
                                    variant=Variant::Ghost
                                    label=remove_label
                                >
                                    "Remove"
                                </Button>
                            </ActionForm>
                            <details class="w-full text-sm" data-testid="edit-integration">
                                <summary class="cursor-pointer text-brand-ink">
                                    "Edit name and outbound number"
                                </summary>
                                <ActionForm
                                    action=update
                                    attr:class="mt-3 grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end"
                                >
                                    <input type="hidden" name="id" value=id_c.clone() />
                                    // Ids of their own: the add form below uses the plain field names.
                                    <label class="space-y-1.5">
                                        <span class="block font-medium">"Name"</span>
                                        <input
                                            id=format!("edit-{id_c}-name")
                                            name="name"
                                            value=edit_name
                                            required=true
                                            class=crate::components::control_class(false)
                                        />
                                    </label>
                                    {if has_outbound {
                                        view! {
                                            <label class="space-y-1.5">
                                                <span class="block font-medium">
                                                    "Shared outbound number (empty for none)"
                                                </span>
                                                <input
                                                    id=format!("edit-{id_c}-outbound")
                                                    name="outbound_number"
                                                    value=edit_outbound
                                                    class=crate::components::control_class(false)
                                                />
                                            </label>
                                            <label class="space-y-1.5">
                                                <span class="block font-medium">
                                                    "Calls at once (the account's limit; empty for none)"
                                                </span>
                                                <input
                                                    id=format!("edit-{id_c}-calls")
                                                    name="calls_at_once"
                                                    type="number"
                                                    min="1"
                                                    max="1000"
                                                    value=edit_calls
                                                    class=crate::components::control_class(false)
                                                />
                                            </label>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <input type="hidden" name="outbound_number" value="" />
                                        }
                                            .into_any()
                                    }}
                                    <Button
                                        kind="submit"
                                        size=Size::Small
                                        variant=Variant::Secondary
                                    >
                                        "Save"
                                    </Button>
                                </ActionForm>
                            </details>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// A plain form. The fields only one provider uses are shown for it by the stylesheet
/// (`group-has-[…]`, the provider option chosen), so they follow the choice without script;
/// the server ignores what does not apply to the chosen provider.
#[component]
fn AddIntegration() -> impl IntoView {
    let create = ServerAction::<CreateIntegration>::new();
    let value = create.value();
    let options: Vec<(String, String)> = Provider::ALL
        .into_iter()
        .map(|p| (p.as_str().to_owned(), p.label().to_owned()))
        .collect();
    view! {
        <Card
            title="Add an integration"
            description="The key is checked with the provider before it is saved."
        >
            <ActionForm
                action=create
                attr:class="group space-y-4"
                attr:data-testid="add-integration"
            >
                <FormAlert message=form_error(value) />
                <div class="grid gap-4 sm:grid-cols-2">
                    <Select
                        label="Provider"
                        name="provider"
                        value="vapi".to_string()
                        options
                        error=field_error(value, "provider")
                    />
                    <TextField
                        label="Name"
                        name="name"
                        required=true
                        placeholder="Main account"
                        error=field_error(value, "name")
                    />
                </div>
                <div class="hidden group-has-[option[value=algolia]:checked]:block">
                    <TextField
                        label="Application id"
                        name="app_id"
                        error=field_error(value, "app_id")
                    />
                </div>
                <TextField
                    label="Secret key"
                    hint="VAPI: the private API key. Retell: the API key. Algolia: the admin API key."
                    name="secret_key"
                    kind="password"
                    autocomplete="off"
                    required=true
                    error=field_error(value, "secret_key")
                />
                <TextField
                    label="Public key (optional)"
                    name="public_key"
                    kind="password"
                    autocomplete="off"
                    hint="VAPI's public key starts browser test calls; Algolia's search-only key serves search."
                    error=field_error(value, "public_key")
                />
                <div class="group-has-[option[value=algolia]:checked]:hidden">
                    <TextField
                        label="Shared outbound number (optional)"
                        name="outbound_number"
                        hint="Test calls are placed from it. VAPI: the phone number's id; Retell: the number, like +14155550100."
                        error=field_error(value, "outbound_number")
                    />
                </div>
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="is_default" value="true" />
                    "Make it the default for new workspaces"
                </label>
                <Button kind="submit">"Check and save"</Button>
            </ActionForm>
        </Card>
    }
}

/// Which integration each workspace uses, changeable per provider.
#[component]
fn Assignments(
    rows: Vec<IntegrationSummary>,
    workspaces: Vec<WorkspaceAssignments>,
    assign: ServerAction<AssignIntegration>,
) -> impl IntoView {
    let providers: Vec<Provider> = Provider::ALL
        .into_iter()
        .filter(|p| rows.iter().any(|r| r.provider == *p))
        .collect();
    if providers.is_empty() || workspaces.is_empty() {
        return ().into_any();
    }
    let headers = providers.clone();
    view! {
        <Card
            title="Workspaces"
            description="Choose which integration each workspace uses. Agents sync with the new key on their next save or resync."
        >
            <div class="overflow-x-auto">
                <table class="w-full text-sm" data-testid="assignments">
                    <thead>
                        <tr class="text-left text-muted">
                            <th class="py-2 pr-4 font-medium">"Workspace"</th>
                            {headers
                                .into_iter()
                                .map(|p| {
                                    view! { <th class="py-2 pr-4 font-medium">{p.label()}</th> }
                                })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-line">
                        {workspaces
                            .into_iter()
                            .map(|w| {
                                let cells = providers
                                    .iter()
                                    .map(|p| {
                                        let p = *p;
                                        let current = w
                                            .assigned
                                            .iter()
                                            .find(|(q, _)| *q == p)
                                            .map(|(_, id)| id.to_string())
                                            .unwrap_or_default();
                                        let choices: Vec<IntegrationSummary> = rows
                                            .iter()
                                            .filter(|r| r.provider == p)
                                            .cloned()
                                            .collect();
                                        let workspace_id = w.workspace_id;
                                        let label = format!(
                                            "{} integration for {}",
                                            p.label(),
                                            w.workspace_name,
                                        );
                                        view! {
                                            <td class="py-2 pr-4">
                                                <ActionForm
                                                    action=assign
                                                    attr:class="flex items-center gap-2"
                                                >
                                                    <input
                                                        type="hidden"
                                                        name="workspace_id"
                                                        value=workspace_id.to_string()
                                                    />
                                                    <select
                                                        name="integration_id"
                                                        aria-label=label
                                                        class=crate::components::control_class(false)
                                                    >
                                                        {current
                                                            .is_empty()
                                                            .then(|| {
                                                                view! {
                                                                    <option value="" selected=true>
                                                                        "None"
                                                                    </option>
                                                                }
                                                            })}
                                                        {choices
                                                            .into_iter()
                                                            .map(|c| {
                                                                let id = c.id.to_string();
                                                                let selected = id == current;
                                                                view! {
                                                                    <option value=id selected=selected>
                                                                        {c.name}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                    <Button
                                                        kind="submit"
                                                        size=Size::Small
                                                        variant=Variant::Secondary
                                                    >
                                                        "Use"
                                                    </Button>
                                                </ActionForm>
                                            </td>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <tr
                                        data-testid="assignment-row"
                                        data-workspace=w.workspace_name.clone()
                                    >
                                        <td class="py-2 pr-4 font-medium">
                                            {w.workspace_name.clone()}
                                        </td>
                                        {cells}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Card>
    }
    .into_any()
}
