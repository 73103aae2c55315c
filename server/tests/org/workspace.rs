//! A workspace's own settings: name, description and time zone (its campaigns' default),
//! changed by its owners and admins only.

use app::campaigns::api::WizardData;
use app::tenancy::api::{GetWorkspaceOverview, UpdateWorkspace};
use app::tenancy::model::WorkspaceRole;
use axum::http::StatusCode;

use crate::common::TestApp;

fn update(slug: &str, name: &str, zone: &str) -> UpdateWorkspace {
    UpdateWorkspace {
        slug: slug.into(),
        name: name.into(),
        description: "Front desk for the Main Street office.".into(),
        time_zone: zone.into(),
    }
}

#[tokio::test]
async fn an_admin_renames_a_workspace_and_sets_its_zone_for_new_campaigns() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let other = acme.workspace("other").await;
    let mut admin = dental.member(WorkspaceRole::Admin).await.client().await;
    let mut viewer = dental.member(WorkspaceRole::Viewer).await.client().await;

    let refused = admin
        .call(UpdateWorkspace {
            description: "x".repeat(1001),
            ..update("dental", " ", "Mars/Olympus_Mons")
        })
        .await
        .unwrap_err();
    let saved = admin
        .call(update("dental", "Acme Dental Main St", "Europe/Paris"))
        .await;
    let not_admin = viewer
        .call(update("dental", "Hijacked", "UTC"))
        .await
        .unwrap_err();
    let elsewhere = admin
        .call(update(&other.slug(), "Hijacked", "UTC"))
        .await
        .unwrap_err();

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "description", "time_zone"] {
        assert!(refused.error.field(field).is_some(), "{field}: {refused:?}");
    }
    assert_eq!(saved, Ok(()));
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let overview = admin
        .call(GetWorkspaceOverview {
            slug: "dental".into(),
        })
        .await
        .unwrap();
    assert_eq!(overview.workspace.name, "Acme Dental Main St");
    assert_eq!(overview.workspace.slug, "dental", "the address stays");
    assert_eq!(overview.time_zone.as_deref(), Some("Europe/Paris"));
    let wizard = admin
        .call(WizardData {
            slug: "dental".into(),
            id: None,
        })
        .await
        .unwrap();
    assert_eq!(wizard.default_time_zone, "Europe/Paris");
    let page = admin.get("/w/dental/settings").await;
    assert!(page.body.contains("Europe/Paris") && page.body.contains("workspace-general"));
    assert!(
        app.audit_actions()
            .await
            .contains(&"workspace.updated".to_owned())
    );
}
