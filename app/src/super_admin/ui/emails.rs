//! `/super-admin/emails`: every email the product sends, with example values, in an
//! organisation's brand: subject, sender, the HTML as a mail client shows it (in a
//! sandboxed frame: no script runs) and the plain text.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::button::{Button, Size, Variant};
use crate::super_admin::api::email_previews;
use crate::super_admin::model::{EmailPreview, EmailPreviews};
use crate::super_admin::ui::ConsoleFrame;

#[component]
pub fn EmailsPage() -> impl IntoView {
    let query = use_query_map();
    let chosen = move || {
        query
            .read()
            .get("organisation")
            .and_then(|id| uuid::Uuid::parse_str(&id).ok())
    };
    let previews = Resource::new_blocking(chosen, email_previews);
    view! {
        <Title text="Emails" />
        <ConsoleFrame title="Emails">
            <Suspense>
                {move || Suspend::new(async move {
                    match previews.await {
                        Ok(previews) => view! { <Previews previews /> }.into_any(),
                        Err(e) => crate::super_admin::ui::refusal(e),
                    }
                })}
            </Suspense>
        </ConsoleFrame>
    }
}

#[component]
fn Previews(previews: EmailPreviews) -> impl IntoView {
    let current = previews.organisation.clone();
    view! {
        <form method="get" action="/super-admin/emails" class="flex flex-wrap items-end gap-3">
            <label class="space-y-1 text-sm">
                <span class="block font-medium">"In the brand of"</span>
                <select
                    name="organisation"
                    class="rounded border border-line bg-surface px-2 py-1.5 text-sm"
                >
                    {previews
                        .organisations
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = name == current;
                            view! {
                                <option value=id.to_string() selected=selected>
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <Button kind="submit" variant=Variant::Secondary size=Size::Small>
                "Show"
            </Button>
        </form>
        <ul class="space-y-6" data-testid="email-previews">
            {previews.emails.into_iter().map(|email| view! { <Preview email /> }).collect_view()}
        </ul>
    }
}

#[component]
fn Preview(email: EmailPreview) -> impl IntoView {
    let kind = email.kind.as_str();
    view! {
        <li
            class="space-y-2 rounded-xl border border-line bg-surface p-4"
            data-testid="email-preview"
            data-kind=kind
        >
            <p class="font-mono text-xs text-muted">{kind}</p>
            <p class="font-semibold">{email.subject.clone()}</p>
            <p class="text-xs text-muted">{format!("From {}", email.from)}</p>
            <iframe
                title=format!("{}: {}", kind, email.subject)
                srcdoc=email.html
                sandbox=""
                class="h-96 w-full rounded border border-line bg-white"
            ></iframe>
            <details>
                <summary class="cursor-pointer text-sm">"Plain text"</summary>
                <pre class="whitespace-pre-wrap text-xs">{email.text}</pre>
            </details>
        </li>
    }
}
