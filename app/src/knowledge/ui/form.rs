//! The knowledge page's forms: reading a file into a draft, and writing or editing a document.

use crate::components::button::{Button, LinkButton, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::knowledge::api::SaveDocument;
use crate::knowledge::model::{DocumentDraft, DocumentStatus, DocumentType};
use leptos::prelude::*;
use uuid::Uuid;

/// Reads a file into a new draft document (`upload::handler`), then opens it here.
#[component]
pub(super) fn UploadForm(slug: String, error: Option<String>) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <Card
            title="Start from a file"
            description="A .txt, .md, .pdf or .docx file up to 10 MB. Its text is saved as a draft for you to check."
        >
            <form
                id="upload"
                method="post"
                enctype="multipart/form-data"
                action=format!("/w/{slug}/knowledge/upload")
                class="flex flex-wrap items-end gap-3"
                data-testid="upload-form"
            >
                <div class="min-w-0 flex-1 space-y-1.5">
                    <label for="field-doc-file" class="block text-sm font-medium">
                        "File"
                    </label>
                    <input
                        id="field-doc-file"
                        name="file"
                        type="file"
                        required
                        accept=".txt,.md,.markdown,.pdf,.docx,text/plain,text/markdown,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                        aria-invalid=invalid.then_some("true")
                        aria-describedby=invalid.then_some("field-doc-file-error")
                        class="block w-full text-sm"
                    />
                    {error
                        .map(|e| {
                            view! {
                                <p
                                    id="field-doc-file-error"
                                    class="text-xs font-medium text-danger"
                                    role="alert"
                                    data-testid="upload-error"
                                >
                                    {e}
                                </p>
                            }
                        })}
                </div>
                <Button kind="submit" variant=Variant::Secondary>
                    "Read file"
                </Button>
            </form>
        </Card>
    }
}

#[component]
pub(super) fn DocumentForm(slug: String, id: Option<Uuid>, draft: DocumentDraft) -> impl IntoView {
    let save = ServerAction::<SaveDocument>::new();
    let value = save.value();
    let content_error = field_error(value, "content");
    let options = |all: Vec<(&str, &str)>| {
        all.into_iter()
            .map(|(v, l)| (v.to_owned(), l.to_owned()))
            .collect::<Vec<_>>()
    };
    view! {
        <Card title=if id.is_some() { "Edit document" } else { "Write a document" }>
            <ActionForm
                action=save
                attr:id="document-form"
                attr:class="space-y-4"
                attr:data-testid="document-form"
            >
                <input type="hidden" name="slug" value=slug.clone() />
                {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                <FormAlert message=form_error(value) />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Title"
                        name="title"
                        required=true
                        value=draft.title.clone()
                        error=field_error(value, "title")
                    />
                    <Select
                        label="Type"
                        name="document_type"
                        value=draft.document_type.as_str().to_owned()
                        error=field_error(value, "document_type")
                        options=options(
                            DocumentType::ALL.into_iter().map(|t| (t.as_str(), t.label())).collect(),
                        )
                    />
                    <TextField
                        label="Description"
                        name="description"
                        value=draft.description.clone()
                        error=field_error(value, "description")
                    />
                    <Select
                        label="Status"
                        name="status"
                        value=draft.status.as_str().to_owned()
                        error=field_error(value, "status")
                        options=options(
                            DocumentStatus::ALL
                                .into_iter()
                                .map(|s| (s.as_str(), s.label()))
                                .collect(),
                        )
                    />
                    <TextField
                        label="Category"
                        name="category"
                        value=draft.category.clone()
                        error=field_error(value, "category")
                    />
                    <TextField
                        label="Tags"
                        name="tags"
                        hint="Separate with commas."
                        value=draft.tags.join(", ")
                        error=field_error(value, "tags")
                    />
                </div>
                {draft
                    .source
                    .map(|s| {
                        view! {
                            <p class="text-xs text-muted" data-testid="document-source">
                                {format!(
                                    "Text from {} ({} KB)",
                                    s.name,
                                    (s.size_bytes + 1023) / 1024,
                                )}
                            </p>
                        }
                    })}
                <div class="space-y-1.5">
                    <label for="field-doc-content" class="block text-sm font-medium">
                        "Content"
                        <span class="text-danger" aria-hidden="true">
                            " *"
                        </span>
                    </label>
                    <textarea
                        id="field-doc-content"
                        name="content"
                        rows="10"
                        required
                        aria-invalid=move || content_error.get().is_some().then_some("true")
                        aria-describedby=move || {
                            content_error.get().is_some().then_some("field-doc-content-error")
                        }
                        class=move || crate::components::control_class(
                            content_error.get().is_some(),
                        )
                    >
                        {draft.content.clone()}
                    </textarea>
                    {move || {
                        content_error
                            .get()
                            .map(|e| {
                                view! {
                                    <p
                                        id="field-doc-content-error"
                                        class="text-xs font-medium text-danger"
                                        role="alert"
                                    >
                                        {e}
                                    </p>
                                }
                            })
                    }}
                </div>
                <div class="flex gap-2">
                    <Button kind="submit">"Save document"</Button>
                    <LinkButton href=format!("/w/{slug}/knowledge") variant=Variant::Ghost>
                        "Cancel"
                    </LinkButton>
                </div>
            </ActionForm>
        </Card>
    }
}
