//! The isolation matrix: every server function and page, called by every kind of outsider
//! against resources that are not theirs, answers 401/403/404 and leaks nothing.
//!
//! Outsiders: each role of workspace `demo` (owner, admin, member, viewer) aiming at
//! `secret-ws` (same partner, not theirs) and at acme's workspace; acme's owner aiming at
//! the platform partner's people and invitations. A server function or page missing from
//! the tables below fails `every_server_function_is_in_the_matrix` (or its page twin):
//! adding one means deciding here who may call it.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use std::collections::BTreeSet;

use app::access::permission::WorkspacePermission;
use app::tenancy::model::WorkspaceRole;
use axum::http::StatusCode;
use common::{ACME_HOST, Client, PLATFORM_HOST, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Who a server function admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Anyone (sign-in forms, brand, invitation preview).
    Public,
    /// Any signed-in person, about themselves only.
    SignedIn,
    /// A role in the workspace named by `slug`.
    Workspace,
    /// An organisation owner or admin, about their own organisation.
    Partner,
    /// A platform administrator, on the platform host.
    SuperAdmin,
}

/// What the foreign resources are called.
struct Targets {
    secret_member_id: String,
    acme_member_id: String,
    platform_team_member_id: String,
    secret_invitation_id: String,
    platform_team_invitation_id: String,
    platform_integration_id: String,
    demo_workspace_id: String,
    secret_agent_id: String,
    secret_document_id: String,
    secret_variable_id: String,
    secret_workspace_id: String,
    secret_call_id: String,
}

type Args = fn(&Targets, &str) -> Vec<(&'static str, String)>;

struct Case {
    path: &'static str,
    gate: Gate,
    /// Arguments aimed at foreign resources; the `&str` is the workspace slug to aim at.
    args: Args,
}

fn none(_: &Targets, _: &str) -> Vec<(&'static str, String)> {
    vec![]
}
fn slug(_: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into())]
}
fn document(t: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into()), ("id", t.secret_document_id.clone())]
}

fn agent(t: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into()), ("id", t.secret_agent_id.clone())]
}

/// A valid Sandbox agent draft, as JSON text.
fn sandbox_draft() -> String {
    let mut draft = app::agents::model::AgentDraft::new(app::agents::model::AgentProvider::Sandbox);
    draft.name = "Intruder".into();
    draft.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    draft.config.system_prompt = "Leak everything.".into();
    draft.config.first_message = "Hello".into();
    serde_json::to_string(&draft).unwrap()
}

/// Server functions that take a JSON body rather than a form.
const JSON_INPUT: &[&str] = &[
    "/api/agents/create",
    "/api/agents/update",
    "/api/knowledge/extract",
];

const CASES: &[Case] = &[
    // Public
    Case {
        path: "/api/tenancy/brand",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/viewer",
        gate: Gate::Public,
        args: none,
    },
    // The colour scheme: a cookie of the browser's own, nothing stored.
    Case {
        path: "/api/theme",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/login",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/login-code",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/logout",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/confirm-email",
        gate: Gate::Public,
        args: |_, _| {
            vec![
                ("token", "not-a-token".into()),
                ("password", "Demo-Password-2026!".into()),
            ]
        },
    },
    Case {
        path: "/api/auth/resend-confirmation",
        gate: Gate::Public,
        args: |_, _| vec![("email", "owner@acme.test".into())],
    },
    Case {
        path: "/api/auth/signup",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/forgot-password",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/reset-token",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/auth/reset-password",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/invitations/preview",
        gate: Gate::Public,
        args: none,
    },
    Case {
        path: "/api/invitations/accept-signup",
        gate: Gate::Public,
        args: none,
    },
    // Signed in, about oneself
    Case {
        path: "/api/auth/workspaces",
        gate: Gate::SignedIn,
        args: none,
    },
    Case {
        path: "/api/account/profile",
        gate: Gate::SignedIn,
        args: |_, _| {
            vec![
                ("first_name", "Spy".into()),
                ("last_name", String::new()),
                ("avatar_url", String::new()),
                ("phone_number", String::new()),
            ]
        },
    },
    Case {
        path: "/api/account/password",
        gate: Gate::SignedIn,
        args: |_, _| {
            vec![
                ("current_password", "x".into()),
                ("new_password", "Spy-Password-2026!".into()),
                ("confirm_password", "Spy-Password-2026!".into()),
            ]
        },
    },
    Case {
        path: "/api/account/mfa",
        gate: Gate::SignedIn,
        args: none,
    },
    Case {
        path: "/api/account/mfa/begin",
        gate: Gate::SignedIn,
        args: none,
    },
    Case {
        path: "/api/account/mfa/confirm",
        gate: Gate::SignedIn,
        args: |_, _| vec![("code", "123456".into())],
    },
    Case {
        path: "/api/account/mfa/disable",
        gate: Gate::SignedIn,
        args: |_, _| vec![("current_password", "x".into()), ("code", "123456".into())],
    },
    Case {
        path: "/api/invitations/accept",
        gate: Gate::SignedIn,
        args: |_, _| vec![("token", "not-a-token".into())],
    },
    // Workspace-scoped
    Case {
        path: "/api/tenancy/workspace",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/workspace/members",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/workspace/member/role",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("member_id", t.secret_member_id.clone()),
                ("role", "admin".into()),
            ]
        },
    },
    Case {
        path: "/api/workspace/member/remove",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("member_id", t.secret_member_id.clone()),
            ]
        },
    },
    Case {
        path: "/api/workspace/invite",
        gate: Gate::Workspace,
        args: |_, s| {
            vec![
                ("slug", s.into()),
                ("email", "spy@example.com".into()),
                ("role", "viewer".into()),
                ("message", String::new()),
            ]
        },
    },
    Case {
        path: "/api/workspace/invitations",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/workspace/invitation/cancel",
        gate: Gate::Workspace,
        args: |t, s| vec![("slug", s.into()), ("id", t.secret_invitation_id.clone())],
    },
    Case {
        path: "/api/workspace/invitation/resend",
        gate: Gate::Workspace,
        args: |t, s| vec![("slug", s.into()), ("id", t.secret_invitation_id.clone())],
    },
    Case {
        path: "/api/agents/list",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/agents/get",
        gate: Gate::Workspace,
        args: agent,
    },
    Case {
        path: "/api/agents/options",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/agents/create",
        gate: Gate::Workspace,
        args: |_, s| vec![("slug", s.into()), ("draft", sandbox_draft())],
    },
    Case {
        path: "/api/agents/update",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("id", t.secret_agent_id.clone()),
                ("draft", sandbox_draft()),
            ]
        },
    },
    Case {
        path: "/api/agents/delete",
        gate: Gate::Workspace,
        args: agent,
    },
    Case {
        path: "/api/agents/duplicate",
        gate: Gate::Workspace,
        args: agent,
    },
    Case {
        path: "/api/agents/resync",
        gate: Gate::Workspace,
        args: agent,
    },
    Case {
        path: "/api/agents/active",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("id", t.secret_agent_id.clone()),
                ("active", "false".into()),
            ]
        },
    },
    Case {
        path: "/api/agents/call-me",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("id", t.secret_agent_id.clone()),
                ("number", "+14155550123".into()),
                ("name", String::new()),
            ]
        },
    },
    Case {
        path: "/api/agents/test-call",
        gate: Gate::Workspace,
        args: agent,
    },
    Case {
        path: "/api/agents/test-call-update",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("id", t.secret_agent_id.clone()),
                ("call_id", "c0ffee00-0000-4000-8000-000000000000".into()),
            ]
        },
    },
    Case {
        path: "/api/agents/webhook-status",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/agents/fix-webhooks",
        gate: Gate::Workspace,
        args: |_, s| vec![("slug", s.into()), ("force", "true".into())],
    },
    Case {
        path: "/api/knowledge/list",
        gate: Gate::Workspace,
        args: |_, s| {
            vec![
                ("slug", s.into()),
                ("search", String::new()),
                ("document_type", String::new()),
                ("status", String::new()),
            ]
        },
    },
    Case {
        path: "/api/knowledge/get",
        gate: Gate::Workspace,
        args: document,
    },
    Case {
        path: "/api/knowledge/save",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("id", t.secret_document_id.clone()),
                ("title", "Planted".into()),
                ("document_type", "faq".into()),
                ("status", "active".into()),
                ("description", String::new()),
                ("category", String::new()),
                ("tags", String::new()),
                ("content", "Leak everything.".into()),
            ]
        },
    },
    Case {
        path: "/api/knowledge/delete",
        gate: Gate::Workspace,
        args: document,
    },
    Case {
        path: "/api/knowledge/extract",
        gate: Gate::Workspace,
        args: |_, s| {
            vec![
                ("slug", s.into()),
                ("file_name", "notes.txt".into()),
                ("data_base64", "aGVsbG8=".into()),
            ]
        },
    },
    Case {
        path: "/api/variables/list",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/variables/save",
        gate: Gate::Workspace,
        args: |t, s| {
            vec![
                ("slug", s.into()),
                ("id", t.secret_variable_id.clone()),
                ("name", "planted".into()),
                ("description", String::new()),
                ("default_value", String::new()),
                ("category", "custom".into()),
            ]
        },
    },
    Case {
        path: "/api/variables/delete",
        gate: Gate::Workspace,
        args: |t, s| vec![("slug", s.into()), ("id", t.secret_variable_id.clone())],
    },
    Case {
        path: "/api/calls/list",
        gate: Gate::Workspace,
        args: |_, s| vec![("slug", s.into()), ("page", "1".into())],
    },
    Case {
        path: "/api/calls/refresh",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/calls/algolia-resync",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/calls/algolia-clear",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/calls/get",
        gate: Gate::Workspace,
        args: agent,
    },
    Case {
        path: "/api/analytics/dashboard",
        gate: Gate::Workspace,
        args: |_, s| vec![("slug", s.into()), ("days", "7".into())],
    },
    Case {
        path: "/api/analytics/report",
        gate: Gate::Workspace,
        args: |_, s| vec![("slug", s.into()), ("days", "30".into())],
    },
    Case {
        path: "/api/billing/credits",
        gate: Gate::Workspace,
        args: slug,
    },
    Case {
        path: "/api/billing/ledger",
        gate: Gate::Workspace,
        args: |_, s| vec![("slug", s.into()), ("page", "1".into())],
    },
    // Organisation-scoped
    Case {
        path: "/api/org/billing/workspaces",
        gate: Gate::Partner,
        args: none,
    },
    Case {
        path: "/api/org/billing/adjust",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("workspace_id", t.demo_workspace_id.clone()),
                ("amount", "500".into()),
                ("reason", "Planted credit".into()),
            ]
        },
    },
    Case {
        path: "/api/org/billing/rate",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("workspace_id", t.demo_workspace_id.clone()),
                ("rate_cents", "1".into()),
            ]
        },
    },
    Case {
        path: "/api/tenancy/create-workspace",
        gate: Gate::Partner,
        args: |_, _| vec![("name", "Spy".into()), ("description", String::new())],
    },
    Case {
        path: "/api/org/team",
        gate: Gate::Partner,
        args: none,
    },
    Case {
        path: "/api/org/team/role",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("member_id", t.platform_team_member_id.clone()),
                ("role", "member".into()),
            ]
        },
    },
    Case {
        path: "/api/org/team/remove",
        gate: Gate::Partner,
        args: |t, _| vec![("member_id", t.platform_team_member_id.clone())],
    },
    Case {
        path: "/api/org/workspaces",
        gate: Gate::Partner,
        args: none,
    },
    Case {
        path: "/api/org/invite",
        gate: Gate::Partner,
        args: |_, _| {
            vec![
                ("email", "spy@example.com".into()),
                ("role", "member".into()),
                ("message", String::new()),
            ]
        },
    },
    Case {
        path: "/api/org/invite-client",
        gate: Gate::Partner,
        args: |_, _| {
            vec![
                ("email", "spy@example.com".into()),
                ("workspace_name", String::new()),
                ("message", String::new()),
            ]
        },
    },
    Case {
        path: "/api/org/invitations",
        gate: Gate::Partner,
        args: |_, _| vec![("kind", "partner".into())],
    },
    Case {
        path: "/api/org/invitation/cancel",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("kind", "partner".into()),
                ("id", t.platform_team_invitation_id.clone()),
            ]
        },
    },
    Case {
        path: "/api/org/invitation/resend",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("kind", "partner".into()),
                ("id", t.platform_team_invitation_id.clone()),
            ]
        },
    },
    Case {
        path: "/api/org/integrations",
        gate: Gate::Partner,
        args: none,
    },
    Case {
        path: "/api/org/integrations/create",
        gate: Gate::Partner,
        args: |_, _| {
            vec![
                ("provider", "vapi".into()),
                ("name", "Spy".into()),
                ("secret_key", "spy-secret-key-000".into()),
                ("public_key", String::new()),
                ("app_id", String::new()),
            ]
        },
    },
    Case {
        path: "/api/org/integrations/default",
        gate: Gate::Partner,
        args: |t, _| vec![("id", t.platform_integration_id.clone())],
    },
    Case {
        path: "/api/org/integrations/delete",
        gate: Gate::Partner,
        args: |t, _| vec![("id", t.platform_integration_id.clone())],
    },
    Case {
        path: "/api/org/integrations/assignments",
        gate: Gate::Partner,
        args: none,
    },
    Case {
        path: "/api/org/integrations/update",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("id", t.platform_integration_id.clone()),
                ("name", "Hijacked".into()),
                ("outbound_number", String::new()),
            ]
        },
    },
    Case {
        path: "/api/org/integrations/assign",
        gate: Gate::Partner,
        args: |t, _| {
            vec![
                ("workspace_id", t.demo_workspace_id.clone()),
                ("integration_id", t.platform_integration_id.clone()),
            ]
        },
    },
    // Platform administration
    Case {
        path: "/api/super-admin/outbox",
        gate: Gate::SuperAdmin,
        args: |_, _| vec![("page", "0".into())],
    },
];

/// Page paths and who may open them; the workspace ones are aimed at foreign slugs.
const PAGES: &[(&str, Gate)] = &[
    ("/", Gate::Public),
    ("/design-system", Gate::Public),
    ("/login", Gate::Public),
    ("/signup", Gate::Public),
    ("/forgot-password", Gate::Public),
    ("/reset-password", Gate::Public),
    ("/verify-email", Gate::Public),
    ("/accept-invitation", Gate::Public),
    ("/super-admin/login", Gate::Public),
    ("/account", Gate::SignedIn),
    ("/select-workspace", Gate::SignedIn),
    ("/workspace-onboarding", Gate::SignedIn),
    ("/w/{slug}", Gate::Workspace),
    ("/w/{slug}/members", Gate::Workspace),
    ("/w/{slug}/agents", Gate::Workspace),
    ("/w/{slug}/knowledge", Gate::Workspace),
    ("/w/{slug}/settings", Gate::Workspace),
    ("/w/{slug}/billing", Gate::Workspace),
    ("/w/{slug}/calls", Gate::Workspace),
    ("/w/{slug}/analytics", Gate::Workspace),
    ("/w/{slug}/calls/{id}", Gate::Workspace),
    ("/w/{slug}/agents/new", Gate::Workspace),
    ("/w/{slug}/agents/{id}", Gate::Workspace),
    ("/w/{slug}/agents/{id}/edit", Gate::Workspace),
    ("/org/team", Gate::Partner),
    ("/org/integrations", Gate::Partner),
    ("/org/billing", Gate::Partner),
    ("/super-admin", Gate::SuperAdmin),
    ("/super-admin/outbox", Gate::SuperAdmin),
];

/// The permission each workspace server function asks for (the role matrix of
/// `access/permission.rs` decides who holds it). A workspace function missing here fails
/// `each_role_is_refused_what_its_role_may_not_do`.
const NEEDS: &[(&str, WorkspacePermission)] = &[
    ("/api/agents/list", WorkspacePermission::AgentsRead),
    ("/api/agents/get", WorkspacePermission::AgentsRead),
    ("/api/agents/options", WorkspacePermission::AgentsWrite),
    ("/api/agents/create", WorkspacePermission::AgentsWrite),
    ("/api/agents/update", WorkspacePermission::AgentsWrite),
    ("/api/agents/delete", WorkspacePermission::AgentsDelete),
    ("/api/agents/duplicate", WorkspacePermission::AgentsWrite),
    ("/api/agents/resync", WorkspacePermission::AgentsWrite),
    ("/api/agents/active", WorkspacePermission::AgentsWrite),
    (
        "/api/agents/webhook-status",
        WorkspacePermission::AgentsRead,
    ),
    (
        "/api/agents/fix-webhooks",
        WorkspacePermission::IntegrationsManage,
    ),
    (
        "/api/agents/test-call",
        WorkspacePermission::ConversationsCreate,
    ),
    (
        "/api/agents/test-call-update",
        WorkspacePermission::ConversationsCreate,
    ),
    (
        "/api/agents/call-me",
        WorkspacePermission::ConversationsCreate,
    ),
    (
        "/api/analytics/dashboard",
        WorkspacePermission::DashboardRead,
    ),
    ("/api/analytics/report", WorkspacePermission::AnalyticsRead),
    ("/api/billing/credits", WorkspacePermission::BillingRead),
    ("/api/billing/ledger", WorkspacePermission::BillingRead),
    ("/api/calls/list", WorkspacePermission::ConversationsRead),
    (
        "/api/calls/algolia-resync",
        WorkspacePermission::IntegrationsManage,
    ),
    (
        "/api/calls/algolia-clear",
        WorkspacePermission::IntegrationsManage,
    ),
    ("/api/calls/get", WorkspacePermission::ConversationsRead),
    (
        "/api/calls/refresh",
        WorkspacePermission::ConversationsCreate,
    ),
    ("/api/workspace/invite", WorkspacePermission::MembersManage),
    (
        "/api/workspace/invitations",
        WorkspacePermission::MembersManage,
    ),
    (
        "/api/workspace/invitation/cancel",
        WorkspacePermission::MembersManage,
    ),
    (
        "/api/workspace/invitation/resend",
        WorkspacePermission::MembersManage,
    ),
    ("/api/knowledge/list", WorkspacePermission::KnowledgeRead),
    ("/api/knowledge/get", WorkspacePermission::KnowledgeRead),
    ("/api/knowledge/save", WorkspacePermission::KnowledgeWrite),
    (
        "/api/knowledge/delete",
        WorkspacePermission::KnowledgeDelete,
    ),
    (
        "/api/knowledge/extract",
        WorkspacePermission::KnowledgeWrite,
    ),
    ("/api/workspace/members", WorkspacePermission::MembersRead),
    (
        "/api/workspace/member/role",
        WorkspacePermission::MembersManage,
    ),
    (
        "/api/workspace/member/remove",
        WorkspacePermission::MembersManage,
    ),
    ("/api/tenancy/workspace", WorkspacePermission::Read),
    ("/api/variables/list", WorkspacePermission::SettingsRead),
    ("/api/variables/save", WorkspacePermission::SettingsUpdate),
    ("/api/variables/delete", WorkspacePermission::SettingsUpdate),
];

#[tokio::test]
async fn each_role_is_refused_what_its_role_may_not_do() {
    let workspace_cases: BTreeSet<&str> = CASES
        .iter()
        .filter(|c| c.gate == Gate::Workspace)
        .map(|c| c.path)
        .collect();
    let declared: BTreeSet<&str> = NEEDS.iter().map(|(p, _)| *p).collect();
    let undeclared: Vec<_> = workspace_cases.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "workspace server functions with no permission in NEEDS: {undeclared:?}"
    );

    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    let mut probes = 0;
    for (email, role) in [
        ("admin@demo.test", WorkspaceRole::Admin),
        ("member@demo.test", WorkspaceRole::Member),
        ("viewer@genius365.test", WorkspaceRole::Viewer),
    ] {
        let mut client = app.signed_in(PLATFORM_HOST, email).await;
        for case in CASES.iter().filter(|c| c.gate == Gate::Workspace) {
            let needs = NEEDS
                .iter()
                .find(|(p, _)| *p == case.path)
                .map(|(_, n)| *n)
                .unwrap();
            if role.can(needs) {
                continue;
            }
            // In their own workspace: refused for the role, before any id is looked at.
            let response = call(&mut client, case, (case.args)(&targets, "demo")).await;
            assert_refused(&response, email, case.path, &[StatusCode::FORBIDDEN]);
            assert_no_leak(&response, &targets, email, case.path);
            probes += 1;
        }
    }
    assert!(probes > 20, "only {probes} probes ran");
    assert_unchanged(&before, &snapshot(&app).await);
}

/// Text that belongs to the targets and must never reach an outsider.
const SECRETS: &[&str] = &[
    "Secret Workspace",
    "Acme Dental",
    "secret-owner@genius365.test",
    "owner@acme.test",
    "pending@secret.test",
    "team-invite@genius365.test",
    "Platform VAPI",
    "platform-vapi-secret-1",
    "Secret Agent",
    "Secret Recipe",
];

/// Who a plain HTTP route (neither page nor server function) admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlainGate {
    /// Anyone (the health check).
    Public,
    /// A provider proving itself with the workspace's signature or secret.
    Signature,
    /// A member of the workspace named by `slug` who may read its calls.
    Workspace,
    /// A member of the workspace named by `slug` who may write its knowledge, posting a file.
    WorkspaceUpload,
}

/// Every plain route of `server::router::plain_route_paths`, and who may call it.
const PLAIN: &[(&str, PlainGate)] = &[
    ("/api/health", PlainGate::Public),
    (
        "/api/webhooks/w/{workspace_id}/{provider}",
        PlainGate::Signature,
    ),
    ("/api/webhooks/{provider}", PlainGate::Signature),
    ("/w/{slug}/calls.csv", PlainGate::Workspace),
    ("/w/{slug}/live", PlainGate::Workspace),
    ("/w/{slug}/analytics.csv", PlainGate::Workspace),
    ("/w/{slug}/calls/{id}/recording.wav", PlainGate::Workspace),
    ("/w/{slug}/knowledge/upload", PlainGate::WorkspaceUpload),
];

#[test]
fn every_plain_route_is_in_the_matrix() {
    let registered: BTreeSet<&str> = server::router::plain_route_paths().into_iter().collect();
    let covered: BTreeSet<&str> = PLAIN.iter().map(|(p, _)| *p).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "plain routes missing from the isolation matrix: {missing:?}"
    );
    assert!(stale.is_empty(), "matrix entries with no route: {stale:?}");
}

/// `path` with its parameters aimed at the secret workspace's rows.
fn aimed(path: &str, t: &Targets, slug: &str) -> String {
    path.replace("{slug}", slug)
        .replace("{id}", &t.secret_call_id)
        .replace("{workspace_id}", &t.secret_workspace_id)
        .replace("{provider}", "sandbox")
}

#[tokio::test]
async fn plain_routes_refuse_outsiders_and_leak_nothing() {
    let (app, targets) = world().await;
    let secret_calls = || async {
        app::db::entity::conversation::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len()
    };
    let before = secret_calls().await;
    let signed_out = app.client(PLATFORM_HOST);
    let acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let mut insiders = vec![];
    for email in [
        "wsowner@demo.test",
        "admin@demo.test",
        "member@demo.test",
        "viewer@genius365.test",
    ] {
        insiders.push((email, app.signed_in(PLATFORM_HOST, email).await));
    }
    for (path, gate) in PLAIN {
        match gate {
            PlainGate::Public => {
                let health = signed_out.get(path).await;
                assert_eq!(health.status, StatusCode::OK);
            }
            PlainGate::Signature => {
                // Unsigned, or signed with a made-up secret: refused, nothing stored.
                let url = aimed(path, &targets, "secret-ws");
                for secret in [None, Some("forged")] {
                    let mut request = axum::http::Request::builder()
                        .method("POST")
                        .uri(&url)
                        .header("host", PLATFORM_HOST)
                        .header("content-type", "application/json");
                    if let Some(secret) = secret {
                        request = request
                            .header("x-vapi-secret", secret)
                            .header("x-sandbox-signature", "v=1,d=00");
                    }
                    let body = serde_json::json!({"call": {"external_id": "planted", "status": "completed",
                        "duration_seconds": 60}, "message": {"type": "end-of-call-report",
                        "call": {"id": "planted", "assistantId": "nobody"}}});
                    let answer = app
                        .request(
                            request
                                .body(axum::body::Body::from(body.to_string()))
                                .unwrap(),
                        )
                        .await;
                    assert!(
                        [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&answer.status),
                        "{url} {secret:?}: {} {}",
                        answer.status,
                        answer.body
                    );
                }
            }
            PlainGate::Workspace => {
                let url = aimed(path, &targets, "secret-ws");
                let answer = signed_out.get(&url).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "signed out {url}");
                for (email, client) in &insiders {
                    let answer = client.get(&url).await;
                    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {url}");
                    for secret in SECRETS.iter().chain(&["Secret Caller", "+14155550111"]) {
                        assert!(
                            !answer.body.contains(secret),
                            "{email} {url} leaked {secret}"
                        );
                    }
                    assert!(!answer.body.contains(&targets.secret_call_id));
                }
                // Another organisation's owner, on their own host, aimed at demo's.
                let url = aimed(path, &targets, "demo");
                let answer = acme.get(&url).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "acme owner {url}");
            }
            PlainGate::WorkspaceUpload => {
                let url = aimed(path, &targets, "secret-ws");
                let file = b"Planted text.";
                let answer = signed_out.upload(&url, "planted.txt", file).await;
                assert_eq!(answer.status, StatusCode::SEE_OTHER, "signed out {url}");
                assert_eq!(answer.header("location"), "/login");
                for (email, client) in &insiders {
                    let answer = client.upload(&url, "planted.txt", file).await;
                    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {url}");
                }
                let url = aimed(path, &targets, "demo");
                let answer = acme.upload(&url, "planted.txt", file).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "acme owner {url}");
            }
        }
    }
    assert_eq!(secret_calls().await, before, "nothing was stored");
    let planted = app::db::entity::knowledge_document::Entity::find()
        .filter(app::db::entity::knowledge_document::Column::Title.contains("lanted"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(planted, 0, "no upload was stored");
}

#[test]
fn every_server_function_is_in_the_matrix() {
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.path.to_owned()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the isolation matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix entries with no server function: {stale:?}"
    );
}

#[tokio::test]
async fn every_page_is_in_the_matrix() {
    let routes: BTreeSet<String> = server::router::route_paths().into_iter().collect();
    let covered: BTreeSet<String> = PAGES.iter().map(|(p, _)| (*p).to_owned()).collect();
    let missing: Vec<_> = routes.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "pages missing from the isolation matrix: {missing:?}"
    );
}

/// The world the outsiders live in.
async fn world() -> (TestApp, Targets) {
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
            status: "completed",
            direction: "inbound",
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

async fn call(
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
            .map(|(k, v)| format!("{k}={}", common::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        client.get(&format!("{}?{query}", case.path)).await
    } else {
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client.post(case.path, &form).await
    }
}

fn assert_refused(response: &common::TestResponse, who: &str, path: &str, allowed: &[StatusCode]) {
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
async fn snapshot(app: &TestApp) -> String {
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
fn assert_no_leak(response: &common::TestResponse, t: &Targets, who: &str, path: &str) {
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
fn assert_unchanged(before: &str, after: &str) {
    let (b, a): (BTreeSet<&str>, BTreeSet<&str>) =
        (before.lines().collect(), after.lines().collect());
    let gone: Vec<_> = b.difference(&a).collect();
    let new: Vec<_> = a.difference(&b).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "an outsider changed something:\nbefore: {gone:#?}\nafter: {new:#?}"
    );
}

#[tokio::test]
async fn the_snapshot_sees_a_change_to_any_tenant_table() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    // A change deep in a tenant's data (one ledger entry's description) shows.
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let entry = app::db::entity::credit_transaction::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the world holds ledger entries");
    let mut changed = entry.into_active_model();
    changed.description = Set("Tampered".into());
    changed.update(&app.state.db).await.unwrap();
    assert_ne!(snapshot(&app).await, before);
    assert!(
        before.contains(&targets.secret_call_id),
        "calls are in the snapshot"
    );
    assert!(
        before.contains("credit_wallet"),
        "wallets are in the snapshot"
    );
}

#[tokio::test]
async fn workspace_roles_cannot_reach_workspaces_that_are_not_theirs() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    // Workspace roles only: partner owners and admins rightly reach every workspace.
    for email in [
        "wsowner@demo.test",
        "admin@demo.test",
        "member@demo.test",
        "viewer@genius365.test",
    ] {
        let mut client = app.signed_in(PLATFORM_HOST, email).await;
        for case in CASES.iter().filter(|c| c.gate == Gate::Workspace) {
            for target in ["secret-ws", "acme-dental"] {
                let response = call(&mut client, case, (case.args)(&targets, target)).await;
                assert_refused(&response, email, case.path, &[StatusCode::NOT_FOUND]);
                assert_no_leak(&response, &targets, email, case.path);
            }
            // Their own slug with a foreign id: the id is not found in their workspace.
            let aims_at_an_id = (case.args)(&targets, "demo")
                .iter()
                .any(|(k, _)| *k == "id");
            if case.path.contains("/member/") || case.path.contains("/invitation/") || aims_at_an_id
            {
                let response = call(&mut client, case, (case.args)(&targets, "demo")).await;
                assert_refused(
                    &response,
                    email,
                    case.path,
                    &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN],
                );
                assert_no_leak(&response, &targets, email, case.path);
            }
        }
    }
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for case in CASES.iter().filter(|c| c.gate == Gate::Workspace) {
        let response = call(&mut acme, case, (case.args)(&targets, "demo")).await;
        assert_refused(&response, "acme owner", case.path, &[StatusCode::NOT_FOUND]);
        let mut foreign_member = (case.args)(&targets, "acme-dental");
        for (k, v) in foreign_member.iter_mut() {
            if *k == "member_id" {
                *v = targets.secret_member_id.clone();
            }
        }
        if case.path.contains("/member/") {
            let response = call(&mut acme, case, foreign_member).await;
            assert_refused(&response, "acme owner", case.path, &[StatusCode::NOT_FOUND]);
        }
    }
    assert_unchanged(&before, &snapshot(&app).await);
    let _ = &targets.acme_member_id;
}

#[tokio::test]
async fn only_organisation_admins_reach_the_organisation_and_only_their_own() {
    let (app, targets) = world().await;
    let before = snapshot(&app).await;
    // Workspace people who are plain partner members, and a stranger to this partner.
    for (host, email) in [
        (PLATFORM_HOST, "wsowner@demo.test"),
        (PLATFORM_HOST, "admin@demo.test"),
        (PLATFORM_HOST, "member@demo.test"),
        (PLATFORM_HOST, "secret-owner@genius365.test"),
        (PLATFORM_HOST, "owner@acme.test"),
    ] {
        let mut client = app.signed_in(host, email).await;
        for case in CASES.iter().filter(|c| c.gate == Gate::Partner) {
            let response = call(&mut client, case, (case.args)(&targets, "")).await;
            assert_refused(&response, email, case.path, &[StatusCode::FORBIDDEN]);
        }
    }
    // Acme's owner at home: the platform partner's people and invitations are not found.
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for case in CASES.iter().filter(|c| c.gate == Gate::Partner) {
        let args = (case.args)(&targets, "");
        let aims_at_an_id = args
            .iter()
            .any(|(k, _)| matches!(*k, "member_id" | "id" | "integration_id" | "workspace_id"));
        if aims_at_an_id {
            let response = call(&mut acme, case, args).await;
            assert_refused(&response, "acme owner", case.path, &[StatusCode::NOT_FOUND]);
        } else if case.path == "/api/org/team"
            || case.path == "/api/org/workspaces"
            || case.path == "/api/org/invitations"
        {
            let response = call(&mut acme, case, args).await;
            assert_eq!(response.status, StatusCode::OK);
            for secret in [
                "owner@genius365.test",
                "Demo Workspace",
                "Secret Workspace",
                "team-invite@genius365.test",
            ] {
                assert!(
                    !response.body.contains(secret),
                    "{} leaked {secret}",
                    case.path
                );
            }
        }
    }
    assert_unchanged(&before, &snapshot(&app).await);
}

#[tokio::test]
async fn the_signed_out_get_401_and_the_console_is_for_super_admins_on_the_platform_only() {
    let (app, targets) = world().await;
    let mut anonymous = app.client(PLATFORM_HOST);
    for case in CASES.iter().filter(|c| !matches!(c.gate, Gate::Public)) {
        let response = call(&mut anonymous, case, (case.args)(&targets, "secret-ws")).await;
        assert_refused(
            &response,
            "anonymous",
            case.path,
            &[StatusCode::UNAUTHORIZED],
        );
    }
    let mut owner = app.signed_in(PLATFORM_HOST, "wsowner@demo.test").await;
    let mut acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for case in CASES.iter().filter(|c| c.gate == Gate::SuperAdmin) {
        let not_admin = call(&mut owner, case, (case.args)(&targets, "")).await;
        assert_refused(
            &not_admin,
            "workspace owner",
            case.path,
            &[StatusCode::FORBIDDEN],
        );
        let white_label = call(&mut acme, case, (case.args)(&targets, "")).await;
        assert_refused(
            &white_label,
            "acme owner",
            case.path,
            &[StatusCode::NOT_FOUND],
        );
    }
}

#[tokio::test]
async fn an_invitation_link_works_only_on_its_own_partners_host() {
    let (app, _) = world().await;
    let token = app.token_emailed_to("pending@secret.test").await;

    let elsewhere = app
        .client(ACME_HOST)
        .get(&format!("/api/invitations/preview?token={token}"))
        .await;
    let home = app
        .client(PLATFORM_HOST)
        .get(&format!("/api/invitations/preview?token={token}"))
        .await;

    assert_eq!(elsewhere.json()["state"], "Unusable");
    assert!(!elsewhere.body.contains("Secret Workspace"));
    assert_eq!(home.json()["state"], "Pending");
}

#[tokio::test]
async fn pages_of_other_workspaces_and_consoles_show_nothing_of_them() {
    let (app, targets) = world().await;
    for email in ["wsowner@demo.test", "viewer@genius365.test"] {
        let client = app.signed_in(PLATFORM_HOST, email).await;
        for (path, gate) in PAGES {
            let url = path
                .replace("{slug}", "secret-ws")
                .replace("{id}", &targets.secret_agent_id);
            let page = client.get(&url).await;
            if *gate == Gate::Workspace {
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{email} {url}");
            }
            for secret in SECRETS {
                assert!(!page.body.contains(secret), "{email} {url} leaked {secret}");
            }
        }
    }
    let acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    for (path, _) in PAGES {
        let url = path
            .replace("{slug}", "demo")
            .replace("{id}", &targets.secret_agent_id);
        let page = acme.get(&url).await;
        for secret in [
            "Demo Workspace",
            "Secret Workspace",
            "owner@genius365.test",
            "pending@secret.test",
        ] {
            assert!(
                !page.body.contains(secret),
                "acme owner {url} leaked {secret}"
            );
        }
    }
}
