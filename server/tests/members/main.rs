//! Workspace members and the organisation's team: roles, owner protections and removal;
//! invitations of every kind, from issue to acceptance, in `invitations`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod invitations;

use app::error::AppError;
use app::members::api::{ChangeRole, RemoveMember, TeamMembers, WorkspaceMembers};
use app::tenancy::api::{CreateWorkspace, GetWorkspaceOverview};
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;
use common::{Client, TestApp};
use uuid::Uuid;

/// The membership id of `email` in workspace `slug`, as its members list shows it.
async fn member_id(client: &mut Client<'_>, slug: &str, email: &str) -> Uuid {
    let list = client
        .call(WorkspaceMembers { slug: slug.into() })
        .await
        .unwrap();
    list.iter()
        .find(|m| m.email == email)
        .unwrap_or_else(|| panic!("{email} in {list:?}"))
        .member_id
}

fn change_role(slug: &str, member_id: Uuid, role: &str) -> ChangeRole {
    ChangeRole {
        slug: Some(slug.into()),
        member_id,
        role: role.into(),
    }
}

/// What `error` says to the person refused.
fn says(error: &AppError) -> String {
    error.to_string()
}

#[tokio::test]
async fn every_role_reads_the_members_but_only_owners_and_admins_change_them() {
    let app = TestApp::new().await;
    let ws = app.org("acme").await.workspace("dental").await;
    let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;
    let member = ws.member(WorkspaceRole::Member).await;
    let target = member_id(&mut viewer, &ws.slug(), &member.email).await;
    let mut member = member.client().await;

    for client in [&mut viewer, &mut member] {
        let listed = client.call(WorkspaceMembers { slug: ws.slug() }).await;
        assert_eq!(listed.unwrap().len(), 2);
        let change = client
            .call(change_role(&ws.slug(), target, "admin"))
            .await
            .unwrap_err();
        assert_eq!(change.status, StatusCode::FORBIDDEN);
        let invite = client
            .call(app::invitations::api::InviteToWorkspace {
                slug: ws.slug(),
                email: "x@example.com".into(),
                role: "viewer".into(),
                message: String::new(),
            })
            .await
            .unwrap_err();
        assert_eq!(invite.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn admins_manage_below_owner_and_the_last_owner_is_kept() {
    let app = TestApp::new().await;
    let ws = app.org("acme").await.workspace("dental").await;
    let slug = &ws.slug();
    let owner = ws.member(WorkspaceRole::Owner).await;
    let viewer = ws.member(WorkspaceRole::Viewer).await;
    let admin = ws.member(WorkspaceRole::Admin).await;
    let mut owner_client = owner.client().await;
    let viewer_id = member_id(&mut owner_client, slug, &viewer.email).await;
    let owner_id = member_id(&mut owner_client, slug, &owner.email).await;
    let admin_id = member_id(&mut owner_client, slug, &admin.email).await;
    let mut admin = admin.client().await;

    let promoted = admin.call(change_role(slug, viewer_id, "member")).await;
    let demote_owner = admin.call(change_role(slug, owner_id, "admin")).await;
    let self_change = admin.call(change_role(slug, admin_id, "owner")).await;
    let grant_owner = admin.call(change_role(slug, viewer_id, "owner")).await;
    let owner_self_demote = owner_client
        .call(change_role(slug, owner_id, "admin"))
        .await;

    assert_eq!(promoted, Ok(()));
    let demote_owner = demote_owner.unwrap_err();
    assert_eq!(demote_owner.status, StatusCode::FORBIDDEN);
    assert!(says(&demote_owner.error).contains("Only an owner"));
    let self_change = self_change.unwrap_err();
    assert_eq!(self_change.status, StatusCode::FORBIDDEN);
    assert!(says(&self_change.error).contains("your own role"));
    assert_eq!(grant_owner.unwrap_err().status, StatusCode::FORBIDDEN);
    assert_eq!(owner_self_demote.unwrap_err().status, StatusCode::FORBIDDEN);
    assert!(
        app.audit_actions()
            .await
            .contains(&"member.role_changed".to_owned())
    );
}

#[tokio::test]
async fn a_removed_member_loses_the_workspace_at_once() {
    let app = TestApp::new().await;
    let ws = app.org("acme").await.workspace("dental").await;
    let mut owner = ws.member(WorkspaceRole::Owner).await.client().await;
    let viewer = ws.member(WorkspaceRole::Viewer).await;
    let viewer_id = member_id(&mut owner, &ws.slug(), &viewer.email).await;
    let mut viewer = viewer.client().await;

    let removed = owner
        .call(RemoveMember {
            slug: Some(ws.slug()),
            member_id: viewer_id,
        })
        .await;
    let after = viewer.call(GetWorkspaceOverview { slug: ws.slug() }).await;

    assert_eq!(removed, Ok(()));
    assert_eq!(after.unwrap_err().status, StatusCode::NOT_FOUND);
    assert!(
        app.audit_actions()
            .await
            .contains(&"member.removed".to_owned())
    );
}

#[tokio::test]
async fn removing_a_team_member_removes_them_from_every_workspace() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let ortho = acme.workspace("ortho").await;
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let temp = dental
        .member_as("temp@acme.test", WorkspaceRole::Member)
        .await;
    app::tenancy::service::add_workspace_member(
        &app.state.db,
        ortho.id(),
        temp.user.id,
        WorkspaceRole::Viewer,
    )
    .await
    .unwrap();
    let mut temp = temp.client().await;
    let team = owner.call(TeamMembers {}).await.unwrap();
    let row = |email: &str| team.iter().find(|m| m.email == email).unwrap().member_id;

    let self_removal = owner
        .call(RemoveMember {
            member_id: row("owner@acme.test"),
            slug: None,
        })
        .await;
    let removed = owner
        .call(RemoveMember {
            member_id: row("temp@acme.test"),
            slug: None,
        })
        .await;

    assert_eq!(self_removal.unwrap_err().status, StatusCode::FORBIDDEN);
    assert_eq!(removed, Ok(()));
    for ws in [&dental, &ortho] {
        let after = temp.call(GetWorkspaceOverview { slug: ws.slug() }).await;
        assert_eq!(after.unwrap_err().status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn partner_admins_create_workspaces_and_others_are_told_why_not() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let ws = acme.workspace("demo").await;
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;
    let create = |name: &str| CreateWorkspace {
        name: name.into(),
        description: String::new(),
    };

    let created = owner.call(create("Demo")).await;
    let blank = owner.call(create("  ")).await;
    let refused = viewer.call(create("Mine")).await;

    assert_eq!(created, Ok("demo-2".to_owned()), "the slug is made unique");
    assert_eq!(blank.unwrap_err().status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.unwrap_err().status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn team_roles_change_without_a_slug_and_a_workspaces_slug_does_not_reach_the_team() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let mut ws_owner = dental.member(WorkspaceRole::Owner).await.client().await;
    dental
        .member_as("temp@acme.test", WorkspaceRole::Member)
        .await;
    let team = owner.call(TeamMembers {}).await.unwrap();
    let temp = team
        .iter()
        .find(|m| m.email == "temp@acme.test")
        .unwrap()
        .member_id;
    let team_role = |slug: Option<String>, role: &str| ChangeRole {
        member_id: temp,
        role: role.into(),
        slug,
    };

    let by_ws_owner = ws_owner.call(team_role(None, "admin")).await;
    let through_a_workspace = owner.call(team_role(Some(dental.slug()), "admin")).await;
    let not_a_team_role = owner.call(team_role(None, "viewer")).await;
    let promoted = owner.call(team_role(None, "admin")).await;

    assert_eq!(by_ws_owner.unwrap_err().status, StatusCode::FORBIDDEN);
    assert_eq!(
        through_a_workspace.unwrap_err().status,
        StatusCode::NOT_FOUND,
        "a team membership is no workspace membership"
    );
    let not_a_team_role = not_a_team_role.unwrap_err();
    assert!(
        not_a_team_role.error.field("role").is_some(),
        "{not_a_team_role:?}"
    );
    assert_eq!(promoted, Ok(()));
    let team = owner.call(TeamMembers {}).await.unwrap();
    let row = team.iter().find(|m| m.email == "temp@acme.test").unwrap();
    assert_eq!(row.role, PartnerRole::Admin);
    assert!(
        app.audit_actions()
            .await
            .contains(&"team.role_changed".to_owned())
    );
}
