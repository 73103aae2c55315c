//! Invitations of every kind: to a workspace, to the team, for a client's own workspace;
//! accepted once by the invited address, resent, cancelled and expired.

use super::*;

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
