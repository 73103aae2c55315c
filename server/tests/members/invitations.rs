//! Invitations of every kind: to a workspace, to the team, for a client's own workspace;
//! accepted once by the invited address, resent, cancelled and expired.

use app::invitations::api::{
    AcceptInvitation, AcceptInvitationSignup, CancelInvitation, InviteClient, InviteToTeam,
    InviteToWorkspace, OrgInvitations, PreviewInvitation, ResendInvitation,
};
use app::invitations::model::InvitationState;

use super::*;

fn invite(slug: &str, email: &str, role: &str, message: &str) -> InviteToWorkspace {
    InviteToWorkspace {
        slug: slug.into(),
        email: email.into(),
        role: role.into(),
        message: message.into(),
    }
}

fn signup(token: &str, first_name: &str, password: &str) -> AcceptInvitationSignup {
    AcceptInvitationSignup {
        token: token.into(),
        first_name: first_name.into(),
        last_name: String::new(),
        password: password.into(),
        confirm_password: password.into(),
    }
}

async fn state_of(client: &mut Client<'_>, token: &str) -> InvitationState {
    client
        .call(PreviewInvitation {
            token: token.into(),
        })
        .await
        .unwrap()
        .state
}

#[tokio::test]
async fn a_workspace_invitation_is_accepted_once_by_the_invited_address_only() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let ws = acme.workspace("dental").await;
    let mut owner = ws.member(WorkspaceRole::Owner).await.client().await;

    let issued = owner
        .call(invite(
            &ws.slug(),
            "New.Hire@Example.com",
            "member",
            "Welcome aboard",
        ))
        .await;
    let duplicate = owner
        .call(invite(&ws.slug(), "new.hire@example.com", "member", ""))
        .await;
    let issued = issued.unwrap();
    assert_eq!(issued.email, "new.hire@example.com");
    assert_eq!(
        duplicate.unwrap_err().status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let emails = app.emails_to("new.hire@example.com").await;
    assert_eq!(emails[0].subject, "You've been invited to Dental");
    assert!(emails[0].html.contains("#0e7490"), "the partner's colour");
    let token = common::token_in(&emails[0].text);
    // The inviter is told it was sent, never given the link: `IssuedInvitation` has no
    // field for it, and its id and email are all the answer holds.

    // Someone else signed in cannot take it.
    let mut stranger = ws.member(WorkspaceRole::Viewer).await.client().await;
    let mismatch = stranger
        .call(AcceptInvitation {
            token: token.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(mismatch.status, StatusCode::FORBIDDEN);
    assert!(says(&mismatch.error).contains("was sent to new.hire@example.com"));

    // The invitee creates an account from the link and lands in the workspace.
    let mut invitee = acme.visitor();
    let preview = invitee
        .call(PreviewInvitation {
            token: token.clone(),
        })
        .await
        .unwrap();
    assert_eq!(preview.state, InvitationState::Pending);
    assert_eq!(preview.target, "Dental");
    assert_eq!(preview.brand.name, "Acme");
    let accepted = invitee
        .call(signup(&token, "New", "Fresh-Start-2026!"))
        .await;
    assert_eq!(accepted, Ok("/w/dental".to_owned()));
    let members = invitee
        .call(WorkspaceMembers { slug: ws.slug() })
        .await
        .unwrap();
    assert!(members.iter().any(|m| m.email == "new.hire@example.com"));

    assert_eq!(
        state_of(&mut acme.visitor(), &token).await,
        InvitationState::Unusable
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"invitation.accepted".to_owned())
    );
}

#[tokio::test]
async fn resending_replaces_the_link_and_cancelling_kills_it() {
    let app = TestApp::new().await;
    let ws = app.org("acme").await.workspace("dental").await;
    let mut owner = ws.member(WorkspaceRole::Owner).await.client().await;
    let issued = owner
        .call(invite(&ws.slug(), "later@example.com", "viewer", ""))
        .await
        .unwrap();
    let first_token = app.token_emailed_to(&issued.email).await;

    let resent = owner
        .call(ResendInvitation {
            id: issued.id,
            slug: Some(ws.slug()),
        })
        .await
        .unwrap();
    let second_token = app.token_emailed_to(&resent.email).await;
    let old = state_of(&mut owner, &first_token).await;
    let cancelled = owner
        .call(CancelInvitation {
            id: issued.id,
            slug: Some(ws.slug()),
        })
        .await;
    let new = state_of(&mut owner, &second_token).await;

    assert_ne!(first_token, second_token);
    assert_eq!(old, InvitationState::Unusable);
    assert_eq!(cancelled, Ok(()));
    assert_eq!(new, InvitationState::Unusable);
    assert_eq!(app.emails_to("later@example.com").await.len(), 2);
}

#[tokio::test]
async fn organisation_admins_resend_and_cancel_team_and_client_invitations_only() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let ws = acme.workspace("dental").await;
    let mut org_admin = acme.person(PartnerRole::Admin).await.client().await;
    let mut ws_owner = ws.member(WorkspaceRole::Owner).await.client().await;
    let team = org_admin
        .call(InviteToTeam {
            email: "ops@example.com".into(),
            role: "member".into(),
            message: String::new(),
            workspace_grants: None,
        })
        .await
        .unwrap();
    let client = org_admin
        .call(InviteClient {
            email: "clinic@example.com".into(),
            workspace_name: String::new(),
            message: String::new(),
        })
        .await
        .unwrap();
    let to_workspace = ws_owner
        .call(invite(&ws.slug(), "guest@example.com", "viewer", ""))
        .await
        .unwrap();
    let resend = |id, slug: Option<String>| ResendInvitation { id, slug };
    let cancel = |id, slug: Option<String>| CancelInvitation { id, slug };

    // A workspace owner who is no organisation admin may not touch the team's, whether
    // asking as the organisation or through their workspace.
    let as_org = ws_owner.call(cancel(team.id, None)).await.unwrap_err();
    let through_ws = ws_owner
        .call(cancel(team.id, Some(ws.slug())))
        .await
        .unwrap_err();
    // The organisation's invitations are not the workspace's, nor the other way round.
    let ws_one_as_org = org_admin
        .call(cancel(to_workspace.id, None))
        .await
        .unwrap_err();
    let resent = org_admin.call(resend(team.id, None)).await;
    let cancelled = org_admin.call(cancel(client.id, None)).await;
    let pending = |kind: &str| OrgInvitations { kind: kind.into() };

    assert_eq!(as_org.status, StatusCode::FORBIDDEN);
    assert_eq!(through_ws.status, StatusCode::NOT_FOUND);
    assert_eq!(ws_one_as_org.status, StatusCode::NOT_FOUND);
    assert_eq!(resent.unwrap().email, "ops@example.com");
    assert_eq!(app.emails_to("ops@example.com").await.len(), 2);
    assert_eq!(cancelled, Ok(()));
    let teams = org_admin.call(pending("partner")).await.unwrap();
    let clients = org_admin.call(pending("client")).await.unwrap();
    assert_eq!(
        teams.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![team.id]
    );
    assert!(clients.is_empty(), "{clients:?}");
    let left = ws_owner
        .call(app::invitations::api::WorkspaceInvitations { slug: ws.slug() })
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "the workspace's invitation is untouched");
}

#[tokio::test]
async fn an_expired_invitation_cannot_be_accepted() {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let ws = acme.workspace("dental").await;
    let mut owner = ws.member(WorkspaceRole::Owner).await.client().await;
    let issued = owner
        .call(invite(&ws.slug(), "slow@example.com", "viewer", ""))
        .await
        .unwrap();
    let token = app.token_emailed_to(&issued.email).await;
    for row in app::db::entity::invitation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let mut active = row.into_active_model();
        active.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
        active.update(&app.state.db).await.unwrap();
    }

    let preview = state_of(&mut owner, &token).await;
    let accept = acme
        .visitor()
        .call(signup(&token, "Slow", "Too-Late-Password-1"))
        .await
        .unwrap_err();

    assert_eq!(preview, InvitationState::Expired);
    assert_eq!(accept.status, StatusCode::CONFLICT);
    assert!(says(&accept.error).contains("expired"));
}

#[tokio::test]
async fn a_team_invitation_grants_the_partner_role_and_the_chosen_workspaces() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let ws = acme.workspace("dental").await;
    let elsewhere = app.org("globex").await.workspace("demo").await;
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let team_invite = |role: &str, message: &str, grants: Vec<String>| InviteToTeam {
        email: "ops@example.com".into(),
        role: role.into(),
        message: message.into(),
        workspace_grants: Some(grants),
    };

    let foreign = owner
        .call(team_invite(
            "member",
            "",
            vec![format!("{}:admin", elsewhere.id())],
        ))
        .await;
    let issued = owner
        .call(team_invite(
            "admin",
            "Run the night shift",
            vec![String::new(), format!("{}:viewer", ws.id())],
        ))
        .await;
    assert_eq!(
        foreign.unwrap_err().status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another partner's workspace"
    );
    let token = app.token_emailed_to(&issued.unwrap().email).await;
    let mut ops = acme.visitor();
    let accepted = ops.call(signup(&token, "Ops", "Night-Shift-2026!")).await;

    assert_eq!(accepted, Ok("/w/dental".to_owned()));
    let team = owner.call(TeamMembers {}).await.unwrap();
    let row = team.iter().find(|m| m.email == "ops@example.com").unwrap();
    assert_eq!(row.role, PartnerRole::Admin);
    assert_eq!(row.workspaces, vec!["Dental".to_owned()]);
    // An organisation admin acts as admin in every workspace, above the granted viewer.
    let overview = ops
        .call(GetWorkspaceOverview { slug: ws.slug() })
        .await
        .unwrap();
    assert_eq!(overview.role, WorkspaceRole::Admin);
}

#[tokio::test]
async fn a_client_invitation_creates_the_clients_own_workspace() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;

    let issued = owner
        .call(InviteClient {
            email: "clinic@example.com".into(),
            workspace_name: "Bright Smiles".into(),
            message: String::new(),
        })
        .await
        .unwrap();
    let token = app.token_emailed_to(&issued.email).await;
    let mut client = acme.visitor();
    let accepted = client
        .call(signup(&token, "Clara", "Bright-Smiles-2026!"))
        .await;

    assert_eq!(accepted, Ok("/w/bright-smiles".to_owned()));
    let overview = client
        .call(GetWorkspaceOverview {
            slug: "bright-smiles".into(),
        })
        .await
        .unwrap();
    assert_eq!(overview.role, WorkspaceRole::Owner);
    assert_eq!(
        app.emails_to("clinic@example.com").await[0].subject,
        "Acme set up a workspace for you"
    );
}

#[tokio::test]
async fn an_overlong_name_on_the_invitation_form_is_refused_not_a_server_error() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let ws = acme.workspace("dental").await;
    let mut owner = ws.member(WorkspaceRole::Owner).await.client().await;
    let issued = owner
        .call(invite(&ws.slug(), "long@example.com", "viewer", ""))
        .await
        .unwrap();
    let token = app.token_emailed_to(&issued.email).await;
    let long = "x".repeat(101);

    let refused = acme
        .visitor()
        .call(signup(&token, &long, "Long-Name-Person-1!"))
        .await
        .unwrap_err();

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.error.field("first_name").is_some(), "{refused:?}");
    assert_eq!(
        state_of(&mut acme.visitor(), &token).await,
        InvitationState::Pending,
        "the invitation is still usable"
    );
}
