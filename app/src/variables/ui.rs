//! `/w/{slug}/settings`: the workspace's settings. For now its address and its custom
//! variables: the standard ones (locked) and the workspace's own, which owners and admins
//! add, edit and delete, with quick-add suggestions.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{DeleteVariable, SaveVariable, list_variables};
use super::model::{Variable, VariableCategory, WorkspaceVariable, standard_variables};
use crate::access::permission::WorkspacePermission;
use crate::agents::ui::form::error_for;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, form_error};
use crate::components::input::TextField;
use crate::components::refresh::refreshed;
use crate::components::select::Select;
use crate::error::{AppError, FieldErrors};
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
    let slug = move || params.read().get("slug").unwrap_or_default();
    let variables = Resource::new(slug, list_variables);
    view! {
        <Title text="Settings"/>
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let list = variables.await?;
                let can_edit = overview.role.can(WorkspacePermission::SettingsUpdate);
                let slug = overview.workspace.slug.clone();
                Ok::<_, AppError>(view! {
                    <div class="space-y-6" data-testid="settings-page">
                        <div>
                            <h1 class="text-2xl font-bold tracking-tight">"Settings"</h1>
                            <p class="mt-1 text-sm text-muted">{format!("{} · /w/{}", overview.workspace.name, slug)}</p>
                        </div>
                        <Variables list slug can_edit/>
                    </div>
                })
            })}
        </Suspense>
    }
}

/// The variables and their editor, one island: a saved variable shows in the list at once.
#[island(lazy)]
fn Variables(list: Vec<WorkspaceVariable>, slug: String, can_edit: bool) -> impl IntoView {
    let save = ServerAction::<SaveVariable>::new();
    let delete = ServerAction::<DeleteVariable>::new();
    let list = refreshed(
        list,
        {
            let slug = slug.clone();
            move || (slug.clone(), save.version().get(), delete.version().get())
        },
        |(s, ..)| list_variables(s),
    );
    move || view! { <VariableEditor list=list.get() slug=slug.clone() can_edit save delete/> }
}

#[component]
fn VariableEditor(
    list: Vec<WorkspaceVariable>,
    slug: String,
    can_edit: bool,
    save: ServerAction<SaveVariable>,
    delete: ServerAction<DeleteVariable>,
) -> impl IntoView {
    // The variable being edited: None closed, Some(None) new, Some(Some(id)) existing.
    let editing = RwSignal::new(None::<Option<Uuid>>);
    let draft = RwSignal::new(blank(""));
    let errors = RwSignal::new(FieldErrors::new());
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            editing.set(None);
            errors.set(FieldErrors::new());
        }
        Some(Err(AppError::Validation { fields, .. })) => errors.set(fields),
        _ => {}
    });
    let taken: Vec<String> = list.iter().map(|v| v.variable.name.clone()).collect();
    let open = move |id: Option<Uuid>, variable: Variable| {
        errors.set(FieldErrors::new());
        draft.set(variable);
        editing.set(Some(id));
    };
    let err = move |f: &str| error_for(errors, f.to_owned());
    let submit = {
        let slug = slug.clone();
        move |_| {
            if let Some(id) = editing.get_untracked() {
                save.dispatch(SaveVariable {
                    slug: slug.clone(),
                    id,
                    variable: draft.get_untracked(),
                });
            }
        }
    };
    view! {
        <Card title="Custom variables" description="Use {{name}} in prompts and greetings; campaigns fill them per call from their lists. Defaults apply when a call has no value.">
            <div class="space-y-4">
                <FormAlert message=form_error(delete.value())/>
                <ul class="divide-y divide-line" data-testid="variable-list">
                    {standard_variables().into_iter().map(|v| view! {
                        <li class="flex items-center gap-3 py-2 text-sm">
                            <code class="font-medium">{format!("{{{{{}}}}}", v.name)}</code>
                            <span class="flex-1 text-muted">{v.description}</span>
                            <Badge>"Standard"</Badge>
                        </li>
                    }).collect_view()}
                    {list.into_iter().map(|v| {
                        let id = v.id;
                        let variable = v.variable.clone();
                        let slug = slug.clone();
                        view! {
                            <li class="flex flex-wrap items-center gap-3 py-2 text-sm" data-testid="workspace-variable" data-name=v.variable.name.clone()>
                                <code class="font-medium">{format!("{{{{{}}}}}", v.variable.name)}</code>
                                <span class="flex-1 text-muted">
                                    {v.variable.description.clone()}
                                    {(!v.variable.default_value.is_empty()).then(|| format!(" · default “{}”", v.variable.default_value))}
                                </span>
                                <Badge tone=Tone::Info>{v.variable.category.label()}</Badge>
                                {v.variable.is_required.then(|| view! { <Badge tone=Tone::Warning>"Required"</Badge> })}
                                {can_edit.then(|| view! {
                                    <Button size=Size::Small variant=Variant::Ghost on_click=Callback::new(move |_| open(Some(id), variable.clone()))>"Edit"</Button>
                                    <Button size=Size::Small variant=Variant::Ghost label=format!("Delete {}", v.variable.name)
                                        on_click=Callback::new(move |_| { delete.dispatch(DeleteVariable { slug: slug.clone(), id }); })>"Delete"</Button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {can_edit.then(|| view! {
                    <div class="flex flex-wrap items-center gap-2">
                        <Button variant=Variant::Secondary on_click=Callback::new(move |_| open(None, blank("")))>"Add variable"</Button>
                        <span class="text-xs text-muted">"Quick add:"</span>
                        {SUGGESTIONS.iter().filter(|(n, _)| !taken.iter().any(|t| t == n)).map(|(name, description)| {
                            let mut v = blank(name);
                            v.description = (*description).into();
                            view! {
                                <button type="button" class="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand"
                                    on:click=move |_| open(None, v.clone())><Badge tone=Tone::Brand>{format!("+ {name}")}</Badge></button>
                            }
                        }).collect_view()}
                    </div>
                })}
                <Show when=move || editing.get().is_some()>
                    {
                        let submit = submit.clone();
                        view! {
                            <div class="space-y-3 rounded-lg border border-line p-4" data-testid="variable-form">
                                <div class="grid gap-3 sm:grid-cols-2">
                                    <TextField label="Name" name="variable-name" hint="Lowercase letters, digits and _, like appointment_date." error=err("name")
                                        value=Signal::derive(move || draft.with(|d| d.name.clone()))
                                        on_input=Callback::new(move |v| draft.update(|d| d.name = v))/>
                                    <Select label="Category" name="variable-category"
                                        value=Signal::derive(move || draft.with(|d| d.category.as_str().to_owned()))
                                        options=VariableCategory::EDITABLE.into_iter().map(|c| (c.as_str().to_owned(), c.label().to_owned())).collect()
                                        on_change=Callback::new(move |v: String| if let Some(c) = VariableCategory::parse(&v) { draft.update(|d| d.category = c) })
                                        error=err("category")/>
                                    <TextField label="Description" name="variable-description" error=err("description")
                                        value=Signal::derive(move || draft.with(|d| d.description.clone()))
                                        on_input=Callback::new(move |v| draft.update(|d| d.description = v))/>
                                    <TextField label="Default value" name="variable-default" error=err("default_value")
                                        value=Signal::derive(move || draft.with(|d| d.default_value.clone()))
                                        on_input=Callback::new(move |v| draft.update(|d| d.default_value = v))/>
                                </div>
                                <label class="flex items-center gap-2 text-sm">
                                    <input type="checkbox" prop:checked=move || draft.with(|d| d.is_required)
                                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.is_required = on) }/>
                                    "Required in campaign lists"
                                </label>
                                <div class="flex gap-2">
                                    <Button loading=save.pending() on_click=Callback::new(submit.clone())>"Save variable"</Button>
                                    <Button variant=Variant::Ghost on_click=Callback::new(move |_| editing.set(None))>"Cancel"</Button>
                                </div>
                            </div>
                        }
                    }
                </Show>
            </div>
        </Card>
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
