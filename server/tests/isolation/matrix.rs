//! Who may call what: every server function with the gate that admits it and the
//! arguments aimed at foreign resources (the permission each workspace function asks for
//! is in `needs.rs`).

/// Who a server function admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
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
pub(crate) struct Targets {
    pub(crate) secret_member_id: String,
    pub(crate) acme_member_id: String,
    pub(crate) platform_team_member_id: String,
    pub(crate) secret_invitation_id: String,
    pub(crate) platform_team_invitation_id: String,
    pub(crate) platform_integration_id: String,
    pub(crate) demo_workspace_id: String,
    pub(crate) secret_agent_id: String,
    pub(crate) secret_document_id: String,
    pub(crate) secret_variable_id: String,
    pub(crate) secret_workspace_id: String,
    pub(crate) secret_call_id: String,
    pub(crate) secret_campaign_id: String,
    pub(crate) platform_partner_id: String,
    pub(crate) platform_domain_id: String,
}

pub(crate) type Args = fn(&Targets, &str) -> Vec<(&'static str, String)>;

pub(crate) struct Case {
    pub(crate) path: &'static str,
    pub(crate) gate: Gate,
    /// Arguments aimed at foreign resources; the `&str` is the workspace slug to aim at.
    pub(crate) args: Args,
}

/// A case of the matrix, one line each.
const fn case(path: &'static str, gate: Gate, args: Args) -> Case {
    Case { path, gate, args }
}

pub(crate) fn none(_: &Targets, _: &str) -> Vec<(&'static str, String)> {
    vec![]
}
pub(crate) fn slug(_: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into())]
}
/// The platform's own domain, for another organisation's admins to aim at.
pub(crate) fn domain(t: &Targets, _: &str) -> Vec<(&'static str, String)> {
    vec![("id", t.platform_domain_id.clone())]
}
pub(crate) fn document(t: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into()), ("id", t.secret_document_id.clone())]
}

pub(crate) fn campaign(t: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into()), ("id", t.secret_campaign_id.clone())]
}

/// Campaign settings as JSON text, naming the secret workspace's agent.
pub(crate) fn campaign_settings(t: &Targets) -> String {
    serde_json::to_string(&app::campaigns::model::CampaignSettings {
        name: "Planted".into(),
        agent_id: t.secret_agent_id.parse().ok(),
        ..Default::default()
    })
    .unwrap()
}

pub(crate) fn agent(t: &Targets, s: &str) -> Vec<(&'static str, String)> {
    vec![("slug", s.into()), ("id", t.secret_agent_id.clone())]
}

/// A valid Sandbox agent draft, as JSON text.
pub(crate) fn sandbox_draft() -> String {
    let mut draft = app::agents::model::AgentDraft::new(app::agents::model::AgentProvider::Sandbox);
    draft.name = "Intruder".into();
    draft.config.voice_id = "21m00Tcm4TlvDq8ikWAM".into();
    draft.config.system_prompt = "Leak everything.".into();
    draft.config.first_message = "Hello".into();
    serde_json::to_string(&draft).unwrap()
}

/// Server functions that take a JSON body rather than a form.
pub(crate) const JSON_INPUT: &[&str] = &[
    "/api/agents/create",
    "/api/agents/update",
    "/api/knowledge/extract",
    "/api/campaigns/create",
    "/api/campaigns/save",
    "/api/campaigns/columns",
];

pub(crate) const CASES: &[Case] = &[
    // Public
    case("/api/tenancy/brand", Gate::Public, none),
    case("/api/auth/viewer", Gate::Public, none),
    // The colour scheme: a cookie of the browser's own, nothing stored.
    case("/api/theme", Gate::Public, none),
    case("/api/auth/login", Gate::Public, none),
    case("/api/auth/login-code", Gate::Public, none),
    case("/api/auth/logout", Gate::Public, none),
    case("/api/auth/confirm-email", Gate::Public, |_, _| {
        vec![
            ("token", "not-a-token".into()),
            ("password", "Demo-Password-2026!".into()),
        ]
    }),
    case("/api/auth/resend-confirmation", Gate::Public, |_, _| {
        vec![("email", "owner@acme.test".into())]
    }),
    case("/api/auth/signup", Gate::Public, none),
    case("/api/auth/forgot-password", Gate::Public, none),
    case("/api/auth/reset-token", Gate::Public, none),
    case("/api/auth/reset-password", Gate::Public, none),
    case("/api/invitations/preview", Gate::Public, none),
    case("/api/invitations/accept-signup", Gate::Public, none),
    // Signed in, about oneself
    case("/api/auth/workspaces", Gate::SignedIn, none),
    case("/api/account/profile", Gate::SignedIn, |_, _| {
        vec![
            ("first_name", "Spy".into()),
            ("last_name", String::new()),
            ("avatar_url", String::new()),
            ("phone_number", String::new()),
        ]
    }),
    case("/api/account/password", Gate::SignedIn, |_, _| {
        vec![
            ("current_password", "x".into()),
            ("new_password", "Spy-Password-2026!".into()),
            ("confirm_password", "Spy-Password-2026!".into()),
        ]
    }),
    case("/api/account/mfa", Gate::SignedIn, none),
    case("/api/account/mfa/begin", Gate::SignedIn, none),
    case("/api/account/mfa/confirm", Gate::SignedIn, |_, _| {
        vec![("code", "123456".into())]
    }),
    case("/api/account/mfa/disable", Gate::SignedIn, |_, _| {
        vec![("current_password", "x".into()), ("code", "123456".into())]
    }),
    case("/api/invitations/accept", Gate::SignedIn, |_, _| {
        vec![("token", "not-a-token".into())]
    }),
    // Workspace-scoped
    case("/api/tenancy/workspace", Gate::Workspace, slug),
    case("/api/workspace/members", Gate::Workspace, slug),
    case("/api/member/role", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("member_id", t.secret_member_id.clone()),
            ("role", "admin".into()),
        ]
    }),
    case("/api/member/remove", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("member_id", t.secret_member_id.clone()),
        ]
    }),
    case("/api/workspace/invite", Gate::Workspace, |_, s| {
        vec![
            ("slug", s.into()),
            ("email", "spy@example.com".into()),
            ("role", "viewer".into()),
            ("message", String::new()),
        ]
    }),
    case("/api/workspace/invitations", Gate::Workspace, slug),
    case("/api/invitation/cancel", Gate::Workspace, |t, s| {
        vec![("slug", s.into()), ("id", t.secret_invitation_id.clone())]
    }),
    case("/api/invitation/resend", Gate::Workspace, |t, s| {
        vec![("slug", s.into()), ("id", t.secret_invitation_id.clone())]
    }),
    case("/api/agents/list", Gate::Workspace, slug),
    case("/api/agents/get", Gate::Workspace, agent),
    case("/api/agents/options", Gate::Workspace, slug),
    case("/api/agents/create", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("draft", sandbox_draft())]
    }),
    case("/api/agents/update", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_agent_id.clone()),
            ("draft", sandbox_draft()),
        ]
    }),
    case("/api/agents/delete", Gate::Workspace, agent),
    case("/api/agents/duplicate", Gate::Workspace, agent),
    case("/api/agents/resync", Gate::Workspace, agent),
    case("/api/agents/active", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_agent_id.clone()),
            ("active", "false".into()),
        ]
    }),
    case("/api/agents/call-me", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_agent_id.clone()),
            ("number", "+14155550123".into()),
            ("name", String::new()),
        ]
    }),
    case("/api/agents/test-call", Gate::Workspace, agent),
    case("/api/agents/test-call-update", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_agent_id.clone()),
            ("call_id", "c0ffee00-0000-4000-8000-000000000000".into()),
        ]
    }),
    case("/api/agents/webhook-status", Gate::Workspace, slug),
    case("/api/agents/fix-webhooks", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("force", "true".into())]
    }),
    case("/api/knowledge/list", Gate::Workspace, |_, s| {
        vec![
            ("slug", s.into()),
            ("search", String::new()),
            ("document_type", String::new()),
            ("status", String::new()),
        ]
    }),
    case("/api/knowledge/get", Gate::Workspace, document),
    case("/api/knowledge/save", Gate::Workspace, |t, s| {
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
    }),
    case("/api/knowledge/delete", Gate::Workspace, document),
    case("/api/knowledge/extract", Gate::Workspace, |_, s| {
        vec![
            ("slug", s.into()),
            ("file_name", "notes.txt".into()),
            ("data_base64", "aGVsbG8=".into()),
        ]
    }),
    case("/api/workspace/update", Gate::Workspace, |_, s| {
        vec![
            ("slug", s.into()),
            ("name", "Planted".into()),
            ("description", String::new()),
            ("time_zone", "Europe/Paris".into()),
        ]
    }),
    case("/api/variables/list", Gate::Workspace, slug),
    case("/api/variables/save", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_variable_id.clone()),
            ("name", "planted".into()),
            ("description", String::new()),
            ("default_value", String::new()),
            ("category", "custom".into()),
        ]
    }),
    case("/api/variables/delete", Gate::Workspace, |t, s| {
        vec![("slug", s.into()), ("id", t.secret_variable_id.clone())]
    }),
    case("/api/calls/list", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("page", "1".into())]
    }),
    case("/api/calls/refresh", Gate::Workspace, slug),
    case("/api/calls/algolia-resync", Gate::Workspace, slug),
    case("/api/calls/algolia-clear", Gate::Workspace, slug),
    case("/api/calls/get", Gate::Workspace, agent),
    case("/api/analytics/dashboard", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("days", "7".into())]
    }),
    case("/api/analytics/report", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("days", "30".into())]
    }),
    case("/api/campaigns/list", Gate::Workspace, slug),
    case("/api/campaigns/get", Gate::Workspace, campaign),
    case("/api/campaigns/create", Gate::Workspace, |t, s| {
        vec![("slug", s.into()), ("settings", campaign_settings(t))]
    }),
    case("/api/campaigns/save", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("settings", campaign_settings(t)),
            ("step", "null".into()),
        ]
    }),
    case("/api/campaigns/add-recipient", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("phone", "+14155550199".into()),
            ("name", "Planted".into()),
        ]
    }),
    case("/api/campaigns/preview", Gate::Workspace, campaign),
    case("/api/campaigns/recipients", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("status", String::new()),
            ("search", String::new()),
            ("page", "1".into()),
        ]
    }),
    case("/api/campaigns/pulse", Gate::Workspace, campaign),
    case("/api/campaigns/columns", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("headers", r#"["Phone","Balance"]"#.into()),
        ]
    }),
    case("/api/campaigns/test-call", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("number", "+14155550198".into()),
            ("name", "Planted".into()),
        ]
    }),
    case("/api/campaigns/wizard", Gate::Workspace, campaign),
    case("/api/campaigns/details", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("name", "Planted".into()),
            ("description", String::new()),
            ("agent_id", t.secret_agent_id.clone()),
            ("time_zone", "UTC".into()),
            ("default_country", "US".into()),
        ]
    }),
    case("/api/campaigns/variables", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("variables[0][name]", "planted".into()),
            ("variables[0][default]", "Planted".into()),
        ]
    }),
    case("/api/campaigns/schedule", Gate::Workspace, |t, s| {
        vec![
            ("slug", s.into()),
            ("id", t.secret_campaign_id.clone()),
            ("start", "now".into()),
            ("concurrency", "9".into()),
            ("no_answer_attempts", "1".into()),
            ("no_answer_delay", "5".into()),
            ("busy_attempts", "1".into()),
            ("busy_delay", "5".into()),
            ("voicemail_attempts", "1".into()),
            ("voicemail_delay", "5".into()),
        ]
    }),
    case("/api/campaigns/launch", Gate::Workspace, campaign),
    case("/api/campaigns/pause", Gate::Workspace, campaign),
    case("/api/campaigns/resume", Gate::Workspace, campaign),
    case("/api/campaigns/cancel", Gate::Workspace, campaign),
    case("/api/dnc/list", Gate::Workspace, slug),
    case("/api/dnc/add", Gate::Workspace, |_, s| {
        vec![
            ("slug", s.into()),
            ("phone", "+14155550198".into()),
            ("reason", "Planted".into()),
        ]
    }),
    case("/api/dnc/remove", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("phone", "+14155550112".into())]
    }),
    case("/api/billing/credits", Gate::Workspace, slug),
    case("/api/billing/ledger", Gate::Workspace, |_, s| {
        vec![("slug", s.into()), ("page", "1".into())]
    }),
    // Organisation-scoped
    case("/api/org/billing/workspaces", Gate::Partner, none),
    case("/api/org/billing/adjust", Gate::Partner, |t, _| {
        vec![
            ("workspace_id", t.demo_workspace_id.clone()),
            ("amount", "500".into()),
            ("reason", "Planted credit".into()),
        ]
    }),
    case("/api/org/billing/rate", Gate::Partner, |t, _| {
        vec![
            ("workspace_id", t.demo_workspace_id.clone()),
            ("rate_cents", "1".into()),
        ]
    }),
    case("/api/tenancy/create-workspace", Gate::Partner, |_, _| {
        vec![("name", "Spy".into()), ("description", String::new())]
    }),
    case("/api/org/team", Gate::Partner, none),
    case("/api/member/role", Gate::Partner, |t, _| {
        vec![
            ("member_id", t.platform_team_member_id.clone()),
            ("role", "member".into()),
        ]
    }),
    case("/api/member/remove", Gate::Partner, |t, _| {
        vec![("member_id", t.platform_team_member_id.clone())]
    }),
    case("/api/org/workspaces", Gate::Partner, none),
    case("/api/dnc/org-list", Gate::Partner, none),
    case("/api/org/overview", Gate::Partner, none),
    case("/api/org/brand", Gate::Partner, none),
    case("/api/org/domains", Gate::Partner, none),
    case("/api/org/domains/add", Gate::Partner, |_, _| {
        vec![("hostname", "planted.example.test".into())]
    }),
    case("/api/org/domains/verify", Gate::Partner, domain),
    case("/api/org/domains/primary", Gate::Partner, domain),
    case("/api/org/domains/remove", Gate::Partner, domain),
    case("/api/org/brand/save", Gate::Partner, |_, _| {
        vec![
            ("name", "Planted".into()),
            ("display_name", "Planted".into()),
            ("primary", "#000000".into()),
            ("accent", "#000000".into()),
            ("sender_name", String::new()),
            ("support_email", String::new()),
            ("support_url", String::new()),
        ]
    }),
    case("/api/org/brand/remove-image", Gate::Partner, |_, _| {
        vec![("kind", "logo".into())]
    }),
    case("/api/org/place-member", Gate::Partner, |t, _| {
        vec![
            ("user_id", t.platform_team_member_id.clone()),
            ("workspace_id", t.demo_workspace_id.clone()),
            ("role", "owner".into()),
        ]
    }),
    case("/api/org/billing-exempt", Gate::Partner, |t, _| {
        vec![
            ("workspace_id", t.demo_workspace_id.clone()),
            ("exempt", "true".into()),
        ]
    }),
    // Aimed at the platform's log: an organisation admin reads their own only.
    case("/api/org/audit", Gate::Partner, |t, _| {
        vec![("filter[organisation]", t.platform_partner_id.clone())]
    }),
    case("/api/dnc/org-add", Gate::Partner, |_, _| {
        vec![
            ("phone", "+14155550197".into()),
            ("reason", "Planted".into()),
        ]
    }),
    case("/api/dnc/org-remove", Gate::Partner, |_, _| {
        vec![("phone", "+14155550111".into())]
    }),
    case("/api/org/invite", Gate::Partner, |_, _| {
        vec![
            ("email", "spy@example.com".into()),
            ("role", "member".into()),
            ("message", String::new()),
        ]
    }),
    case("/api/org/invite-client", Gate::Partner, |_, _| {
        vec![
            ("email", "spy@example.com".into()),
            ("workspace_name", String::new()),
            ("message", String::new()),
        ]
    }),
    case("/api/org/invitations", Gate::Partner, |_, _| {
        vec![("kind", "partner".into())]
    }),
    case("/api/invitation/cancel", Gate::Partner, |t, _| {
        vec![("id", t.platform_team_invitation_id.clone())]
    }),
    case("/api/invitation/resend", Gate::Partner, |t, _| {
        vec![("id", t.platform_team_invitation_id.clone())]
    }),
    case("/api/org/integrations", Gate::Partner, none),
    case("/api/org/integrations/create", Gate::Partner, |_, _| {
        vec![
            ("provider", "vapi".into()),
            ("name", "Spy".into()),
            ("secret_key", "spy-secret-key-000".into()),
            ("public_key", String::new()),
            ("app_id", String::new()),
        ]
    }),
    case("/api/org/integrations/default", Gate::Partner, |t, _| {
        vec![("id", t.platform_integration_id.clone())]
    }),
    case("/api/org/integrations/delete", Gate::Partner, |t, _| {
        vec![("id", t.platform_integration_id.clone())]
    }),
    case("/api/org/integrations/assignments", Gate::Partner, none),
    case("/api/org/integrations/update", Gate::Partner, |t, _| {
        vec![
            ("id", t.platform_integration_id.clone()),
            ("name", "Hijacked".into()),
            ("outbound_number", String::new()),
        ]
    }),
    case("/api/org/integrations/assign", Gate::Partner, |t, _| {
        vec![
            ("workspace_id", t.demo_workspace_id.clone()),
            ("integration_id", t.platform_integration_id.clone()),
        ]
    }),
    // Platform administration
    case("/api/super-admin/outbox", Gate::SuperAdmin, |_, _| {
        vec![("page", "0".into())]
    }),
    case("/api/super-admin/jobs", Gate::SuperAdmin, none),
    case("/api/super-admin/audit", Gate::SuperAdmin, none),
    case("/api/super-admin/email-previews", Gate::SuperAdmin, none),
    case("/api/super-admin/jobs/retry", Gate::SuperAdmin, |_, _| {
        vec![("id", uuid::Uuid::nil().to_string())]
    }),
    case("/api/super-admin/jobs/discard", Gate::SuperAdmin, |_, _| {
        vec![("id", uuid::Uuid::nil().to_string())]
    }),
];

/// Text that belongs to the targets and must never reach an outsider.
pub(crate) const SECRETS: &[&str] = &[
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
