//! The world the matrix runs in (a secret workspace, another organisation and their
//! resources), the calls it makes, and the checks that nothing was refused wrongly,
//! leaked or changed.

use std::collections::BTreeSet;

use app::calls::model::{CallDirection, CallStatus};
use app::tenancy::model::WorkspaceRole;
use axum::http::StatusCode;

use super::common::{self, Client, TestApp};
use super::matrix::*;

/// The world the outsiders live in: the platform organisation with workspace `demo`
/// (an owner of both, a viewer, and a person of each workspace role) and a secret
/// workspace of its own with an agent, a document, a variable, a call and a pending
/// invitation; a team invitation and an integration of the platform; and Acme, another
/// organisation with its own workspace and owner.
pub(crate) async fn world() -> (TestApp, Targets) {
    use app::agents::model::AgentDraft;
    use app::invitations::api::{InviteToTeam, InviteToWorkspace};
    use app::knowledge::api::SaveDocument;
    use app::members::api::{TeamMembers, WorkspaceMembers};
    use app::tenancy::model::PartnerRole;
    use app::tenancy::service::add_workspace_member;
    use app::variables::api::SaveVariable;

    let app = TestApp::new().await;
    let db = &app.state.db;
    let platform_org = app.platform().await;
    let platform = platform_org.partner.clone();
    let demo_ws = platform_org.workspace_named("demo", "Demo Workspace").await;
    let demo = demo_ws.workspace.clone();
    let owner = platform_org
        .person_as("owner@genius365.test", PartnerRole::Owner)
        .await;
    add_workspace_member(db, demo.id, owner.user.id, WorkspaceRole::Owner)
        .await
        .unwrap();
    for (email, role) in [
        ("viewer@genius365.test", WorkspaceRole::Viewer),
        ("wsowner@demo.test", WorkspaceRole::Owner),
        ("admin@demo.test", WorkspaceRole::Admin),
        ("member@demo.test", WorkspaceRole::Member),
    ] {
        demo_ws.member_as(email, role).await;
    }
    let acme_org = app.org("acme").await;
    let acme_ws = acme_org.workspace_named("acme-dental", "Acme Dental").await;
    let acme_owner = acme_org
        .person_as("owner@acme.test", PartnerRole::Owner)
        .await;
    add_workspace_member(db, acme_ws.id(), acme_owner.user.id, WorkspaceRole::Owner)
        .await
        .unwrap();

    // The secret workspace, whose owner has no other place in the organisation.
    let secret = platform_org
        .workspace_named("secret-ws", "Secret Workspace")
        .await
        .workspace;
    let secret_owner = platform_org.outsider("secret-owner@genius365.test").await;
    let member = add_workspace_member(db, secret.id, secret_owner.user.id, WorkspaceRole::Owner)
        .await
        .unwrap();
    let mut secret_client = secret_owner.client().await;
    // A pending invitation to the secret workspace, issued by its owner.
    let invite = secret_client
        .call(InviteToWorkspace {
            slug: "secret-ws".into(),
            email: "pending@secret.test".into(),
            role: "viewer".into(),
            message: String::new(),
        })
        .await
        .unwrap();
    // A pending team invitation of the platform partner, and its owner's team row.
    let mut platform_owner = owner.client().await;
    let team_invite = platform_owner
        .call(InviteToTeam {
            email: "team-invite@genius365.test".into(),
            role: "member".into(),
            message: String::new(),
            workspace_grants: None,
        })
        .await
        .unwrap();
    let team = platform_owner.call(TeamMembers {}).await.unwrap();
    let mut acme_client = acme_owner.client().await;
    let acme_members = acme_client
        .call(WorkspaceMembers {
            slug: "acme-dental".into(),
        })
        .await
        .unwrap();
    let integration = app::integrations::service::create(
        db,
        &app.state.vault,
        platform.id,
        None,
        app::integrations::service::NewIntegration {
            provider: "vapi",
            name: "Platform VAPI",
            secret_key: "platform-vapi-secret-1",
            public_key: "",
            app_id: "",
            outbound_number: "",
            is_default: true,
        },
    )
    .await
    .unwrap();
    let mut secret_draft: AgentDraft = serde_json::from_str(&sandbox_draft()).unwrap();
    secret_draft.name = "Secret Agent".into();
    let secret_agent = common::agents::create(&mut secret_client, "secret-ws", &secret_draft)
        .await
        .unwrap();
    let secret_document = secret_client
        .call(SaveDocument {
            slug: "secret-ws".into(),
            id: None,
            title: "Secret Recipe".into(),
            document_type: "faq".into(),
            status: "active".into(),
            description: String::new(),
            category: String::new(),
            tags: String::new(),
            content: "Two parts gin.".into(),
        })
        .await
        .unwrap();
    let secret_variable = secret_client
        .call(SaveVariable {
            slug: "secret-ws".into(),
            id: None,
            name: "secret_code".into(),
            description: "Secret Recipe".into(),
            default_value: String::new(),
            category: "custom".into(),
            is_required: None,
        })
        .await
        .unwrap();
    let secret_call = common::calls::store(
        &app,
        secret.id,
        &common::calls::Call {
            id: "secret-call-1",
            status: CallStatus::Completed,
            direction: CallDirection::Inbound,
            number: "+14155550111",
            name: "Secret Caller",
            lines: &["Secret Recipe, please."],
            summary: "Asked for the Secret Recipe.",
            end_reason: "customer-ended-call",
            seconds: 42,
            days_ago: 0,
        },
    )
    .await;
    let secret_campaign = secret_client
        .call(app::campaigns::api::CreateCampaign {
            slug: "secret-ws".into(),
            settings: app::campaigns::model::CampaignSettings {
                name: "Secret Recipe calls".into(),
                agent_id: Some(secret_agent),
                ..Default::default()
            },
        })
        .await
        .unwrap();
    let list = secret_client
        .post_body(
            &format!("/w/secret-ws/campaigns/{secret_campaign}/import"),
            "text/csv",
            b"phone,name\n+14155550111,Secret Caller\n".to_vec(),
        )
        .await;
    assert_eq!(list.status, axum::http::StatusCode::OK, "{}", list.body);
    secret_client
        .call(app::campaigns::api::AddDoNotCall {
            slug: "secret-ws".into(),
            phone: "+14155550112".into(),
            reason: "Secret Recipe".into(),
        })
        .await
        .unwrap();
    let targets = Targets {
        platform_partner_id: app.partner("genius365").await.id.to_string(),
        platform_domain_id: {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let platform = app.partner("genius365").await;
            app::db::entity::partner_domain::Entity::find()
                .filter(app::db::entity::partner_domain::Column::PartnerId.eq(platform.id))
                .one(&app.state.db)
                .await
                .unwrap()
                .expect("the platform has a domain")
                .id
                .to_string()
        },
        secret_campaign_id: secret_campaign.to_string(),
        secret_workspace_id: secret.id.to_string(),
        secret_call_id: secret_call.to_string(),
        secret_variable_id: secret_variable.to_string(),
        secret_document_id: secret_document.to_string(),
        secret_agent_id: secret_agent.to_string(),
        platform_integration_id: integration.id.to_string(),
        demo_workspace_id: demo.id.to_string(),
        secret_member_id: member.id.to_string(),
        acme_member_id: acme_members[0].member_id.to_string(),
        platform_team_member_id: team[0].member_id.to_string(),
        secret_invitation_id: invite.id.to_string(),
        platform_team_invitation_id: team_invite.id.to_string(),
    };
    (app, targets)
}

pub(crate) async fn call(
    client: &mut Client<'_>,
    case: &Case,
    args: Vec<(&'static str, String)>,
) -> common::TestResponse {
    let is_get = server_fn::axum::server_fn_paths()
        .any(|(path, method)| path == case.path && method == axum::http::Method::GET);
    if JSON_INPUT.contains(&case.path) {
        let body: serde_json::Map<String, serde_json::Value> = args
            .iter()
            .map(|(k, v)| {
                let value = serde_json::from_str(v)
                    .ok()
                    .filter(|j: &serde_json::Value| j.is_object() || j.is_array() || j.is_null())
                    .unwrap_or_else(|| serde_json::Value::String(v.clone()));
                ((*k).to_owned(), value)
            })
            .collect();
        client
            .post_json(case.path, &serde_json::Value::Object(body))
            .await
    } else if is_get {
        let query = args
            .iter()
            .map(|(k, v)| format!("{k}={}", common::client::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        client.get(&format!("{}?{query}", case.path)).await
    } else {
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client.post(case.path, &form).await
    }
}

pub(crate) fn assert_refused(
    response: &common::TestResponse,
    who: &str,
    path: &str,
    allowed: &[StatusCode],
) {
    assert!(
        allowed.contains(&response.status),
        "{who} → {path}: expected one of {allowed:?}, got {} {}",
        response.status,
        response.body
    );
    for secret in SECRETS {
        assert!(
            !response.body.contains(secret),
            "{who} → {path} leaked {secret:?}: {}",
            response.body
        );
    }
}

/// Memberships and invitations, to show nothing an outsider did changed them.
/// Every row of every table that holds tenants' data, as JSON, sorted: two snapshots are
/// equal only if no row was added, removed or changed anywhere. Left out: what signing in
/// and refusing rightly write (sessions, counted attempts, the audit trail, a user's last
/// sign-in time) and short-lived call holds.
pub(crate) async fn snapshot(app: &TestApp) -> String {
    use app::db::entity::*;
    use sea_orm::EntityTrait;
    let db = &app.state.db;
    let mut lines: Vec<String> = Vec::new();
    macro_rules! rows {
        ($($table:ident),* $(,)?) => {$(
            for mut row in $table::Entity::find().into_json().all(db).await.unwrap() {
                if let Some(fields) = row.as_object_mut() {
                    if stringify!($table) == "user" {
                        fields.remove("last_login_at");
                        fields.remove("updated_at");
                    }
                }
                lines.push(format!("{} {row}", stringify!($table)));
            }
        )*};
    }
    rows!(
        agent,
        agent_knowledge_document,
        auth_token,
        conversation,
        credit_transaction,
        credit_wallet,
        email_outbox,
        invitation,
        knowledge_document,
        mfa_recovery_code,
        partner,
        partner_domain,
        partner_integration,
        partner_member,
        super_admin,
        user,
        user_mfa,
        workspace,
        workspace_integration_assignment,
        workspace_member,
        workspace_variable,
    );
    lines.sort();
    lines.join("\n")
}

/// Fails when an answer to an outsider holds any of the targets' names, emails or ids.
pub(crate) fn assert_no_leak(response: &common::TestResponse, t: &Targets, who: &str, path: &str) {
    let ids = [
        &t.secret_workspace_id,
        &t.secret_agent_id,
        &t.secret_document_id,
        &t.secret_variable_id,
        &t.secret_call_id,
        &t.secret_member_id,
        &t.secret_invitation_id,
    ];
    for secret in SECRETS
        .iter()
        .copied()
        .chain(ids.iter().map(|s| s.as_str()))
    {
        assert!(
            !response.body.contains(secret),
            "{who} → {path} leaked {secret}: {}",
            response.body
        );
    }
}

/// Fails naming the rows that differ between two snapshots.
pub(crate) fn assert_unchanged(before: &str, after: &str) {
    let (b, a): (BTreeSet<&str>, BTreeSet<&str>) =
        (before.lines().collect(), after.lines().collect());
    let gone: Vec<_> = b.difference(&a).collect();
    let new: Vec<_> = a.difference(&b).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "an outsider changed something:\nbefore: {gone:#?}\nafter: {new:#?}"
    );
}
