//! Do-not-call lists on the pages: a workspace's (on its campaigns page, with its
//! organisation's shown) and the organisation's own (`/org/do-not-call`): add one, import
//! a file, export, remove. Plain forms; the server answers with the page again.

use leptos::prelude::*;
use leptos_meta::Title;

use super::super::api::list_org_do_not_call;
use super::super::model::{DNC_SHOWN, DncEntry, DncList, DncSource};
use crate::components::button::{Button, Variant};
use crate::components::input::TextField;
use crate::components::table::Table;
use crate::org::frame::OrgFrame;

/// Whose list a section shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListPlace {
    /// A workspace's, by its slug.
    Workspace(String),
    Organisation,
}

impl ListPlace {
    fn add_action(&self) -> &'static str {
        match self {
            Self::Workspace(_) => "/api/dnc/add",
            Self::Organisation => "/api/dnc/org-add",
        }
    }

    fn remove_action(&self) -> &'static str {
        match self {
            Self::Workspace(_) => "/api/dnc/remove",
            Self::Organisation => "/api/dnc/org-remove",
        }
    }

    fn import_action(&self) -> String {
        match self {
            Self::Workspace(slug) => format!("/w/{slug}/do-not-call/import"),
            Self::Organisation => "/org/do-not-call/import".into(),
        }
    }

    fn export_href(&self) -> String {
        match self {
            Self::Workspace(slug) => format!("/w/{slug}/do-not-call.csv"),
            Self::Organisation => "/org/do-not-call.csv".into(),
        }
    }

    /// The hidden field naming the workspace, for the workspace's forms.
    fn slug_field(&self) -> Option<AnyView> {
        match self {
            Self::Workspace(slug) => {
                Some(view! { <input type="hidden" name="slug" value=slug.clone() /> }.into_any())
            }
            Self::Organisation => None,
        }
    }

    /// Whether an entry is this list's own (removable here).
    fn owns(&self, entry: &DncEntry) -> bool {
        entry.organisation == (*self == Self::Organisation)
    }
}

#[component]
pub fn OrgDoNotCallPage() -> impl IntoView {
    let entries = Resource::new_blocking(|| (), |_| list_org_do_not_call());
    view! {
        <Title text="Do not call" />
        <OrgFrame title="Do not call">
            <Suspense>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) => {
                            view! {
                                <DoNotCallList
                                    place=ListPlace::Organisation
                                    can_add=true
                                    can_remove=true
                                    list
                                />
                            }
                                .into_any()
                        }
                        Err(e) => crate::org::frame::refusal(e, "the do-not-call list"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

#[component]
pub fn DoNotCallList(
    place: ListPlace,
    can_add: bool,
    can_remove: bool,
    list: DncList,
) -> impl IntoView {
    let DncList { entries, total } = list;
    let empty = entries.is_empty();
    let partial = total > entries.len() as u64;
    let organisation = place == ListPlace::Organisation;
    let intro = if organisation {
        "Numbers here are never called by any campaign of any workspace of the organisation, checked again before every call."
    } else {
        "Numbers here are never called by any campaign, checked again before every call. People who ask on a call not to be called again are added by themselves."
    };
    let forms = can_add.then(|| {
        view! {
            <form
                method="post"
                action=place.add_action()
                class="grid items-end gap-3 sm:grid-cols-[1fr_1fr_auto]"
            >
                {place.slug_field()}
                <TextField
                    label="Number"
                    name="phone"
                    id="dnc-phone"
                    placeholder="+1 415 555 0100"
                />
                <TextField label="Reason" name="reason" id="dnc-reason" />
                <Button kind="submit" variant=Variant::Secondary>
                    "Add to list"
                </Button>
            </form>
            <form
                method="post"
                action=place.import_action()
                enctype="multipart/form-data"
                class="flex flex-wrap items-end gap-3"
                data-testid="dnc-import"
            >
                <div>
                    <label class="block text-sm font-medium" for="dnc-file">
                        "Import numbers (.csv)"
                    </label>
                    <input
                        id="dnc-file"
                        name="file"
                        type="file"
                        accept=".csv,text/csv"
                        required
                        class="mt-1 block text-sm"
                    />
                </div>
                <p class="max-w-sm text-xs text-muted">
                    "One number per row, with or without a header (a phone column, and a reason column if you like). National numbers are read as US numbers."
                </p>
                <Button kind="submit" variant=Variant::Secondary>
                    "Import"
                </Button>
            </form>
        }
    });
    view! {
        <section id="do-not-call" class="mt-10 space-y-3" data-testid="do-not-call">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h2 class="text-lg font-semibold">
                    {if organisation {
                        "The organisation's do-not-call list"
                    } else {
                        "Do-not-call list"
                    }}
                </h2>
                <a href=place.export_href() class="text-sm text-brand-ink hover:underline">
                    "Export (CSV)"
                </a>
            </div>
            <p class="text-sm text-muted">{intro}</p>
            {forms}
            {partial
                .then(|| {
                    view! {
                        <p class="text-sm text-muted" data-testid="dnc-partial">
                            {format!(
                                "Showing the newest {DNC_SHOWN} of each list: {total} numbers in all. The export has every one.",
                            )}
                        </p>
                    }
                })}
            <Table
                caption="Do-not-call numbers"
                headers=vec!["Number", "Why", "Added", ""]
                empty=empty
                empty_title="No numbers on the list"
            >
                {entries
                    .clone()
                    .into_iter()
                    .map(|e| {
                        let why = e
                            .reason
                            .clone()
                            .unwrap_or_else(|| {
                                match e.source {
                                    DncSource::Request => "Asked on a call",
                                    DncSource::Import => "Imported",
                                    DncSource::Manual => "Added by hand",
                                }
                                    .to_owned()
                            });
                        let scope = if e.organisation && !organisation {
                            " (organisation)"
                        } else {
                            ""
                        };
                        let remove = (can_remove && place.owns(&e))
                            .then(|| {
                                view! {
                                    <form method="post" action=place.remove_action()>
                                        {place.slug_field()}
                                        <input type="hidden" name="phone" value=e.phone.clone() />
                                        <button
                                            type="submit"
                                            class="text-xs text-danger hover:underline"
                                        >
                                            "Remove"
                                            <span class="sr-only">{format!(" {}", e.phone)}</span>
                                        </button>
                                    </form>
                                }
                            });
                        view! {
                            <tr data-testid="dnc-row" data-phone=e.phone.clone()>
                                <td class="px-4 py-3 tabular-nums">
                                    {format!("{}{scope}", e.phone)}
                                </td>
                                <td class="px-4 py-3 text-muted">{why}</td>
                                <td class="px-4 py-3 text-muted">
                                    {e.created_at.format("%Y-%m-%d").to_string()}
                                </td>
                                <td class="px-4 py-3">{remove}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </Table>
        </section>
    }
}
