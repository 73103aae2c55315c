//! Workspace variables: naming rules, standard names protected, duplicates refused, and
//! only owners and admins change them.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::tenancy::model::WorkspaceRole;
use app::variables::api::{DeleteVariable, ListVariables, SaveVariable};
use axum::http::StatusCode;
use common::TestApp;

/// The settings page's variable form, filled in.
fn variable(name: &str) -> SaveVariable {
    SaveVariable {
        slug: "demo".into(),
        id: None,
        name: name.into(),
        description: "When the appointment is".into(),
        default_value: "tomorrow".into(),
        category: "custom".into(),
        is_required: None,
    }
}

fn demo() -> ListVariables {
    ListVariables {
        slug: "demo".into(),
    }
}

#[tokio::test]
async fn variables_follow_the_naming_rules_and_only_admins_change_them() {
    let app = TestApp::new().await;
    let ws = app.platform().await.workspace("demo").await;
    let mut owner = ws.member(WorkspaceRole::Owner).await.client().await;
    let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;

    let id = owner.call(variable("appointment_date")).await.unwrap();
    let again = owner.call(variable("appointment_date")).await;
    let standard = owner.call(variable("first_name")).await;
    let malformed = owner.call(variable("Bad Name")).await;
    let by_viewer = viewer.call(variable("plan")).await;
    let listed = viewer.call(demo()).await.unwrap();

    for (refused, words) in [
        (again, "There is already a variable"),
        (standard, "standard variable"),
        (malformed, "lowercase letters"),
    ] {
        let refused = refused.unwrap_err();
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error.field("name").unwrap()[0].contains(words),
            "{refused:?}"
        );
    }
    assert_eq!(by_viewer.unwrap_err().status, StatusCode::FORBIDDEN);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].variable.name, "appointment_date");
    assert_eq!(listed[0].variable.default_value, "tomorrow");

    let delete = || DeleteVariable {
        slug: "demo".into(),
        id,
    };
    let refused = viewer.call(delete()).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    owner.call(delete()).await.unwrap();
    assert!(owner.call(demo()).await.unwrap().is_empty());
}
