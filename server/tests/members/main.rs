//! Workspace members and the organisation's team: roles, owner protections and removal;
//! invitations of every kind, from issue to acceptance, in `invitations`.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

#[path = "../common/mod.rs"]
mod common;
mod invitations;

use app::tenancy::model::WorkspaceRole;
use axum::http::StatusCode;
use common::{ACME_HOST, PLATFORM_HOST, TestApp};

async fn member_id(app: &TestApp, client: &common::Client<'_>, slug: &str, email: &str) -> String {
    let _ = app;
    let list = client
        .get(&format!("/api/workspace/members?slug={slug}"))
        .await
        .json();
    list.as_array()
        .expect("members")
        .iter()
        .find(|m| m["email"] == email)
        .unwrap_or_else(|| panic!("{email} in {list}"))["member_id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn every_role_reads_the_members_but_only_owners_and_admins_change_them() {
    let app = TestApp::seeded().await;
    app.member_of(
        "genius365",
        "demo",
        "member@genius365.test",
        WorkspaceRole::Member,
    )
    .await;
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let mut member = app.signed_in(PLATFORM_HOST, "member@genius365.test").await;
    let target = member_id(&app, &viewer, "demo", "member@genius365.test").await;

    for client in [&mut viewer, &mut member] {
        let listed = client.get("/api/workspace/members?slug=demo").await;
        assert_eq!(listed.status, StatusCode::OK);
        let change = client
            .post(
                "/api/workspace/member/role",
                &[("slug", "demo"), ("member_id", &target), ("role", "admin")],
            )
            .await;
        assert_eq!(change.status, StatusCode::FORBIDDEN);
        let invite = client
            .post(
                "/api/workspace/invite",
                &[
                    ("slug", "demo"),
                    ("email", "x@example.com"),
                    ("role", "viewer"),
                    ("message", ""),
                ],
            )
            .await;
        assert_eq!(invite.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn admins_manage_below_owner_and_the_last_owner_is_kept() {
    let app = TestApp::seeded().await;
    app.member_of("genius365", "demo", "admin@demo.test", WorkspaceRole::Admin)
        .await;
    let mut admin = app.signed_in(PLATFORM_HOST, "admin@demo.test").await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let viewer_id = member_id(&app, &owner, "demo", "viewer@genius365.test").await;
    let owner_id = member_id(&app, &owner, "demo", "owner@genius365.test").await;
    let admin_id = member_id(&app, &owner, "demo", "admin@demo.test").await;

    let promoted = admin
        .post(
            "/api/workspace/member/role",
            &[
                ("slug", "demo"),
                ("member_id", &viewer_id),
                ("role", "member"),
            ],
        )
        .await;
    let demote_owner = admin
        .post(
            "/api/workspace/member/role",
            &[
                ("slug", "demo"),
                ("member_id", &owner_id),
                ("role", "admin"),
            ],
        )
        .await;
    let self_change = admin
        .post(
            "/api/workspace/member/role",
            &[
                ("slug", "demo"),
                ("member_id", &admin_id),
                ("role", "owner"),
            ],
        )
        .await;
    let grant_owner = admin
        .post(
            "/api/workspace/member/role",
            &[
                ("slug", "demo"),
                ("member_id", &viewer_id),
                ("role", "owner"),
            ],
        )
        .await;
    let owner_self_demote = owner
        .post(
            "/api/workspace/member/role",
            &[
                ("slug", "demo"),
                ("member_id", &owner_id),
                ("role", "admin"),
            ],
        )
        .await;

    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(demote_owner.status, StatusCode::FORBIDDEN);
    assert!(demote_owner.body.contains("Only an owner"));
    assert_eq!(self_change.status, StatusCode::FORBIDDEN);
    assert!(self_change.body.contains("your own role"));
    assert_eq!(grant_owner.status, StatusCode::FORBIDDEN);
    assert_eq!(owner_self_demote.status, StatusCode::FORBIDDEN);
    assert!(
        app.audit_actions()
            .await
            .contains(&"member.role_changed".to_owned())
    );
}

#[tokio::test]
async fn a_removed_member_loses_the_workspace_at_once() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    let viewer_id = member_id(&app, &owner, "demo", "viewer@genius365.test").await;

    let removed = owner
        .post(
            "/api/workspace/member/remove",
            &[("slug", "demo"), ("member_id", &viewer_id)],
        )
        .await;
    let after = viewer.get("/api/tenancy/workspace?slug=demo").await;

    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    assert!(
        app.audit_actions()
            .await
            .contains(&"member.removed".to_owned())
    );
}

#[tokio::test]
async fn removing_a_team_member_removes_them_from_every_workspace() {
    let app = TestApp::seeded().await;
    app.member_of(
        "acme",
        "acme-dental",
        "temp@acme.test",
        WorkspaceRole::Member,
    )
    .await;
    let mut owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let temp = app.signed_in(ACME_HOST, "temp@acme.test").await;
    let team = owner.get("/api/org/team").await.json();
    let id = team
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "temp@acme.test")
        .unwrap()["member_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let owner_row = team
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "owner@acme.test")
        .unwrap()["member_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let self_removal = owner
        .post("/api/org/team/remove", &[("member_id", &owner_row)])
        .await;
    let removed = owner
        .post("/api/org/team/remove", &[("member_id", &id)])
        .await;

    assert_eq!(self_removal.status, StatusCode::FORBIDDEN);
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(
        temp.get("/api/tenancy/workspace?slug=acme-dental")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn partner_admins_create_workspaces_and_others_are_told_why_not() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

    let created = owner
        .post(
            "/api/tenancy/create-workspace",
            &[("name", "Demo"), ("description", "")],
        )
        .await;
    let blank = owner
        .post(
            "/api/tenancy/create-workspace",
            &[("name", "  "), ("description", "")],
        )
        .await;
    let refused = viewer
        .post(
            "/api/tenancy/create-workspace",
            &[("name", "Mine"), ("description", "")],
        )
        .await;

    assert_eq!(created.json(), "demo-2", "the slug is made unique");
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
