//! `/org`: the organisation at a glance, giving a team member a place in a workspace, and
//! choosing who pays for a workspace's minutes.

use app::agents::model::AgentProvider;
use app::calls::model::{CallDirection, CallStatus};
use app::org::api::{GetOrgOverview, PlaceMember, SetBillingExempt};
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;

use crate::common::calls::{Call, store};
use crate::common::{TestApp, agents};

fn place(user: uuid::Uuid, workspace: uuid::Uuid, role: &str) -> PlaceMember {
    PlaceMember {
        user_id: user.to_string(),
        workspace_id: workspace.to_string(),
        role: role.into(),
    }
}

fn call(id: &str, seconds: i32, days_ago: i64) -> Call<'_> {
    Call {
        id,
        status: CallStatus::Completed,
        direction: CallDirection::Inbound,
        number: "+14155550100",
        name: "Caller",
        lines: &["Hello", "Hi"],
        summary: "",
        end_reason: "customer-ended-call",
        seconds,
        days_ago,
    }
}

#[tokio::test]
async fn an_admin_sees_the_organisation_at_a_glance_and_nobody_elses() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace_named("dental", "Acme Dental").await;
    let spa = acme.workspace_named("spa", "Acme Spa").await;
    let globex = app.org("globex").await;
    globex.workspace_named("secret", "Globex Secret").await;
    let owner = dental.member(WorkspaceRole::Owner).await;
    dental.member(WorkspaceRole::Viewer).await;
    let admin = acme.person(PartnerRole::Admin).await;
    let mut admin_client = admin.client().await;
    let mut owner_client = owner.client().await;
    agents::create(
        &mut owner_client,
        "dental",
        &agents::draft(AgentProvider::Sandbox, "Front desk"),
    )
    .await
    .unwrap();
    store(&app, dental.id(), &call("a", 61, 0)).await;
    store(&app, dental.id(), &call("b", 30, 0)).await;
    // Last month's call does not count; a month has at most 31 days.
    store(&app, dental.id(), &call("old", 600, 40)).await;

    let overview = admin_client.call(GetOrgOverview {}).await.unwrap();
    let refused = owner_client.call(GetOrgOverview {}).await.unwrap_err();

    assert_eq!(overview.kpis.workspaces, 2);
    assert_eq!(overview.kpis.agents, 1);
    assert_eq!(overview.kpis.calls_this_month, 2);
    assert_eq!(overview.kpis.minutes_this_month, 3, "2 + 1 started minutes");
    let names: Vec<&str> = overview
        .workspaces
        .iter()
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Acme Dental", "Acme Spa"],
        "globex's are not listed"
    );
    let dental_row = &overview.workspaces[0];
    assert_eq!(dental_row.owners, ["Owner"]);
    assert_eq!((dental_row.members, dental_row.agents), (2, 1));
    assert_eq!(overview.workspaces[1].id, spa.id());
    assert_eq!(
        overview.kpis.credit_cents,
        overview
            .workspaces
            .iter()
            .map(|w| w.credit_cents)
            .sum::<i64>()
    );
    let team: Vec<&str> = overview.team.iter().map(|p| p.email.as_str()).collect();
    assert!(team.contains(&admin.email.as_str()));
    let placed = overview
        .team
        .iter()
        .find(|p| p.email == owner.email)
        .unwrap();
    assert_eq!(
        placed.workspaces,
        [("Acme Dental".to_owned(), WorkspaceRole::Owner)]
    );
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "team members who are not admins"
    );

    let page = admin_client.get("/org").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Acme Spa") && !page.body.contains("Globex"));
    let members_page = owner_client.get("/org").await;
    assert!(members_page.body.contains("org-admins-only"));
}

#[tokio::test]
async fn an_admin_gives_a_team_member_a_place_and_the_last_owner_stays() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let globex = app.org("globex").await;
    let foreign = globex.workspace("secret").await;
    let stranger = globex.person(PartnerRole::Member).await;
    let owner = dental.member(WorkspaceRole::Owner).await;
    let newcomer = acme.person(PartnerRole::Member).await;
    let mut admin = acme.person(PartnerRole::Admin).await.client().await;
    let mut plain = acme
        .person_as("plain@acme.test", PartnerRole::Member)
        .await
        .client()
        .await;

    let added = admin
        .call(place(newcomer.user.id, dental.id(), "viewer"))
        .await;
    let promoted = admin
        .call(place(newcomer.user.id, dental.id(), "admin"))
        .await;
    let same = admin
        .call(place(newcomer.user.id, dental.id(), "admin"))
        .await;
    let last_owner = admin
        .call(place(owner.user.id, dental.id(), "member"))
        .await
        .unwrap_err();
    let not_on_team = admin
        .call(place(stranger.user.id, dental.id(), "member"))
        .await
        .unwrap_err();
    let other_org = admin
        .call(place(newcomer.user.id, foreign.id(), "member"))
        .await
        .unwrap_err();
    let bad = admin
        .call(PlaceMember {
            user_id: "nobody".into(),
            workspace_id: dental.id().to_string(),
            role: "king".into(),
        })
        .await
        .unwrap_err();
    let refused = plain
        .call(place(newcomer.user.id, dental.id(), "owner"))
        .await
        .unwrap_err();
    let admin_makes_owner = admin
        .call(place(newcomer.user.id, dental.id(), "owner"))
        .await
        .unwrap_err();
    let mut org_owner = acme.person(PartnerRole::Owner).await.client().await;
    let second_owner = org_owner
        .call(place(newcomer.user.id, dental.id(), "owner"))
        .await;

    assert_eq!((added, promoted, same), (Ok(()), Ok(()), Ok(())));
    let overview = admin.call(GetOrgOverview {}).await.unwrap();
    let row = overview
        .team
        .iter()
        .find(|p| p.user_id == newcomer.user.id)
        .unwrap();
    assert_eq!(
        row.workspaces,
        [("Dental".to_owned(), WorkspaceRole::Owner)]
    );
    assert_eq!(last_owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last_owner.error.field("role").is_some(), "{last_owner:?}");
    assert_eq!(not_on_team.status, StatusCode::NOT_FOUND);
    assert_eq!(other_org.status, StatusCode::NOT_FOUND);
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.error.field("user_id").is_some() && bad.error.field("role").is_some());
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        admin_makes_owner.error.field("role").is_some(),
        "only organisation owners hand out ownership: {admin_makes_owner:?}"
    );
    assert_eq!(second_owner, Ok(()));
    let placed = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "member.placed")
        .count();
    assert_eq!(
        placed, 3,
        "added, promoted, made owner; the no-op is not recorded"
    );
}

#[tokio::test]
async fn an_admin_chooses_who_pays_for_a_workspaces_minutes() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let dental = acme.workspace("dental").await;
    let foreign = app.org("globex").await.workspace("secret").await;
    let mut admin = acme.person(PartnerRole::Admin).await.client().await;
    let mut plain = acme.person(PartnerRole::Member).await.client().await;

    let exempted = admin
        .call(SetBillingExempt {
            workspace_id: dental.id(),
            exempt: true,
        })
        .await;
    let overview = admin.call(GetOrgOverview {}).await.unwrap();
    let elsewhere = admin
        .call(SetBillingExempt {
            workspace_id: foreign.id(),
            exempt: true,
        })
        .await
        .unwrap_err();
    let refused = plain
        .call(SetBillingExempt {
            workspace_id: dental.id(),
            exempt: false,
        })
        .await
        .unwrap_err();
    let back = admin
        .call(SetBillingExempt {
            workspace_id: dental.id(),
            exempt: false,
        })
        .await;

    assert_eq!(exempted, Ok(()));
    assert!(overview.workspaces[0].billing_exempt);
    assert_eq!(
        overview.kpis.credit_cents, 0,
        "an exempt workspace's credit is not counted"
    );
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(back, Ok(()));
    let foreign_now =
        <app::db::entity::workspace::Entity as sea_orm::EntityTrait>::find_by_id(foreign.id())
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
    assert!(
        !foreign_now.is_billing_exempt,
        "another organisation's workspace is untouched"
    );
    let changed = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|a| a == "workspace.billing_exempt_changed")
        .count();
    assert_eq!(changed, 2);
}
