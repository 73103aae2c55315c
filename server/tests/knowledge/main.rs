//! The knowledge base: documents written or uploaded, linked to agents and given to them
//! with their prompt (checked in what VAPI receives), and edits marking agents for a
//! resync. Uploads, hostile files included, in `uploads`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod uploads;

use app::agents::api::ResyncAgent;
use app::agents::model::{AgentDetail, AgentDraft, AgentProvider};
use app::extract::parse::samples;
use app::knowledge::api::{DeleteDocument, ExtractText, GetDocument, ListDocuments, SaveDocument};
use app::knowledge::model::{DocumentDraft, DocumentStatus, DocumentSummary, DocumentType};
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;
use base64::Engine;
use common::client::Refused;
use common::voice_sim::{VAPI_KEY, VAPI_PUBLIC_KEY, VoiceSim};
use common::world::Workspace;
use common::{Client, TestApp};
use uuid::Uuid;

fn document(title: &str, content: &str) -> DocumentDraft {
    DocumentDraft {
        title: title.into(),
        document_type: DocumentType::Faq,
        status: DocumentStatus::Active,
        content: content.into(),
        tags: vec!["hours".into()],
        ..DocumentDraft::default()
    }
}

/// Workspace `demo` of the platform organisation, where the documents are written.
async fn demo(app: &TestApp) -> Workspace<'_> {
    app.platform().await.workspace("demo").await
}

/// Workspace `demo` and an owner of its organisation, signed in.
async fn owner_of_demo(app: &TestApp) -> Client<'_> {
    let org = demo(app).await.org;
    org.person(PartnerRole::Owner).await.client().await
}

/// The knowledge page's document form, filled in from `draft` (a new document without
/// `id`).
fn form(id: Option<Uuid>, draft: &DocumentDraft) -> SaveDocument {
    SaveDocument {
        slug: "demo".into(),
        id,
        title: draft.title.clone(),
        document_type: draft.document_type.as_str().into(),
        status: draft.status.as_str().into(),
        description: draft.description.clone(),
        category: draft.category.clone(),
        tags: draft.tags.join(", "),
        content: draft.content.clone(),
    }
}

async fn save(
    client: &mut Client<'_>,
    id: Option<Uuid>,
    draft: &DocumentDraft,
) -> Result<Uuid, Refused> {
    client.call(form(id, draft)).await
}

async fn create_document(client: &mut Client<'_>, draft: &DocumentDraft) -> Uuid {
    save(client, None, draft).await.unwrap()
}

/// The documents `search` finds in `demo`, of any type and status.
async fn list(client: &mut Client<'_>, search: &str) -> Result<Vec<DocumentSummary>, Refused> {
    client
        .call(ListDocuments {
            slug: "demo".into(),
            search: search.into(),
            document_type: String::new(),
            status: String::new(),
        })
        .await
}

async fn agent(client: &mut Client<'_>, id: Uuid) -> AgentDetail {
    common::agents::detail(client, "demo", id).await
}

fn vapi_agent(documents: Vec<Uuid>) -> AgentDraft {
    let mut d = AgentDraft::new(AgentProvider::Vapi);
    d.name = "Front desk".into();
    d.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    d.config.system_prompt = "You answer calls for Acme Dental.".into();
    d.config.first_message = "Hello!".into();
    d.knowledge_document_ids = documents;
    d
}

#[tokio::test]
async fn linked_active_documents_are_given_to_the_agent_and_edits_mark_it_for_resync() {
    let (sim, url) = VoiceSim::start().await;
    let app = TestApp::with_config(move |config| {
        config.providers.vapi = url.clone();
        config.providers.retell = url;
    })
    .await;
    let mut owner = owner_of_demo(&app).await;
    common::agents::connect(&mut owner, "vapi", VAPI_KEY, VAPI_PUBLIC_KEY, "").await;
    let hours = create_document(
        &mut owner,
        &document("Opening hours", "We open at 9am on weekdays."),
    )
    .await;
    let mut draft_doc = document("Parking", "Park behind the building.");
    draft_doc.status = DocumentStatus::Draft;
    let parking = create_document(&mut owner, &draft_doc).await;

    let agent_id = common::agents::create(&mut owner, "demo", &vapi_agent(vec![hours, parking]))
        .await
        .unwrap();

    let sent = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/assistant" && r.method == "POST")
        .unwrap();
    let prompt = sent.body["model"]["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(prompt.starts_with("You answer calls for Acme Dental."));
    assert!(prompt.contains("--- KNOWLEDGE BASE ---"));
    assert!(prompt.contains("## Opening hours\nWe open at 9am on weekdays."));
    assert!(
        !prompt.contains("Park behind"),
        "draft documents are not given"
    );

    let listed = list(&mut owner, "weekdays").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].agent_count, 1);
    // A filter that names no type or status is refused, naming each, not ignored.
    let refused = owner
        .call(ListDocuments {
            slug: "demo".into(),
            search: String::new(),
            document_type: "memo".into(),
            status: "live".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.error.field("document_type").unwrap(),
        ["\"memo\" is not a document type."]
    );
    assert_eq!(
        refused.error.field("status").unwrap(),
        ["\"live\" is not a document status."]
    );

    let mut changed = document("Opening hours", "We open at 8am on weekdays.");
    changed.tags = vec![];
    // Read whole, for what the answer says and where it sends the browser.
    let updated = owner.send(form(Some(hours), &changed)).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json(), hours.to_string().as_str());
    assert_eq!(updated.header("location"), "/w/demo/knowledge");
    assert!(
        updated
            .header("set-cookie")
            .contains("1%20agent%20using%20it%20is%20marked"),
        "the page says one agent was marked: {}",
        updated.header("set-cookie")
    );
    assert!(agent(&mut owner, agent_id).await.summary.needs_resync);

    let resynced = owner
        .call(ResyncAgent {
            slug: "demo".into(),
            id: agent_id,
        })
        .await;
    assert!(resynced.is_ok(), "{resynced:?}");
    let patched = sim
        .requests()
        .into_iter()
        .rfind(|r| r.method == "PATCH")
        .unwrap();
    assert!(
        patched.body["model"]["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("We open at 8am")
    );
    assert!(!agent(&mut owner, agent_id).await.summary.needs_resync);

    let deleted = owner
        .call(DeleteDocument {
            slug: "demo".into(),
            id: hours,
        })
        .await;
    assert_eq!(deleted, Ok(()));
    let agent = agent(&mut owner, agent_id).await;
    assert_eq!(agent.documents.len(), 1, "only parking is left");
    assert!(agent.summary.needs_resync);
}

#[tokio::test]
async fn documents_are_checked_per_field_and_viewers_cannot_write() {
    let app = TestApp::new().await;
    let ws = demo(&app).await;
    let mut owner = ws.org.person(PartnerRole::Owner).await.client().await;
    let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;

    let empty = save(&mut owner, None, &document("", "")).await;
    let refused = save(&mut viewer, None, &document("Hours", "9 to 5")).await;
    let read = list(&mut viewer, "").await;
    let bad_type = owner
        .call(SaveDocument {
            document_type: "poem".into(),
            ..form(None, &document("Hours", "9 to 5"))
        })
        .await;
    // A document's text may take up to 16 MiB as a form; past a million characters it is
    // refused by name, and past 16 MiB before it is read (by the body limit, which answers
    // before any server function: read as it comes).
    let too_long = save(
        &mut owner,
        None,
        &document("Big", &"x".repeat(3 * 1024 * 1024)),
    )
    .await;
    let oversized = owner
        .send(form(None, &document("Huge", &"x".repeat(17 * 1024 * 1024))))
        .await;

    let empty = empty.unwrap_err();
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.error.field("title").is_some() && empty.error.field("content").is_some(),
        "{empty:?}"
    );
    assert_eq!(refused.unwrap_err().status, StatusCode::FORBIDDEN);
    assert_eq!(read, Ok(vec![]));
    let bad_type = bad_type.unwrap_err();
    assert_eq!(bad_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_type.error.field("document_type").is_some(),
        "{bad_type:?}"
    );
    assert_eq!(list(&mut owner, "").await, Ok(vec![]), "nothing was saved");
    let too_long = too_long.unwrap_err();
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.error.field("content").is_some(), "{too_long:?}");
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(oversized.body.contains("larger than 16 MB"));
}

#[tokio::test]
async fn the_list_shows_a_preview_and_finds_words_deep_in_long_documents() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let long = format!(
        "{} Tail-word-zebra. Discount: 50% off.",
        "Ünïcode ".repeat(120_000)
    );
    create_document(&mut owner, &document("Manual", &long)).await;
    create_document(&mut owner, &document("Hours", "We open at nine.")).await;

    let mut find = async |search: &str| list(&mut owner, search).await.unwrap();

    let all = find("").await;
    let manual = all.iter().find(|d| d.title == "Manual").unwrap();
    assert_eq!(manual.preview.chars().count(), 200);
    assert_eq!(manual.characters, long.chars().count());
    assert_eq!(find("zebra").await.len(), 1, "a word at the end is found");
    assert_eq!(find("ZEBRA").await.len(), 1, "whatever its case");
    assert_eq!(find("50%").await.len(), 1);
    assert_eq!(
        find("5_%").await.len(),
        0,
        "search characters are plain text"
    );
    assert_eq!(find("nine").await[0].title, "Hours");
}

#[tokio::test]
async fn a_stored_state_no_variant_has_is_an_error_not_a_draft() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let id = create_document(&mut owner, &document("Opening hours", "9 to 5.")).await;
    let get = || GetDocument {
        slug: "demo".into(),
        id,
    };
    assert!(owner.call(get()).await.is_ok());
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE knowledge_documents SET status = 'published'")
        .await
        .unwrap();

    let read = owner.call(get()).await.unwrap_err();
    let listed = list(&mut owner, "").await.unwrap_err();

    assert_eq!(read.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        read.error,
        app::error::AppError::Internal,
        "the cause stays in the log"
    );
    assert_eq!(listed.status, StatusCode::INTERNAL_SERVER_ERROR);
}
