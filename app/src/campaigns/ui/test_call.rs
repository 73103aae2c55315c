//! A test call from a campaign's page: its agent calls one number with values chosen for
//! its placeholders (prefilled from the list's first recipient). Outside the page's live
//! regions, so news never wipes what is being typed.

use leptos::prelude::*;
use uuid::Uuid;

use super::super::api::TestCampaignCall;
use crate::components::button::{Button, Variant};
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;

#[component]
pub fn TestCall(slug: String, id: Uuid, values: Vec<(String, String)>) -> impl IntoView {
    let call = ServerAction::<TestCampaignCall>::new();
    let value_error = move |field: String| {
        Signal::derive(move || {
            call.value().with(|v| match v {
                Some(Err(e)) => e.field(&field).and_then(|m| m.first().cloned()),
                _ => None,
            })
        })
    };
    let empty = values.is_empty();
    view! {
        <details id="test-call" class="rounded-xl border border-line bg-surface p-5">
            <summary class="cursor-pointer text-sm font-semibold">"Test call"</summary>
            <p class="mt-2 text-sm text-muted">
                "The campaign's agent calls one number with the values below, as a recipient would hear it. Nobody on the list is called; the call is charged like any other."
            </p>
            <ActionForm action=call attr:class="mt-4 space-y-4" attr:data-testid="test-call-form">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=id.to_string() />
                <FormAlert message=form_error(call.value()) />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Number to call"
                        name="number"
                        kind="tel"
                        required=true
                        placeholder="+1 415 555 0100"
                        error=field_error(call.value(), "number")
                    />
                    <TextField
                        label="Their name (optional)"
                        name="name"
                        error=field_error(call.value(), "name")
                    />
                </div>
                {(!empty)
                    .then(|| {
                        view! {
                            <fieldset class="grid gap-4 sm:grid-cols-2">
                                <legend class="mb-2 text-sm font-medium">"Values"</legend>
                                {values
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, (name, value))| {
                                        view! {
                                            <input
                                                type="hidden"
                                                name=format!("values[{i}][name]")
                                                value=name.clone()
                                            />
                                            <TextField
                                                label=format!("{{{{{name}}}}}")
                                                name=format!("values[{i}][value]")
                                                value=value
                                                error=value_error(format!("values.{i}.value"))
                                            />
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })}
                <Button kind="submit" variant=Variant::Secondary>
                    "Place test call"
                </Button>
            </ActionForm>
        </details>
    }
}
