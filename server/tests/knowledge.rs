//! The knowledge base: documents written or uploaded, linked to agents and given to them
//! with their prompt (checked in what VAPI receives), and edits marking agents for a
//! resync.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::model::{AgentDraft, AgentProvider};
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

async fn create_document(client: &Client<'_>, draft: &DocumentDraft) -> String {
    let response = client
        .post_json(
            "/api/knowledge/create",
            &json!({"slug": "demo", "draft": draft}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
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
        &owner,
        &document("Opening hours", "We open at 9am on weekdays."),
    )
    .await;
    let mut draft_doc = document("Parking", "Park behind the building.");
    draft_doc.status = DocumentStatus::Draft;
    let parking = create_document(&owner, &draft_doc).await;

    let created = owner
        .post_json(
            "/api/agents/create",
            &json!({"slug": "demo", "draft": vapi_agent(vec![hours.clone(), parking.clone()])}),
        )
        .await;
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

    let mut changed = document("Opening hours", "We open at 8am on weekdays.");
    changed.tags = vec![];
    let updated = owner
        .post_json(
            "/api/knowledge/update",
            &json!({"slug": "demo", "id": hours, "draft": changed}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json(), 1, "one agent marked");
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
async fn uploads_are_read_into_text_and_bad_files_get_a_reason() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        json!({"slug": "demo", "file_name": name, "data_base64": data})
    };

    let text = owner
        .post_json(
            "/api/knowledge/extract",
            &upload("faq.md", "# FAQ\nWe take cards.".as_bytes().to_vec()),
        )
        .await;
    // Just under the 10 MB limit: the request body is about 13 MB of base64.
    let big = owner
        .post_json(
            "/api/knowledge/extract",
            &upload("big.txt", vec![b'a'; 10 * 1024 * 1024 - 1]),
        )
        .await;
    let too_big = owner
        .post_json(
            "/api/knowledge/extract",
            &upload("huge.txt", vec![b'a'; 10 * 1024 * 1024 + 1]),
        )
        .await;
    let word = owner
        .post_json(
            "/api/knowledge/extract",
            &upload("notes.docx", b"PK\x03\x04".to_vec()),
        )
        .await;

    assert_eq!(text.status, StatusCode::OK, "{}", text.body);
    assert_eq!(text.json()["text"], "# FAQ\nWe take cards.");
    assert_eq!(text.json()["source"]["kind"], "md");
    assert_eq!(
        big.status,
        StatusCode::OK,
        "{}",
        &big.body[..big.body.len().min(300)]
    );
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_big.body.contains("larger than 10 MB"));
    assert_eq!(word.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(word.body.contains("Upload a .txt, .md or .pdf file"));
}

#[tokio::test]
async fn documents_are_checked_per_field_and_viewers_cannot_write() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let empty = owner
        .post_json(
            "/api/knowledge/create",
            &json!({"slug": "demo", "draft": document("", "")}),
        )
        .await;
    let refused = viewer
        .post_json(
            "/api/knowledge/create",
            &json!({"slug": "demo", "draft": document("Hours", "9 to 5")}),
        )
        .await;
    let read = viewer
        .get("/api/knowledge/list?slug=demo&search=&document_type=&status=")
        .await;
    // Only file uploads may send more than 2 MiB.
    let oversized = owner
        .post_json(
            "/api/knowledge/create",
            &json!({"slug": "demo", "draft": document("Big", &"x".repeat(3 * 1024 * 1024))}),
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
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(oversized.body.contains("larger than 2 MB"));
}
