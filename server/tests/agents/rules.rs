//! What may not be saved, and who may not save it.

use super::*;

#[tokio::test]
async fn bad_drafts_get_an_error_per_field_and_nothing_is_saved() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut d = draft(AgentProvider::Retell);
    d.name = "An agent name that is much longer than forty characters".into();
    d.config.first_message.clear();
    d.config.temperature = 3.0;
    d.config.tools = vec![Tool::new(ToolKind::Bash)];

    let (status, body) = create(&owner, &d).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = &body["detail"]["fields"];
    for field in [
        "name",
        "config.first_message",
        "config.temperature",
        "tools.0.kind",
    ] {
        assert!(fields.get(field).is_some(), "{field} in {fields}");
    }
    assert_eq!(
        owner.get("/api/agents/list?slug=demo").await.json(),
        json!([])
    );
}

#[tokio::test]
async fn viewers_read_agents_but_cannot_change_them() {
    let app = TestApp::seeded().await;
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let (_, id) = create(&owner, &draft(AgentProvider::Sandbox)).await;
    let id = id.as_str().unwrap().to_owned();
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let (created, _) = create(&viewer, &draft(AgentProvider::Sandbox)).await;
    let deleted = viewer
        .post("/api/agents/delete", &[("slug", "demo"), ("id", &id)])
        .await;
    let read = detail(&viewer, &id).await;

    assert_eq!(created, StatusCode::FORBIDDEN);
    assert_eq!(deleted.status, StatusCode::FORBIDDEN);
    assert_eq!(read["can_edit"], false);
}
