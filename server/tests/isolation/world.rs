//! The world the matrix runs in (a secret workspace, another organisation and their
//! resources), the calls it makes, and the checks that nothing was refused wrongly,
//! leaked or changed.

use std::collections::BTreeSet;

use app::calls::model::{CallDirection, CallStatus};
use app::tenancy::model::WorkspaceRole;
use axum::http::StatusCode;

use super::common::{self, ACME_HOST, Client, PLATFORM_HOST, TestApp};
use super::matrix::*;

/// The world the outsiders live in.
pub(crate) async fn world() -> (TestApp, Targets) {
    let app = TestApp::seeded().await;
    let db = &app.state.db;
    let platform = app.partner("genius365").await;
    let secret = app::tenancy::service::create_workspace(
        db,
        platform.id,
        "Secret Workspace",
        "secret-ws",
        None,
    )
    .await
    .unwrap();
    let secret_owner = app.add_user("secret-owner@genius365.test").await;
    let member = app::tenancy::service::add_workspace_member(
        db,
        secret.id,
        secret_owner.id,
        WorkspaceRole::Owner,
    )
    .await
    .unwrap();
    for (email, role) in [
        ("wsowner@demo.test", WorkspaceRole::Owner),
        ("admin@demo.test", WorkspaceRole::Admin),
        ("member@demo.test", WorkspaceRole::Member),
    ] {
        app.member_of("genius365", "demo", email, role).await;
    }
    // A pending invitation to the secret workspace, issued by its owner.
    let mut secret_client = app
        .signed_in(PLATFORM_HOST, "secret-owner@genius365.test")
        .await;
    let invite = secret_client
        .post(
            "/api/workspace/invite",
            &[
                ("slug", "secret-ws"),
                ("email", "pending@secret.test"),
                ("role", "viewer"),
                ("message", ""),
            ],
        )
        .await
        .json();
    // A pending team invitation of the platform partner, and its owner's team row.
    let mut platform_owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let team_invite = platform_owner
        .post(
            "/api/org/invite",
            &[
                ("email", "team-invite@genius365.test"),
                ("role", "member"),
                ("message", ""),
            ],
        )
        .await
        .json();
    let team = platform_owner.get("/api/org/team").await.json();
    let acme_owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let acme_members = acme_owner
        .get("/api/workspace/members?slug=acme-dental")
        .await
        .json();
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
    let mut secret_draft: serde_json::Value = serde_json::from_str(&sandbox_draft()).unwrap();
    secret_draft["name"] = "Secret Agent".into();
    let secret_agent = secret_client
        .post_json(
            "/api/agents/create",
            &serde_json::json!({"slug": "secret-ws", "draft": secret_draft}),
        )
        .await;
    assert_eq!(secret_agent.status, StatusCode::OK, "{}", secret_agent.body);
    secret_client.app().run_jobs().await;
    let secret_document = secret_client
        .post(
            "/api/knowledge/save",
            &[
                ("slug", "secret-ws"),
                ("title", "Secret Recipe"),
                ("document_type", "faq"),
                ("status", "active"),
                ("description", ""),
                ("category", ""),
                ("tags", ""),
                ("content", "Two parts gin."),
            ],
        )
        .await;
    assert_eq!(
        secret_document.status,
        StatusCode::OK,
        "{}",
        secret_document.body
    );
    let secret_variable = secret_client
        .post(
            "/api/variables/save",
            &[
                ("slug", "secret-ws"),
                ("name", "secret_code"),
                ("description", "Secret Recipe"),
                ("default_value", ""),
                ("category", "custom"),
            ],
        )
        .await;
    assert_eq!(
        secret_variable.status,
        StatusCode::OK,
        "{}",
        secret_variable.body
    );
    let demo = app.workspace("genius365", "demo").await;
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
    let targets = Targets {
        secret_workspace_id: secret.id.to_string(),
        secret_call_id: secret_call.to_string(),
        secret_variable_id: secret_variable.json().as_str().unwrap().to_owned(),
        secret_document_id: secret_document.json().as_str().unwrap().to_owned(),
        secret_agent_id: secret_agent.json().as_str().unwrap().to_owned(),
        platform_integration_id: integration.id.to_string(),
        demo_workspace_id: demo.id.to_string(),
        secret_member_id: member.id.to_string(),
        acme_member_id: acme_members[0]["member_id"].as_str().unwrap().to_owned(),
        platform_team_member_id: team[0]["member_id"].as_str().unwrap().to_owned(),
        secret_invitation_id: invite["id"].as_str().unwrap().to_owned(),
        platform_team_invitation_id: team_invite["id"].as_str().unwrap().to_owned(),
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
                    .filter(|j: &serde_json::Value| j.is_object() || j.is_null())
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
