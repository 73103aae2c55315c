//! What may not be saved, and who may not save it.

use super::*;

#[tokio::test]
async fn bad_drafts_get_an_error_per_field_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let mut d = draft(AgentProvider::Retell);
    d.name = "An agent name that is much longer than forty characters".into();
    d.config.first_message.clear();
    d.config.temperature = 3.0;
    d.config.tools = vec![Tool::new(ToolKind::Bash)];

    let refused = create(&mut owner, &d).await.unwrap_err();

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "name",
        "config.first_message",
        "config.temperature",
        "tools.0.kind",
    ] {
        assert!(
            refused.error.field(field).is_some(),
            "{field} in {refused:?}"
        );
    }
    assert!(list(&mut owner).await.is_empty());
}

#[tokio::test]
async fn viewers_read_agents_but_cannot_change_them() {
    let app = TestApp::new().await;
    let ws = demo(&app).await;
    let mut owner = ws.org.person(PartnerRole::Owner).await.client().await;
    let id = create(&mut owner, &draft(AgentProvider::Sandbox))
        .await
        .unwrap();
    let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;

    let created = create(&mut viewer, &draft(AgentProvider::Sandbox)).await;
    let deleted = delete(&mut viewer, id).await;
    let read = detail(&mut viewer, id).await;

    assert_eq!(created.unwrap_err().status, StatusCode::FORBIDDEN);
    assert_eq!(deleted.unwrap_err().status, StatusCode::FORBIDDEN);
    assert!(!read.can_edit);
}
