//! The workspace settings page's first section: its name, description and time zone
//! (its campaigns' default), changed by its owners and admins with a plain form; read
//! only for everyone else.

use leptos::prelude::*;

use crate::components::button::Button;
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::components::textarea::TextArea;
use crate::tenancy::api::UpdateWorkspace;
use crate::tenancy::model::{COMMON_ZONES, WorkspaceOverview};

#[component]
pub fn WorkspaceGeneral(overview: WorkspaceOverview, can_edit: bool) -> impl IntoView {
    let zone = overview.time_zone.clone().unwrap_or_default();
    if !can_edit {
        return view! {
            <Card title="General">
                <dl class="grid gap-2 text-sm sm:grid-cols-3" data-testid="workspace-general">
                    <dt class="text-muted">"Name"</dt>
                    <dd class="sm:col-span-2">{overview.workspace.name.clone()}</dd>
                    <dt class="text-muted">"Time zone"</dt>
                    <dd class="sm:col-span-2">
                        {if zone.is_empty() { "Not chosen".to_owned() } else { zone.clone() }}
                    </dd>
                </dl>
            </Card>
        }
        .into_any();
    }
    let save = ServerAction::<UpdateWorkspace>::new();
    let value = save.value();
    let mut zones: Vec<(String, String)> = vec![(String::new(), "Choose a time zone".into())];
    if !zone.is_empty() && !COMMON_ZONES.contains(&zone.as_str()) {
        zones.push((zone.clone(), zone.clone()));
    }
    zones.extend(
        COMMON_ZONES
            .iter()
            .map(|z| ((*z).to_owned(), z.replace('_', " "))),
    );
    view! {
        <Card
            title="General"
            description="The workspace's address stays /w/{slug} whatever its name."
        >
            <ActionForm action=save attr:class="space-y-4" attr:data-testid="workspace-general">
                <FormAlert message=form_error(value) />
                <input type="hidden" name="slug" value=overview.workspace.slug.clone() />
                <TextField
                    label="Name"
                    name="name"
                    value=overview.workspace.name.clone()
                    required=true
                    error=field_error(value, "name")
                />
                <TextArea
                    label="Description"
                    name="description"
                    rows=2
                    max_length=1000
                    value=overview.workspace.description.clone().unwrap_or_default()
                    error=field_error(value, "description")
                />
                <Select
                    label="Time zone"
                    name="time_zone"
                    options=zones
                    value=zone
                    error=field_error(value, "time_zone")
                />
                <p class="text-xs text-muted">"New campaigns start in this zone."</p>
                <Button kind="submit">"Save"</Button>
            </ActionForm>
        </Card>
    }
    .into_any()
}
