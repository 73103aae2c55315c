//! `/w/{slug}/knowledge`: the knowledge base. Search and filter documents, write one or
//! upload a .txt, .md, .pdf or .docx file (the text is read out on the server and shown before
//! saving), edit, and delete.

use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::api::{
    CreateDocument, DeleteDocument, ExtractText, UpdateDocument, get_document, list_documents,
};
use super::model::{
    DocumentDraft, DocumentStatus, DocumentSummary, DocumentType, validate_document,
};
use crate::access::permission::WorkspacePermission;
use crate::agents::ui::form::error_for;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, FormNotice, form_error};
use crate::components::input::TextField;
use crate::components::refresh::refreshed;
use crate::components::select::Select;
use crate::error::{AppError, FieldErrors};
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateDocument>,
    update: ServerAction<UpdateDocument>,
    delete: ServerAction<DeleteDocument>,
    extract: ServerAction<ExtractText>,
}

#[component]
pub fn KnowledgePage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let documents = Resource::new(slug, |s| {
        list_documents(s, String::new(), String::new(), String::new())
    });
    view! {
        <Title text="Knowledge Base"/>
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                Ok::<_, AppError>(view! {
                    <Knowledge
                        slug=overview.workspace.slug.clone()
                        can_write=overview.role.can(WorkspacePermission::KnowledgeWrite)
                        can_delete=overview.role.can(WorkspacePermission::KnowledgeDelete)
                        documents=documents.await?
                    />
                })
            })}
        </Suspense>
    }
}

/// The page is one island: search, the editor and the list work together.
#[island(lazy)]
fn Knowledge(
    slug: String,
    can_write: bool,
    can_delete: bool,
    documents: Vec<DocumentSummary>,
) -> impl IntoView {
    let actions = Actions {
        create: ServerAction::new(),
        update: ServerAction::new(),
        delete: ServerAction::new(),
        extract: ServerAction::new(),
    };
    let search = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let documents = refreshed(
        documents,
        {
            let slug = slug.clone();
            move || {
                (
                    slug.clone(),
                    search.get(),
                    kind.get(),
                    status.get(),
                    actions.create.version().get(),
                    actions.update.version().get(),
                    actions.delete.version().get(),
                )
            }
        },
        |(s, q, k, st, ..)| list_documents(s, q, k, st),
    );
    // The document being edited (None: the form is closed; Some(None): a new one), and its
    // text once loaded.
    let editing = RwSignal::new(None::<Option<Uuid>>);
    let loaded = RwSignal::new(None::<(Option<Uuid>, DocumentDraft)>);
    let load_slug = slug.clone();
    Effect::new(move |_| match editing.get() {
        None => loaded.set(None),
        Some(None) => loaded.set(Some((None, DocumentDraft::default()))),
        Some(Some(id)) => {
            let slug = load_slug.clone();
            leptos::task::spawn_local(async move {
                if let Ok(d) = get_document(slug, id).await {
                    loaded.set(Some((Some(id), d.draft)));
                }
            });
        }
    });
    let slug_form = slug.clone();
    view! {
        <div class="space-y-6" data-testid="knowledge-page">
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight">"Knowledge Base"</h1>
                    <p class="mt-1 text-sm text-muted">"Documents your agents answer from. Active documents linked to an agent are given to it with its prompt."</p>
                </div>
                {can_write.then(|| view! { <Button on_click=Callback::new(move |_| editing.set(Some(None)))>"New document"</Button> })}
            </div>
            <FormAlert message=form_error(actions.delete.value())/>
            {move || actions.update.value().get().and_then(Result::ok).filter(|n| *n > 0).map(|n| view! {
                <FormNotice>{format!("Saved. {n} agent(s) using it are marked for a resync.")}</FormNotice>
            })}
            {move || loaded.get().map(|(id, draft)| {
                view! { <DocumentForm slug=slug_form.clone() id draft actions editing/> }
            })}
            <div class="grid gap-4 sm:grid-cols-3">
                <TextField label="Search" name="kb-search" kind="search" placeholder="Title, text or description" on_input=Callback::new(move |v| search.set(v))/>
                <Select label="Type" name="kb-type" value=String::new() on_change=Callback::new(move |v| kind.set(v))
                    options=std::iter::once((String::new(), "All types".to_owned())).chain(DocumentType::ALL.into_iter().map(|t| (t.as_str().to_owned(), t.label().to_owned()))).collect()/>
                <Select label="Status" name="kb-status" value=String::new() on_change=Callback::new(move |v| status.set(v))
                    options=std::iter::once((String::new(), "All statuses".to_owned())).chain(DocumentStatus::ALL.into_iter().map(|s| (s.as_str().to_owned(), s.label().to_owned()))).collect()/>
            </div>
            {move || view! { <DocumentList list=documents.get() slug=slug.clone() can_write can_delete editing delete=actions.delete/> }}
        </div>
    }
}

#[component]
fn DocumentList(
    list: Vec<DocumentSummary>,
    slug: String,
    can_write: bool,
    can_delete: bool,
    editing: RwSignal<Option<Option<Uuid>>>,
    delete: ServerAction<DeleteDocument>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <Card><p class="py-6 text-center text-sm text-muted" data-testid="no-documents">"No documents match. Write one or upload a file."</p></Card> }.into_any();
    }
    let confirm = RwSignal::new(None::<Uuid>);
    view! {
        <ul class="grid gap-4 md:grid-cols-2" data-testid="document-list">
            {list.into_iter().map(|d| {
                let id = d.id;
                let slug = slug.clone();
                let tone = match d.status { DocumentStatus::Active => Tone::Success, DocumentStatus::Draft => Tone::Neutral, DocumentStatus::Archived => Tone::Warning };
                view! {
                    <li class="rounded-xl border border-line bg-surface p-4 shadow-sm" data-testid="document-card" data-title=d.title.clone()>
                        <div class="flex items-start justify-between gap-3">
                            <p class="font-semibold">{d.title.clone()}</p>
                            <Badge tone>{d.status.label()}</Badge>
                        </div>
                        <p class="mt-1 text-xs text-muted">
                            {format!("{} · {} characters · used by {} agent(s)", d.document_type.label(), d.characters, d.agent_count)}
                            {d.file_name.clone().map(|f| format!(" · from {f}"))}
                        </p>
                        <p class="mt-2 line-clamp-3 text-sm text-muted">{d.preview.clone()}</p>
                        {(!d.tags.is_empty()).then(|| {
                            let tags = d.tags.clone();
                            view! { <div class="mt-2 flex flex-wrap gap-1">{tags.into_iter().map(|t| view! { <Badge>{t}</Badge> }).collect_view()}</div> }
                        })}
                        <div class="mt-3 flex gap-2">
                            {can_write.then(|| view! { <Button size=Size::Small variant=Variant::Secondary on_click=Callback::new(move |_| editing.set(Some(Some(id))))>"Edit"</Button> })}
                            {can_delete.then(|| view! {
                                <Show when=move || confirm.get() == Some(id)
                                    fallback=move || view! { <Button size=Size::Small variant=Variant::Ghost on_click=Callback::new(move |_| confirm.set(Some(id)))>"Delete"</Button> }>
                                    {
                                        let slug = slug.clone();
                                        view! {
                                            <Button size=Size::Small variant=Variant::Danger loading=delete.pending()
                                                on_click=Callback::new(move |_| { delete.dispatch(DeleteDocument { slug: slug.clone(), id }); })>"Delete for good"</Button>
                                        }
                                    }
                                </Show>
                            })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

#[component]
fn DocumentForm(
    slug: String,
    id: Option<Uuid>,
    draft: DocumentDraft,
    actions: Actions,
    editing: RwSignal<Option<Option<Uuid>>>,
) -> impl IntoView {
    let draft = RwSignal::new(draft);
    let errors = RwSignal::new(FieldErrors::new());
    let alert = RwSignal::new(None::<String>);
    let tab = RwSignal::new("write");
    let err = move |f: &str| error_for(errors, f.to_owned());
    let Actions {
        create,
        update,
        extract,
        ..
    } = actions;
    // A saved document closes the form; a refused one shows its messages.
    let handle = move |result: Result<(), AppError>| match result {
        Ok(()) => editing.set(None),
        Err(AppError::Validation { fields, .. }) => errors.set(fields),
        Err(e) => alert.set(Some(e.to_string())),
    };
    Effect::new(move |_| {
        if let Some(r) = create.value().get() {
            handle(r.map(|_| ()));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = update.value().get() {
            handle(r.map(|_| ()));
        }
    });
    // Text read out of an upload fills the form.
    Effect::new(move |_| match extract.value().get() {
        Some(Ok(found)) => {
            draft.update(|d| {
                d.content = found.text.clone();
                if d.title.trim().is_empty() {
                    d.title = found.suggested_title.clone();
                }
                d.source = Some(found.source.clone());
            });
            errors.update(|e| {
                e.remove("file");
                e.remove("content");
            });
            tab.set("write");
        }
        Some(Err(AppError::Validation { fields, .. })) => errors.update(|e| e.extend(fields)),
        Some(Err(e)) => alert.set(Some(e.to_string())),
        None => {}
    });
    let save = {
        let slug = slug.clone();
        move |_| {
            alert.set(None);
            let d = draft.get_untracked();
            let found = validate_document(&d);
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            match id {
                Some(id) => {
                    update.dispatch(UpdateDocument {
                        slug: slug.clone(),
                        id,
                        draft: d,
                    });
                }
                None => {
                    create.dispatch(CreateDocument {
                        slug: slug.clone(),
                        draft: d,
                    });
                }
            }
        }
    };
    let upload_slug = slug.clone();
    let on_file = move |ev: leptos::ev::Event| {
        let _ = (&ev, &upload_slug);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let slug = upload_slug.clone();
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                read_file(input, errors, move |file_name, data_base64| {
                    extract.dispatch(ExtractText {
                        slug: slug.clone(),
                        file_name,
                        data_base64,
                    });
                });
            }
        }
    };
    let pending = Signal::derive(move || create.pending().get() || update.pending().get());
    view! {
        <Card title=if id.is_some() { "Edit document" } else { "New document" }>
            <div class="space-y-4" data-testid="document-form">
                <FormAlert message=alert/>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField label="Title" name="doc-title" required=true error=err("title")
                        value=Signal::derive(move || draft.with(|d| d.title.clone()))
                        on_input=Callback::new(move |v| draft.update(|d| d.title = v))/>
                    <Select label="Type" name="doc-type" value=Signal::derive(move || draft.with(|d| d.document_type.as_str().to_owned()))
                        options=DocumentType::ALL.into_iter().map(|t| (t.as_str().to_owned(), t.label().to_owned())).collect()
                        on_change=Callback::new(move |v: String| if let Some(t) = DocumentType::parse(&v) { draft.update(|d| d.document_type = t) })/>
                    <TextField label="Description" name="doc-description" error=err("description")
                        value=Signal::derive(move || draft.with(|d| d.description.clone()))
                        on_input=Callback::new(move |v| draft.update(|d| d.description = v))/>
                    <Select label="Status" name="doc-status" value=Signal::derive(move || draft.with(|d| d.status.as_str().to_owned()))
                        options=DocumentStatus::ALL.into_iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect()
                        on_change=Callback::new(move |v: String| if let Some(s) = DocumentStatus::parse(&v) { draft.update(|d| d.status = s) })/>
                    <TextField label="Category" name="doc-category" error=err("category")
                        value=Signal::derive(move || draft.with(|d| d.category.clone()))
                        on_input=Callback::new(move |v| draft.update(|d| d.category = v))/>
                    <TextField label="Tags" name="doc-tags" hint="Separate with commas." error=err("tags")
                        value=Signal::derive(move || draft.with(|d| d.tags.join(", ")))
                        on_input=Callback::new(move |v: String| draft.update(|d| d.tags = v.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect()))/>
                </div>
                <div role="tablist" class="flex gap-2">
                    {[("write", "Write content"), ("upload", "Upload file")].into_iter().map(|(key, label)| view! {
                        <button type="button" role="tab" aria-selected=move || if tab.get() == key { "true" } else { "false" }
                            class=move || format!("rounded-lg px-3 py-1.5 text-sm font-medium {}", if tab.get() == key { "bg-brand/10 text-brand-ink" } else { "text-muted hover:text-fg" })
                            on:click=move |_| tab.set(key)>{label}</button>
                    }).collect_view()}
                </div>
                <Show when=move || tab.get() == "upload">
                    <div class="space-y-1.5">
                        <label for="field-doc-file" class="block text-sm font-medium">"File (.txt, .md, .pdf or .docx, up to 10 MB)"</label>
                        <input id="field-doc-file" type="file" accept=".txt,.md,.markdown,.pdf,.docx,text/plain,text/markdown,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                            class="block text-sm" on:change=on_file.clone()/>
                        <Show when=move || extract.pending().get()><p class="text-xs text-muted">"Reading the file…"</p></Show>
                        {move || err("file").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
                    </div>
                </Show>
                {move || draft.with(|d| d.source.clone()).map(|s| view! {
                    <p class="text-xs text-muted" data-testid="document-source">{format!("Text from {} ({} KB)", s.name, (s.size_bytes + 1023) / 1024)}</p>
                })}
                <div class="space-y-1.5">
                    <label for="field-doc-content" class="block text-sm font-medium">"Content" <span class="text-danger" aria-hidden="true">" *"</span></label>
                    <textarea id="field-doc-content" rows="10"
                        aria-invalid=move || err("content").get().is_some().then_some("true")
                        class=move || crate::components::control_class(err("content").get().is_some())
                        prop:value=move || draft.with(|d| d.content.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.content = v) }></textarea>
                    {move || err("content").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
                </div>
                <div class="flex gap-2">
                    <Button loading=pending on_click=Callback::new(save)>"Save document"</Button>
                    <Button variant=Variant::Ghost on_click=Callback::new(move |_| editing.set(None))>"Cancel"</Button>
                </div>
            </div>
        </Card>
    }
}

/// Reads the chosen file as base64 (refusing files over 10 MB before sending anything).
#[cfg(feature = "hydrate")]
fn read_file(
    input: web_sys::HtmlInputElement,
    errors: RwSignal<FieldErrors>,
    done: impl FnOnce(String, String) + 'static,
) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    if file.size() > super::model::MAX_UPLOAD_BYTES as f64 {
        errors.update(|e| {
            e.insert(
                "file".into(),
                vec![
                    "The file is larger than 10 MB. Split it or paste the part the agent needs."
                        .into(),
                ],
            );
        });
        return;
    }
    let Ok(reader) = web_sys::FileReader::new() else {
        return;
    };
    let name = file.name();
    let source = reader.clone();
    let onload = Closure::once(move |_: web_sys::ProgressEvent| {
        // The form may be gone by the time a large file is read: then nothing is sent.
        if errors.try_get_untracked().is_none() {
            return;
        }
        if let Some(url) = source.result().ok().and_then(|r| r.as_string()) {
            let data = url
                .split_once(',')
                .map(|(_, d)| d.to_owned())
                .unwrap_or_default();
            done(name, data);
        }
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    let _ = reader.read_as_data_url(&file);
}
