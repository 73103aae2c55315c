//! `/w/{slug}/knowledge`: the knowledge base. Filter documents, write one or upload a .txt,
//! .md, .pdf or .docx file (read into a draft on the server, then checked here), edit and
//! delete. No island: the filters are a GET form, the editor opens at `?new` or
//! `?edit={id}`, and every action is a plain form the server answers with this page.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{DeleteDocument, get_document, list_documents};
use super::model::{DocumentDetail, DocumentDraft, DocumentStatus, DocumentSummary, DocumentType};
use crate::access::permission::WorkspacePermission;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant, button_class};
use crate::components::card::Card;
use crate::components::form::{FormAlert, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::AppError;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

mod form;
use form::{DocumentForm, UploadForm};

/// What the address asks the page to show.
#[derive(Debug, Clone, Default, PartialEq)]
struct View {
    search: String,
    document_type: String,
    status: String,
    /// The editor: closed, a new document, or one to edit.
    editor: Editor,
    upload_error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Editor {
    #[default]
    Closed,
    New,
    Edit(Uuid),
}

#[component]
pub fn KnowledgePage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let view_of = move || {
        let q = query.read();
        let editor = match q.get("edit").and_then(|i| Uuid::parse_str(&i).ok()) {
            Some(id) => Editor::Edit(id),
            None if q.get("new").is_some() || q.get("upload").is_some() => Editor::New,
            None => Editor::Closed,
        };
        View {
            search: q.get("q").unwrap_or_default(),
            document_type: q.get("type").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            editor,
            upload_error: q.get("upload_error"),
        }
    };
    let documents = Resource::new(
        move || (slug(), view_of()),
        |(s, v)| list_documents(s, v.search, v.document_type, v.status),
    );
    let editing = Resource::new(
        move || (slug(), view_of().editor),
        |(s, editor)| async move {
            match editor {
                Editor::Edit(id) => get_document(s, id).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    view! {
        <Title text="Knowledge Base" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let documents = documents.await?;
                let editing = editing.await;
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <Knowledge
                            slug=overview.workspace.slug.clone()
                            can_write=overview.role.can(WorkspacePermission::KnowledgeWrite)
                            can_delete=overview.role.can(WorkspacePermission::KnowledgeDelete)
                            documents
                            view=view_of()
                            editing
                        />
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
fn Knowledge(
    slug: String,
    can_write: bool,
    can_delete: bool,
    documents: Vec<DocumentSummary>,
    view: View,
    editing: Result<Option<DocumentDetail>, AppError>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteDocument>::new();
    let editor = match (can_write, view.editor, editing) {
        (false, ..) | (_, Editor::Closed, _) => None,
        (true, _, Err(e)) => Some(view! { <FormAlert message=Some(e.to_string()) /> }.into_any()),
        (true, Editor::Edit(_), Ok(Some(detail))) => Some(
            view! { <DocumentForm slug=slug.clone() id=Some(detail.id) draft=detail.draft /> }
                .into_any(),
        ),
        (true, _, Ok(_)) => Some(
            view! {
                <UploadForm slug=slug.clone() error=view.upload_error.clone() />
                <DocumentForm slug=slug.clone() id=None draft=DocumentDraft::default() />
            }
            .into_any(),
        ),
    };
    view! {
        <div class="space-y-6" data-testid="knowledge-page">
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight">"Knowledge Base"</h1>
                    <p class="mt-1 text-sm text-muted">
                        "Documents your agents answer from. Active documents linked to an agent are given to it with its prompt."
                    </p>
                </div>
                {can_write
                    .then(|| {
                        view! { <LinkButton href="?new#document-form">"New document"</LinkButton> }
                    })}
            </div>
            <FormAlert message=form_error(delete.value()) />
            {editor}
            <Filters slug=slug.clone() view=view.clone() />
            <DocumentList list=documents slug can_write can_delete delete />
        </div>
    }
}

/// A GET form: the filters are in the address, so a filtered list can be bookmarked.
#[component]
fn Filters(slug: String, view: View) -> impl IntoView {
    let any = |label: &str| (String::new(), label.to_owned());
    let filtered =
        !(view.search.is_empty() && view.document_type.is_empty() && view.status.is_empty());
    view! {
        <form
            method="get"
            action=format!("/w/{slug}/knowledge")
            role="search"
            class="grid items-end gap-4 sm:grid-cols-[1fr_1fr_1fr_auto]"
            data-testid="document-filters"
        >
            <TextField
                label="Search"
                name="q"
                kind="search"
                placeholder="Title, text or description"
                value=view.search
            />
            <Select
                label="Type"
                name="type"
                id="filter-type"
                value=view.document_type
                options=std::iter::once(any("All types"))
                    .chain(
                        DocumentType::ALL
                            .into_iter()
                            .map(|t| (t.as_str().to_owned(), t.label().to_owned())),
                    )
                    .collect()
            />
            <Select
                label="Status"
                name="status"
                id="filter-status"
                value=view.status
                options=std::iter::once(any("All statuses"))
                    .chain(
                        DocumentStatus::ALL
                            .into_iter()
                            .map(|s| (s.as_str().to_owned(), s.label().to_owned())),
                    )
                    .collect()
            />
            <div class="flex gap-2">
                <Button kind="submit" variant=Variant::Secondary>
                    "Filter"
                </Button>
                {filtered
                    .then(|| {
                        view! {
                            <LinkButton href=format!("/w/{slug}/knowledge") variant=Variant::Ghost>
                                "Clear"
                            </LinkButton>
                        }
                    })}
            </div>
        </form>
    }
}

#[component]
fn DocumentList(
    list: Vec<DocumentSummary>,
    slug: String,
    can_write: bool,
    can_delete: bool,
    delete: ServerAction<DeleteDocument>,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <Card>
                <p class="py-6 text-center text-sm text-muted" data-testid="no-documents">
                    "No documents match. Write one or upload a file."
                </p>
            </Card>
        }
        .into_any();
    }
    view! {
        <ul class="grid gap-4 md:grid-cols-2" data-testid="document-list">
            {list
                .into_iter()
                .map(|d| {
                    let id = d.id;
                    let slug = slug.clone();
                    let title = d.title.clone();
                    let confirm = format!("delete-document-{id}");
                    let tone = match d.status {
                        DocumentStatus::Active => Tone::Success,
                        DocumentStatus::Draft => Tone::Neutral,
                        DocumentStatus::Archived => Tone::Warning,
                    };
                    view! {
                        <li
                            class="rounded-xl border border-line bg-surface p-4 shadow-sm"
                            data-testid="document-card"
                            data-title=d.title.clone()
                        >
                            <div class="flex items-start justify-between gap-3">
                                <p class="font-semibold">{d.title.clone()}</p>
                                <Badge tone>{d.status.label()}</Badge>
                            </div>
                            <p class="mt-1 text-xs text-muted">
                                {format!(
                                    "{} · {} characters · used by {} agent(s)",
                                    d.document_type.label(),
                                    d.characters,
                                    d.agent_count,
                                )} {d.file_name.clone().map(|f| format!(" · from {f}"))}
                            </p>
                            <p class="mt-2 line-clamp-3 text-sm text-muted">{d.preview.clone()}</p>
                            {(!d.tags.is_empty())
                                .then(|| {
                                    let tags = d.tags.clone();
                                    view! {
                                        <div class="mt-2 flex flex-wrap gap-1">
                                            {tags
                                                .into_iter()
                                                .map(|t| view! { <Badge>{t}</Badge> })
                                                .collect_view()}
                                        </div>
                                    }
                                })}
                            <div class="mt-3 flex gap-2">
                                {can_write
                                    .then(|| {
                                        view! {
                                            <LinkButton
                                                href=format!("?edit={id}#document-form")
                                                size=Size::Small
                                                variant=Variant::Secondary
                                            >
                                                "Edit"
                                            </LinkButton>
                                        }
                                    })}
                                {can_delete
                                    .then(move || {
                                        view! {
                                            <button
                                                type="button"
                                                popovertarget=confirm.clone()
                                                class=button_class(Variant::Ghost, Size::Small)
                                            >
                                                "Delete"
                                            </button>
                                            <div
                                                popover
                                                id=confirm.clone()
                                                role="alertdialog"
                                                aria-label=format!("Delete {title}")
                                                class="m-auto w-[min(28rem,calc(100%-2rem))] rounded-xl border border-danger/40 bg-surface p-4 text-fg shadow-xl backdrop:bg-black/40"
                                            >
                                                <p class="text-sm font-medium">
                                                    {format!(
                                                        "Delete “{title}”? Agents linked to it stop getting it; this cannot be undone.",
                                                    )}
                                                </p>
                                                <div class="mt-3 flex gap-2">
                                                    <ActionForm action=delete>
                                                        <input type="hidden" name="slug" value=slug.clone() />
                                                        <input type="hidden" name="id" value=id.to_string() />
                                                        <Button
                                                            kind="submit"
                                                            size=Size::Small
                                                            variant=Variant::Danger
                                                        >
                                                            "Delete for good"
                                                        </Button>
                                                    </ActionForm>
                                                    <button
                                                        type="button"
                                                        popovertarget=confirm.clone()
                                                        popovertargetaction="hide"
                                                        class=button_class(Variant::Ghost, Size::Small)
                                                    >
                                                        "Keep it"
                                                    </button>
                                                </div>
                                            </div>
                                        }
                                    })}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }.into_any()
}
