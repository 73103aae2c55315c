//! Workspace members and the organisation's team: roles, owner protections, removal, and
//! invitations of every kind from issue to acceptance.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

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
async fn a_workspace_invitation_is_accepted_once_by_the_invited_address_only() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(ACME_HOST, "owner@acme.test").await;

    let issued = owner
        .post(
            "/api/workspace/invite",
            &[
                ("slug", "acme-dental"),
                ("email", "New.Hire@Example.com"),
                ("role", "member"),
                ("message", "Welcome aboard"),
            ],
        )
        .await;
    let duplicate = owner
        .post(
            "/api/workspace/invite",
            &[
                ("slug", "acme-dental"),
                ("email", "new.hire@example.com"),
                ("role", "member"),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    let emails = app.emails_to("new.hire@example.com").await;
    assert_eq!(emails[0].subject, "You've been invited to Acme Dental");
    assert!(emails[0].html.contains("#e11d48"), "the partner's colour");
    let token = common::token_in(&emails[0].text);
    assert!(
        issued.json().get("link").is_none(),
        "the inviter is told it was sent, never given the link"
    );

    // Someone else signed in cannot take it.
    let mut stranger = app.signed_in(ACME_HOST, "viewer@acme.test").await;
    let mismatch = stranger
        .post("/api/invitations/accept", &[("token", &token)])
        .await;
    assert_eq!(mismatch.status, StatusCode::FORBIDDEN);
    assert!(mismatch.body.contains("was sent to new.hire@example.com"));

    // The invitee creates an account from the link and lands in the workspace.
    let mut invitee = app.client(ACME_HOST);
    let preview = invitee
        .get(&format!("/api/invitations/preview?token={token}"))
        .await
        .json();
    assert_eq!(preview["state"], "Pending");
    assert_eq!(preview["target"], "Acme Dental");
    assert_eq!(preview["brand"]["name"], "Acme Voice");
    let accepted = invitee
        .post(
            "/api/invitations/accept-signup",
            &[
                ("token", &token),
                ("first_name", "New"),
                ("last_name", "Hire"),
                ("password", "Fresh-Start-2026!"),
                ("confirm_password", "Fresh-Start-2026!"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.json(), "/w/acme-dental");
    let members = invitee.get("/api/workspace/members?slug=acme-dental").await;
    assert!(members.body.contains("new.hire@example.com"));

    let reused = app
        .client(ACME_HOST)
        .get(&format!("/api/invitations/preview?token={token}"))
        .await
        .json();
    assert_eq!(reused["state"], "Unusable");
    assert!(
        app.audit_actions()
            .await
            .contains(&"invitation.accepted".to_owned())
    );
}

#[tokio::test]
async fn resending_replaces_the_link_and_cancelling_kills_it() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let issued = owner
        .post(
            "/api/workspace/invite",
            &[
                ("slug", "demo"),
                ("email", "later@example.com"),
                ("role", "viewer"),
                ("message", ""),
            ],
        )
        .await
        .json();
    let first_token = app
        .token_emailed_to(issued["email"].as_str().unwrap())
        .await;
    let id = issued["id"].as_str().unwrap().to_owned();

    let resent = owner
        .post(
            "/api/workspace/invitation/resend",
            &[("slug", "demo"), ("id", &id)],
        )
        .await
        .json();
    let second_token = app
        .token_emailed_to(resent["email"].as_str().unwrap())
        .await;
    let old = owner
        .get(&format!("/api/invitations/preview?token={first_token}"))
        .await
        .json();
    let cancelled = owner
        .post(
            "/api/workspace/invitation/cancel",
            &[("slug", "demo"), ("id", &id)],
        )
        .await;
    let new = owner
        .get(&format!("/api/invitations/preview?token={second_token}"))
        .await
        .json();

    assert_ne!(first_token, second_token);
    assert_eq!(old["state"], "Unusable");
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(new["state"], "Unusable");
    assert_eq!(app.emails_to("later@example.com").await.len(), 2);
}

#[tokio::test]
async fn an_expired_invitation_cannot_be_accepted() {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let issued = owner
        .post(
            "/api/workspace/invite",
            &[
                ("slug", "demo"),
                ("email", "slow@example.com"),
                ("role", "viewer"),
                ("message", ""),
            ],
        )
        .await
        .json();
    let token = app
        .token_emailed_to(issued["email"].as_str().unwrap())
        .await;
    for row in app::db::entity::invitation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let mut active = row.into_active_model();
        active.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
        active.update(&app.state.db).await.unwrap();
    }

    let preview = owner
        .get(&format!("/api/invitations/preview?token={token}"))
        .await
        .json();
    let accept = app
        .client(PLATFORM_HOST)
        .post(
            "/api/invitations/accept-signup",
            &[
                ("token", &token),
                ("first_name", "Slow"),
                ("last_name", ""),
                ("password", "Too-Late-Password-1"),
                ("confirm_password", "Too-Late-Password-1"),
            ],
        )
        .await;

    assert_eq!(preview["state"], "Expired");
    assert_eq!(accept.status, StatusCode::CONFLICT);
    assert!(accept.body.contains("expired"));
}

#[tokio::test]
async fn a_team_invitation_grants_the_partner_role_and_the_chosen_workspaces() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let ws = app.workspace("acme", "acme-dental").await;
    let platform_ws = app.workspace("genius365", "demo").await;

    let foreign = owner
        .post(
            "/api/org/invite",
            &[
                ("email", "ops@example.com"),
                ("role", "member"),
                ("message", ""),
                ("workspace_grants[0]", &format!("{}:admin", platform_ws.id)),
            ],
        )
        .await;
    let issued = owner
        .post(
            "/api/org/invite",
            &[
                ("email", "ops@example.com"),
                ("role", "admin"),
                ("message", "Run the night shift"),
                ("workspace_grants[0]", ""),
                ("workspace_grants[1]", &format!("{}:viewer", ws.id)),
            ],
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another partner's workspace"
    );
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let token = app
        .token_emailed_to(issued.json()["email"].as_str().unwrap())
        .await;
    let mut ops = app.client(ACME_HOST);
    let accepted = ops
        .post(
            "/api/invitations/accept-signup",
            &[
                ("token", &token),
                ("first_name", "Ops"),
                ("last_name", ""),
                ("password", "Night-Shift-2026!"),
                ("confirm_password", "Night-Shift-2026!"),
            ],
        )
        .await;

    assert_eq!(accepted.json(), "/w/acme-dental");
    let team = owner.get("/api/org/team").await.json();
    let row = team
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "ops@example.com")
        .unwrap();
    assert_eq!(row["role"], "admin");
    assert_eq!(row["workspaces"], serde_json::json!(["Acme Dental"]));
    // An organisation admin acts as admin in every workspace, above the granted viewer.
    let overview = ops
        .get("/api/tenancy/workspace?slug=acme-dental")
        .await
        .json();
    assert_eq!(overview["role"], "admin");
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
async fn a_client_invitation_creates_the_clients_own_workspace() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(ACME_HOST, "owner@acme.test").await;

    let issued = owner
        .post(
            "/api/org/invite-client",
            &[
                ("email", "clinic@example.com"),
                ("workspace_name", "Bright Smiles"),
                ("message", ""),
            ],
        )
        .await;
    let token = app
        .token_emailed_to(issued.json()["email"].as_str().unwrap())
        .await;
    let mut client = app.client(ACME_HOST);
    let accepted = client
        .post(
            "/api/invitations/accept-signup",
            &[
                ("token", &token),
                ("first_name", "Clara"),
                ("last_name", ""),
                ("password", "Bright-Smiles-2026!"),
                ("confirm_password", "Bright-Smiles-2026!"),
            ],
        )
        .await;

    assert_eq!(accepted.json(), "/w/bright-smiles");
    let overview = client
        .get("/api/tenancy/workspace?slug=bright-smiles")
        .await
        .json();
    assert_eq!(overview["role"], "owner");
    assert_eq!(
        app.emails_to("clinic@example.com").await[0].subject,
        "Acme Voice set up a workspace for you"
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

#[tokio::test]
async fn an_overlong_name_on_the_invitation_form_is_refused_not_a_server_error() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let issued = owner
        .post(
            "/api/workspace/invite",
            &[
                ("slug", "demo"),
                ("email", "long@example.com"),
                ("role", "viewer"),
                ("message", ""),
            ],
        )
        .await
        .json();
    let token = app
        .token_emailed_to(issued["email"].as_str().unwrap())
        .await;
    let long = "x".repeat(101);

    let refused = app
        .client(PLATFORM_HOST)
        .post(
            "/api/invitations/accept-signup",
            &[
                ("token", &token),
                ("first_name", &long),
                ("last_name", ""),
                ("password", "Long-Name-Person-1!"),
                ("confirm_password", "Long-Name-Person-1!"),
            ],
        )
        .await;

    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("first_name"));
    let again = app
        .client(PLATFORM_HOST)
        .get(&format!("/api/invitations/preview?token={token}"))
        .await
        .json();
    assert_eq!(again["state"], "Pending", "the invitation is still usable");
}
