//! The knowledge base: documents written or uploaded, linked to agents and given to them
//! with their prompt (checked in what VAPI receives), and edits marking agents for a
//! resync. Uploads, hostile files included, in `uploads`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod uploads;

use app::agents::model::{AgentDraft, AgentProvider};
use app::extract::parse::samples;
use app::knowledge::api::ListDocuments;
use app::knowledge::model::{DocumentDraft, DocumentStatus, DocumentType};
use axum::http::StatusCode;
use base64::Engine;
use common::voice_sim::{VAPI_KEY, VAPI_PUBLIC_KEY, VoiceSim};
use common::{Client, PLATFORM_HOST, TestApp};
use serde_json::{Value, json};

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

/// Posts the knowledge page's document form (a new document without `id`).
async fn save(
    client: &mut Client<'_>,
    id: Option<&str>,
    draft: &DocumentDraft,
) -> common::TestResponse {
    let tags = draft.tags.join(", ");
    let mut form = vec![
        ("slug", "demo"),
        ("title", draft.title.as_str()),
        ("document_type", draft.document_type.as_str()),
        ("status", draft.status.as_str()),
        ("description", draft.description.as_str()),
        ("category", draft.category.as_str()),
        ("tags", tags.as_str()),
        ("content", draft.content.as_str()),
    ];
    if let Some(id) = id {
        form.push(("id", id));
    }
    client.post("/api/knowledge/save", &form).await
}

async fn create_document(client: &mut Client<'_>, draft: &DocumentDraft) -> String {
    let response = save(client, None, draft).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("location"), "/w/demo/knowledge");
    response.json().as_str().unwrap().to_owned()
}

fn vapi_agent(documents: Vec<String>) -> Value {
    let mut d = AgentDraft::new(AgentProvider::Vapi);
    d.name = "Front desk".into();
    d.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    d.config.system_prompt = "You answer calls for Acme Dental.".into();
    d.config.first_message = "Hello!".into();
    let mut value = serde_json::to_value(&d).unwrap();
    value["knowledge_document_ids"] = json!(documents);
    value
}

#[tokio::test]
async fn linked_active_documents_are_given_to_the_agent_and_edits_mark_it_for_resync() {
    let (sim, url) = VoiceSim::start().await;
    let app = TestApp::seeded_with(move |config| {
        config.providers.vapi = url.clone();
        config.providers.retell = url;
    })
    .await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let saved = owner
        .post(
            "/api/org/integrations/create",
            &[
                ("provider", "vapi"),
                ("name", "VAPI"),
                ("secret_key", VAPI_KEY),
                ("public_key", VAPI_PUBLIC_KEY),
                ("app_id", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let hours = create_document(
        &mut owner,
        &document("Opening hours", "We open at 9am on weekdays."),
    )
    .await;
    let mut draft_doc = document("Parking", "Park behind the building.");
    draft_doc.status = DocumentStatus::Draft;
    let parking = create_document(&mut owner, &draft_doc).await;

    let created = owner
        .post_json(
            "/api/agents/create",
            &json!({"slug": "demo", "draft": vapi_agent(vec![hours.clone(), parking.clone()])}),
        )
        .await;
    owner.app().run_jobs().await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let agent_id = created.json().as_str().unwrap().to_owned();

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

    let listed = owner
        .get("/api/knowledge/list?slug=demo&search=weekdays&document_type=&status=")
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["agent_count"], 1);
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
    let updated = save(&mut owner, Some(&hours), &changed).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json(), hours.as_str());
    assert!(
        updated
            .header("set-cookie")
            .contains("1%20agent%20using%20it%20is%20marked"),
        "the page says one agent was marked: {}",
        updated.header("set-cookie")
    );
    let agent = owner
        .get(&format!("/api/agents/get?slug=demo&id={agent_id}"))
        .await
        .json();
    assert_eq!(agent["summary"]["needs_resync"], true);

    let resynced = owner
        .post("/api/agents/resync", &[("slug", "demo"), ("id", &agent_id)])
        .await;
    assert_eq!(resynced.status, StatusCode::OK, "{}", resynced.body);
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
    let agent = owner
        .get(&format!("/api/agents/get?slug=demo&id={agent_id}"))
        .await
        .json();
    assert_eq!(agent["summary"]["needs_resync"], false);

    let deleted = owner
        .post("/api/knowledge/delete", &[("slug", "demo"), ("id", &hours)])
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let agent = owner
        .get(&format!("/api/agents/get?slug=demo&id={agent_id}"))
        .await
        .json();
    assert_eq!(
        agent["documents"].as_array().unwrap().len(),
        1,
        "only parking is left"
    );
    assert_eq!(agent["summary"]["needs_resync"], true);
}

#[tokio::test]
async fn documents_are_checked_per_field_and_viewers_cannot_write() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let empty = save(&mut owner, None, &document("", "")).await;
    let refused = save(&mut viewer, None, &document("Hours", "9 to 5")).await;
    let read = viewer
        .get("/api/knowledge/list?slug=demo&search=&document_type=&status=")
        .await;
    let bad_type = owner
        .post(
            "/api/knowledge/save",
            &[
                ("slug", "demo"),
                ("title", "Hours"),
                ("document_type", "poem"),
                ("status", "active"),
                ("description", ""),
                ("category", ""),
                ("tags", ""),
                ("content", "9 to 5"),
            ],
        )
        .await;
    // A document's text may take up to 16 MiB as a form; past a million characters it is
    // refused by name, and past 16 MiB before it is read.
    let too_long = save(
        &mut owner,
        None,
        &document("Big", &"x".repeat(3 * 1024 * 1024)),
    )
    .await;
    let oversized = save(
        &mut owner,
        None,
        &document("Huge", &"x".repeat(17 * 1024 * 1024)),
    )
    .await;

    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &empty.json()["detail"]["fields"];
    assert!(
        fields.get("title").is_some() && fields.get("content").is_some(),
        "{fields}"
    );
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), json!([]));
    assert_eq!(bad_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_type.json()["detail"]["fields"]["document_type"].is_array(),
        "{}",
        bad_type.body
    );
    let after = owner
        .get("/api/knowledge/list?slug=demo&search=&document_type=&status=")
        .await;
    assert_eq!(after.json(), json!([]), "nothing was saved");
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_long.json()["detail"]["fields"]["content"].is_array(),
        "{}",
        too_long.body
    );
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(oversized.body.contains("larger than 16 MB"));
}

#[tokio::test]
async fn the_list_shows_a_preview_and_finds_words_deep_in_long_documents() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let long = format!(
        "{} Tail-word-zebra. Discount: 50% off.",
        "Ünïcode ".repeat(120_000)
    );
    create_document(&mut owner, &document("Manual", &long)).await;
    create_document(&mut owner, &document("Hours", "We open at nine.")).await;

    let list = |search: &str| {
        let path = format!(
            "/api/knowledge/list?slug=demo&search={}&document_type=&status=",
            common::client::urlencode(search)
        );
        let owner = &owner;
        async move {
            let answer = owner.get(&path).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            answer.json().as_array().unwrap().clone()
        }
    };

    let all = list("").await;
    let manual = all.iter().find(|d| d["title"] == "Manual").unwrap();
    assert_eq!(manual["preview"].as_str().unwrap().chars().count(), 200);
    assert_eq!(manual["characters"], long.chars().count());
    assert_eq!(list("zebra").await.len(), 1, "a word at the end is found");
    assert_eq!(list("ZEBRA").await.len(), 1, "whatever its case");
    assert_eq!(list("50%").await.len(), 1);
    assert_eq!(
        list("5_%").await.len(),
        0,
        "search characters are plain text"
    );
    assert_eq!(list("nine").await[0]["title"], "Hours");
}

#[tokio::test]
async fn a_stored_state_no_variant_has_is_an_error_not_a_draft() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let id = create_document(&mut owner, &document("Opening hours", "9 to 5.")).await;
    let get = format!("/api/knowledge/get?slug=demo&id={id}");
    assert_eq!(owner.get(&get).await.status, StatusCode::OK);
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE knowledge_documents SET status = 'published'")
        .await
        .unwrap();

    let read = owner.get(&get).await;
    let listed = owner
        .get("/api/knowledge/list?slug=demo&search=&document_type=&status=")
        .await;

    assert_eq!(
        read.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        read.body
    );
    assert!(
        !read.body.contains("published"),
        "the cause stays in the log"
    );
    assert_eq!(
        listed.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        listed.body
    );
}
