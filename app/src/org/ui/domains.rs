//! `/org/domains`: the organisation's own domains. Add one, create the two DNS records the
//! page shows (a CNAME to the platform, a TXT record with the token), verify, make it
//! primary (emails link to it), remove. Plain forms.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::org::api::{AddDomain, MakePrimaryDomain, RemoveDomain, VerifyDomain, list_domains};
use crate::org::frame::OrgFrame;
use crate::org::model::{DomainList, DomainRow};

#[component]
pub fn OrgDomainsPage() -> impl IntoView {
    let domains = Resource::new_blocking(|| (), |_| list_domains());
    view! {
        <Title text="Domains" />
        <OrgFrame title="Domains">
            <Suspense>
                {move || Suspend::new(async move {
                    match domains.await {
                        Ok(list) => view! { <Domains list /> }.into_any(),
                        Err(e) => crate::org::frame::refusal(e, "domains"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

#[component]
fn Domains(list: DomainList) -> impl IntoView {
    let add = ServerAction::<AddDomain>::new();
    let verify = ServerAction::<VerifyDomain>::new();
    let primary = ServerAction::<MakePrimaryDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let errors = Signal::derive(move || {
        form_error(primary.value())
            .get()
            .or_else(|| form_error(remove.value()).get())
    });
    let verify_error = field_error(verify.value(), "id");
    let empty = list.domains.is_empty();
    view! {
        <p class="text-sm text-muted">
            {match list.platform_address {
                Some(address) => {
                    format!(
                        "Your pages are always at {address}. Add a domain of your own and your clients sign in there instead.",
                    )
                }
                None => "The platform's own domains.".to_owned(),
            }}
        </p>
        <FormAlert message=errors />
        <FormAlert message=verify_error />
        <Card title="Add a domain">
            <ActionForm
                action=add
                attr:class="flex flex-wrap items-end gap-3"
                attr:data-testid="add-domain-form"
            >
                <div class="min-w-64 flex-1">
                    <TextField
                        label="Domain"
                        name="hostname"
                        placeholder="calls.youragency.com"
                        required=true
                        error=field_error(add.value(), "hostname")
                    />
                </div>
                <Button kind="submit">"Add domain"</Button>
            </ActionForm>
        </Card>
        {if empty {
            view! { <p class="text-sm text-muted">"No domain of your own yet."</p> }.into_any()
        } else {
            view! {
                <ul class="space-y-4" data-testid="domain-list">
                    {list
                        .domains
                        .into_iter()
                        .map(|d| view! { <Domain d verify primary remove /> })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}

#[component]
fn Domain(
    d: DomainRow,
    verify: ServerAction<VerifyDomain>,
    primary: ServerAction<MakePrimaryDomain>,
    remove: ServerAction<RemoveDomain>,
) -> impl IntoView {
    let id = d.id.to_string();
    let (verify_id, primary_id) = (id.clone(), id.clone());
    let state = if d.verified {
        view! { <Badge tone=Tone::Success>"Verified"</Badge> }.into_any()
    } else {
        view! { <Badge tone=Tone::Warning>"Not verified: serves nothing yet"</Badge> }.into_any()
    };
    let records = (!d.verified).then(|| {
        view! {
            <div class="space-y-2 text-sm">
                <p>"Create these records at your DNS provider, then verify:"</p>
                <table class="w-full text-left text-xs">
                    <thead class="text-muted">
                        <tr>
                            <th class="py-1">"Type"</th>
                            <th>"Name"</th>
                            <th>"Value"</th>
                        </tr>
                    </thead>
                    <tbody class="font-mono">
                        <tr>
                            <td class="py-1">"CNAME"</td>
                            <td>{d.hostname.clone()}</td>
                            <td>{d.cname_target.clone()}</td>
                        </tr>
                        <tr>
                            <td class="py-1">"TXT"</td>
                            <td data-testid="txt-name">{d.txt_name.clone()}</td>
                            <td data-testid="txt-value">{d.txt_value.clone()}</td>
                        </tr>
                    </tbody>
                </table>
                {d
                    .check_error
                    .clone()
                    .map(|why| {
                        view! {
                            <p class="text-danger" data-testid="check-error">
                                {why}
                            </p>
                        }
                    })}
            </div>
        }
    });
    view! {
        <li
            class="space-y-3 rounded-xl border border-line bg-surface p-4"
            data-testid="domain"
            data-hostname=d.hostname.clone()
        >
            <div class="flex flex-wrap items-center gap-3">
                <span class="flex-1 font-medium">{d.hostname.clone()}</span>
                {state}
                {d.is_primary.then(|| view! { <Badge tone=Tone::Brand>"Primary"</Badge> })}
            </div>
            {records}
            <div class="flex flex-wrap gap-2">
                {(!d.verified)
                    .then(|| {
                        view! {
                            <ActionForm action=verify>
                                <input type="hidden" name="id" value=verify_id />
                                <Button kind="submit" size=Size::Small>
                                    "Verify"
                                </Button>
                            </ActionForm>
                        }
                    })}
                {(d.verified && !d.is_primary)
                    .then(|| {
                        view! {
                            <ActionForm action=primary>
                                <input type="hidden" name="id" value=primary_id />
                                <Button kind="submit" variant=Variant::Secondary size=Size::Small>
                                    "Make primary"
                                </Button>
                            </ActionForm>
                        }
                    })} <ActionForm action=remove>
                    <input type="hidden" name="id" value=id.clone() />
                    <Button kind="submit" variant=Variant::Ghost size=Size::Small>
                        "Remove"
                    </Button>
                </ActionForm>
            </div>
        </li>
    }
}
