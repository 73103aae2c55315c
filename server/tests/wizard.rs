//! The agent wizard as a browser without JavaScript drives it: each step posts the form
//! to its own page (the draft in a hidden field, the pressed button's `intent`), a step
//! with a wrong field comes back with the message beside it, tools are added and removed,
//! and the last step saves the agent. What the save refuses goes back to its step, and a
//! tampered draft loses nothing and saves nothing.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::agents::api::ListAgents;
use app::agents::model::{AgentDraft, AgentSummary};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use common::{Client, PLATFORM_HOST, TestApp, TestResponse};
use serde_json::Value;
use uuid::Uuid;

/// Workspace `demo` on the platform host and an owner of its organisation, signed in.
async fn owner_of_demo(app: &TestApp) -> Client<'_> {
    let org = app.platform().await;
    org.workspace("demo").await;
    org.person(PartnerRole::Owner).await.client().await
}

/// The value of the hidden field `name` in a page, as the browser would post it.
fn hidden(page: &TestResponse, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in {}", page.body))
        + marker.len();
    let end = start + page.body[start..].find('"').unwrap();
    page.body[start..end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The step a wizard page shows.
fn step(page: &TestResponse) -> &str {
    let marker = "data-testid=\"agent-form\" data-step=\"";
    let start = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no wizard in {}: {}", page.status, page.body))
        + marker.len();
    &page.body[start..start + 1]
}

/// Posts the page's own form back with `fields` and the button `intent`.
async fn press(
    client: &mut Client<'_>,
    path: &str,
    page: &TestResponse,
    intent: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let draft = hidden(page, "draft");
    let at = step(page).to_owned();
    let mut form = vec![
        ("draft", draft.as_str()),
        ("step", at.as_str()),
        ("intent", intent),
    ];
    form.extend_from_slice(fields);
    client.post(path, &form).await
}

async fn agents(client: &mut Client<'_>) -> Vec<AgentSummary> {
    client
        .call(ListAgents {
            slug: "demo".into(),
        })
        .await
        .unwrap()
}

/// The agent as saved.
async fn saved_draft(client: &mut Client<'_>, id: Uuid) -> AgentDraft {
    common::agents::detail(client, "demo", id).await.draft
}

#[tokio::test]
async fn a_new_agent_is_made_step_by_step_without_script() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let path = "/w/demo/agents/new";
    let page = owner.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(step(&page), "0");
    assert!(
        !page.body.contains("<leptos-island"),
        "the wizard has no island"
    );

    // Next without a name: the same step, the message beside the field.
    let page = press(&mut owner, path, &page, "next", &[("name", " ")]).await;
    assert_eq!((page.status, step(&page)), (StatusCode::OK, "0"));
    assert!(
        page.body.contains("Give the agent a name."),
        "{}",
        page.body
    );

    // Picking another provider gives the draft that provider's default voice.
    let page = press(
        &mut owner,
        path,
        &page,
        "step-0",
        &[("name", "Ava"), ("provider", "retell")],
    )
    .await;
    assert!(
        hidden(&page, "draft").contains("\"voice_id\":\"11labs-Adrian\""),
        "{}",
        hidden(&page, "draft")
    );

    let setup = [
        ("name", "Ava"),
        ("provider", "sandbox"),
        ("voice.sandbox", "EXAVITQu4vr4xnSDxMaL"),
        ("direction", "inbound"),
        ("language", "en-US"),
        ("voice_speed", "1.15"),
        ("knowledge_shown", "1"),
    ];
    let page = press(&mut owner, path, &page, "next", &setup).await;
    assert_eq!(step(&page), "1", "{}", page.body);

    let prompts = [
        ("system_prompt", "You are the receptionist of {{company}}."),
        ("first_message", "Thanks for calling {{company}}!"),
        ("tools_server_url", "https://tools.example.com/functions"),
        ("add_tool_kind", "function"),
    ];
    let page = press(&mut owner, path, &page, "add-tool", &prompts).await;
    assert_eq!(step(&page), "1");
    assert!(page.body.contains("data-testid=\"tool-card\""));
    assert!(
        page.body
            .contains("You are the receptionist of {{company}}."),
        "typed text is kept"
    );

    let tool = [
        ("tool.0.shown", "1"),
        ("tool.0.name", "book_cleaning"),
        ("tool.0.description", "Book a cleaning when asked."),
        ("tool.0.enabled", "on"),
    ];
    let page = press(&mut owner, path, &page, "next", &tool).await;
    assert_eq!(step(&page), "2", "{}", page.body);
    assert!(
        page.body.contains("book_cleaning"),
        "the review lists the tool"
    );
    assert!(
        agents(&mut owner).await.is_empty(),
        "nothing is saved before the last step"
    );

    let saved = press(&mut owner, path, &page, "save", &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.header("location").to_owned();
    assert!(location.starts_with("/w/demo/agents/"), "{location}");
    assert!(saved.header("set-cookie").contains("Agent%20created."));
    let list = agents(&mut owner).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Ava");
    let config = saved_draft(&mut owner, list[0].id).await.config;
    assert_eq!(config.voice_id, "EXAVITQu4vr4xnSDxMaL");
    assert_eq!(config.tools[0].name, "book_cleaning");
    assert!((config.voice_speed - 1.15).abs() < 0.001);
    // The saved agent's provider hears of it from a job.
    assert_eq!(app.run_jobs().await, 1);
}

#[tokio::test]
async fn the_edit_form_saves_from_any_step_and_refusals_return_to_their_step() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let id = common::agents::create(
        &mut owner,
        "demo",
        &common::agents::draft(app::agents::model::AgentProvider::Sandbox, "Desk"),
    )
    .await
    .unwrap();
    let path = format!("/w/demo/agents/{id}/edit");
    let page = owner.get(&path).await;
    assert_eq!(step(&page), "0");

    // Editing opens any step; the provider stays.
    let page = press(
        &mut owner,
        &path,
        &page,
        "step-1",
        &[("provider", "retell")],
    )
    .await;
    assert_eq!(step(&page), "1");
    assert!(hidden(&page, "draft").contains("\"provider\":\"sandbox\""));

    // A number that is out of range is refused beside its field, and nothing changes.
    let page = press(&mut owner, &path, &page, "save", &[("max_tokens", "0")]).await;
    assert_eq!((page.status, step(&page)), (StatusCode::OK, "1"));
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert_ne!(saved_draft(&mut owner, id).await.config.max_tokens, 0);

    let saved = press(&mut owner, &path, &page, "save", &[("max_tokens", "300")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.header("location"), format!("/w/demo/agents/{id}"));
    assert_eq!(saved_draft(&mut owner, id).await.config.max_tokens, 300);

    // A voice outside the catalogue passes the steps but not the save: back to step 1.
    let page = owner.get(&path).await;
    let mut draft: Value = serde_json::from_str(&hidden(&page, "draft")).unwrap();
    draft["config"]["voice_id"] = "not-a-voice".into();
    let form = [
        ("draft", draft.to_string()),
        ("step", "2".to_owned()),
        ("intent", "save".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = owner.post(&path, &form).await;
    assert_eq!(
        (page.status, step(&page)),
        (StatusCode::OK, "0"),
        "{}",
        page.body
    );
    assert!(page.body.contains("role=\"alert\""));
    assert_eq!(app.run_jobs().await, 1);
}

#[tokio::test]
async fn a_form_that_cannot_be_read_saves_nothing_and_says_so() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let page = owner
        .post(
            "/w/demo/agents/new",
            &[("draft", "{\"name\": 3"), ("step", "2"), ("intent", "save")],
        )
        .await;
    assert_eq!((page.status, step(&page)), (StatusCode::OK, "0"));
    assert!(page.body.contains("Nothing was saved."));
    assert!(agents(&mut owner).await.is_empty());

    // A form posted from another site is refused before it is read.
    let mut request = axum::http::Request::builder()
        .method("POST")
        .uri("/w/demo/agents/new")
        .header("host", PLATFORM_HOST)
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = &owner.cookie {
        request = request.header("cookie", cookie);
    }
    let answer = app
        .request(request.body(axum::body::Body::from("intent=save")).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}
