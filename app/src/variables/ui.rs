//! `/w/{slug}/settings`: the workspace's settings. For now its address and its custom
//! variables: the standard ones (locked) and the workspace's own, which owners and admins
//! add, edit and delete, with quick-add suggestions.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{DeleteVariable, SaveVariable, list_variables};
use super::model::{Variable, VariableCategory, WorkspaceVariable, standard_variables};
use crate::access::permission::WorkspacePermission;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant, button_class};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::AppError;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

const SUGGESTIONS: [(&str, &str); 5] = [
    ("product_interest", "What the contact is interested in"),
    ("appointment_date", "When the appointment is"),
    ("account_balance", "What the contact owes"),
    ("referral_source", "How the contact found you"),
    ("preferred_time", "When the contact prefers to be called"),
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let variables = Resource::new(slug, list_variables);
    view! {
        <Title text="Settings" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let list = variables.await?;
                let can_edit = overview.role.can(WorkspacePermission::SettingsUpdate);
                let slug = overview.workspace.slug.clone();
                let open = if can_edit {
                    Editing::from_query(&query.read_untracked(), &list)
                } else {
                    None
                };
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <div class="space-y-6" data-testid="settings-page">
                            <div>
                                <h1 class="text-2xl font-bold tracking-tight">"Settings"</h1>
                                <p class="mt-1 text-sm text-muted">
                                    {format!("{} · /w/{}", overview.workspace.name, slug)}
                                </p>
                            </div>
                            <crate::tenancy::ui::general::WorkspaceGeneral
                                overview=overview.clone()
                                can_edit
                            />
                            <Variables list slug can_edit open />
                        </div>
                    },
                )
            })}
        </Suspense>
    }
}

/// The variable form the address asks for: `?edit={id}` an existing one, `?add` a new one,
/// `?add={name}` a new one from a suggestion.
#[derive(Clone)]
struct Editing {
    id: Option<Uuid>,
    variable: Variable,
}

impl Editing {
    fn from_query(
        query: &leptos_router::params::ParamsMap,
        list: &[WorkspaceVariable],
    ) -> Option<Self> {
        if let Some(id) = query.get("edit").and_then(|id| Uuid::parse_str(&id).ok()) {
            return list.iter().find(|v| v.id == id).map(|v| Self {
                id: Some(id),
                variable: v.variable.clone(),
            });
        }
        let name = query.get("add")?;
        let mut variable = blank(&name);
        if let Some((_, description)) = SUGGESTIONS.iter().find(|(n, _)| *n == name) {
            variable.description = (*description).into();
        }
        Some(Self { id: None, variable })
    }
}

/// The variables, with links that open the form (the page again, with `?edit` or `?add`)
/// and plain forms that save and delete: the server answers with this page, the list
/// showing the change, or with the error beside the form.
#[component]
fn Variables(
    list: Vec<WorkspaceVariable>,
    slug: String,
    can_edit: bool,
    open: Option<Editing>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteVariable>::new();
    let here = format!("/w/{slug}/settings");
    let taken: Vec<String> = list.iter().map(|v| v.variable.name.clone()).collect();
    let rows = list
        .into_iter()
        .map(|v| {
            let edit = format!("{here}?edit={}", v.id);
            let id = v.id.to_string();
            let slug = slug.clone();
            let delete_label = format!("Delete {}", v.variable.name);
            view! {
                <li
                    class="flex flex-wrap items-center gap-3 py-2 text-sm"
                    data-testid="workspace-variable"
                    data-name=v.variable.name.clone()
                >
                    <code class="font-medium">{format!("{{{{{}}}}}", v.variable.name)}</code>
                    <span class="flex-1 text-muted">
                        {v.variable.description.clone()}
                        {(!v.variable.default_value.is_empty())
                            .then(|| format!(" · default “{}”", v.variable.default_value))}
                    </span>
                    <Badge tone=Tone::Info>{v.variable.category.label()}</Badge>
                    {v
                        .variable
                        .is_required
                        .then(|| view! { <Badge tone=Tone::Warning>"Required"</Badge> })}
                    {can_edit
                        .then(|| {
                            view! {
                                <a href=edit class=button_class(Variant::Ghost, Size::Small)>
                                    "Edit"
                                </a>
                                <ActionForm action=delete>
                                    <input type="hidden" name="slug" value=slug />
                                    <input type="hidden" name="id" value=id />
                                    <Button
                                        kind="submit"
                                        size=Size::Small
                                        variant=Variant::Ghost
                                        label=delete_label
                                    >
                                        "Delete"
                                    </Button>
                                </ActionForm>
                            }
                        })}
                </li>
            }
        })
        .collect_view();
    let adding = {
        let here = here.clone();
        can_edit.then(move || view! {
            <div class="flex flex-wrap items-center gap-2">
                <a href=format!("{here}?add") class=button_class(Variant::Secondary, Size::Medium)>
                    "Add variable"
                </a>
                <span class="text-xs text-muted">"Quick add:"</span>
                {SUGGESTIONS
                    .iter()
                    .filter(|(n, _)| !taken.iter().any(|t| t == n))
                    .map(|(name, _)| {
                        view! {
                            <a
                                href=format!("{here}?add={name}")
                                class="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                            >
                                <Badge tone=Tone::Brand>{format!("+ {name}")}</Badge>
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        })
    };
    view! {
        <Card
            title="Custom variables"
            description="Use {{name}} in prompts and greetings; campaigns fill them per call from their lists. Defaults apply when a call has no value."
        >
            <div class="space-y-4">
                <FormAlert message=form_error(delete.value()) />
                <ul class="divide-y divide-line" data-testid="variable-list">
                    {standard_variables()
                        .into_iter()
                        .map(|v| {
                            view! {
                                <li class="flex items-center gap-3 py-2 text-sm">
                                    <code class="font-medium">{format!("{{{{{}}}}}", v.name)}</code>
                                    <span class="flex-1 text-muted">{v.description}</span>
                                    <Badge>"Standard"</Badge>
                                </li>
                            }
                        })
                        .collect_view()}
                    {rows}
                </ul>
                {adding}
                {open.map(|o| view! { <VariableForm slug editing=o back=here /> })}
            </div>
        </Card>
    }
}

/// Adds or changes one variable; a plain form, whose server function sends the browser back
/// to the settings page once it is saved.
#[component]
fn VariableForm(slug: String, editing: Editing, back: String) -> impl IntoView {
    let save = ServerAction::<SaveVariable>::new();
    let value = save.value();
    let Editing { id, variable } = editing;
    view! {
        <ActionForm
            action=save
            attr:class="space-y-3 rounded-lg border border-line p-4"
            attr:data-testid="variable-form"
        >
            <FormAlert message=form_error(value) />
            <input type="hidden" name="slug" value=slug />
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField
                    label="Name"
                    name="name"
                    value=variable.name
                    hint="Lowercase letters, digits and _, like appointment_date."
                    required=true
                    error=field_error(value, "name")
                />
                <Select
                    label="Category"
                    name="category"
                    value=variable.category.as_str().to_owned()
                    options=VariableCategory::EDITABLE
                        .into_iter()
                        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
                        .collect()
                    error=field_error(value, "category")
                />
                <TextField
                    label="Description"
                    name="description"
                    value=variable.description
                    error=field_error(value, "description")
                />
                <TextField
                    label="Default value"
                    name="default_value"
                    value=variable.default_value
                    error=field_error(value, "default_value")
                />
            </div>
            <label class="flex items-center gap-2 text-sm">
                <input
                    type="checkbox"
                    name="is_required"
                    value="true"
                    checked=variable.is_required
                />
                "Required in campaign lists"
            </label>
            <div class="flex gap-2">
                <Button kind="submit">"Save variable"</Button>
                <a href=back class=button_class(Variant::Ghost, Size::Medium)>
                    "Cancel"
                </a>
            </div>
        </ActionForm>
    }
}

fn blank(name: &str) -> Variable {
    Variable {
        name: name.into(),
        description: String::new(),
        default_value: String::new(),
        is_required: false,
        category: VariableCategory::Custom,
    }
}
