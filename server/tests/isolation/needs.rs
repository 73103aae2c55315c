//! The permission each workspace server function asks for, checked role by role against
//! the matrix of `access/permission.rs`.

use app::access::permission::WorkspacePermission;

/// The permission each workspace server function asks for (the role matrix of
/// `access/permission.rs` decides who holds it). A workspace function missing here fails
/// `each_role_is_refused_what_its_role_may_not_do`.
pub(crate) const NEEDS: &[(&str, WorkspacePermission)] = &[
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
    ("/api/campaigns/list", WorkspacePermission::CampaignsRead),
    ("/api/campaigns/get", WorkspacePermission::CampaignsRead),
    ("/api/campaigns/create", WorkspacePermission::CampaignsWrite),
    ("/api/campaigns/save", WorkspacePermission::CampaignsWrite),
    (
        "/api/campaigns/add-recipient",
        WorkspacePermission::CampaignsWrite,
    ),
    ("/api/campaigns/preview", WorkspacePermission::CampaignsRead),
    (
        "/api/campaigns/recipients",
        WorkspacePermission::CampaignsRead,
    ),
    ("/api/campaigns/pulse", WorkspacePermission::CampaignsRead),
    (
        "/api/campaigns/columns",
        WorkspacePermission::CampaignsWrite,
    ),
    (
        "/api/campaigns/test-call",
        WorkspacePermission::CampaignsWrite,
    ),
    ("/api/campaigns/wizard", WorkspacePermission::CampaignsWrite),
    (
        "/api/campaigns/details",
        WorkspacePermission::CampaignsWrite,
    ),
    (
        "/api/campaigns/variables",
        WorkspacePermission::CampaignsWrite,
    ),
    (
        "/api/campaigns/schedule",
        WorkspacePermission::CampaignsWrite,
    ),
    ("/api/campaigns/launch", WorkspacePermission::CampaignsWrite),
    ("/api/campaigns/pause", WorkspacePermission::CampaignsWrite),
    ("/api/campaigns/resume", WorkspacePermission::CampaignsWrite),
    ("/api/campaigns/cancel", WorkspacePermission::CampaignsWrite),
    ("/api/dnc/list", WorkspacePermission::CampaignsRead),
    ("/api/dnc/add", WorkspacePermission::CampaignsWrite),
    ("/api/dnc/remove", WorkspacePermission::DoNotCallRemove),
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
    ("/api/invitation/cancel", WorkspacePermission::MembersManage),
    ("/api/invitation/resend", WorkspacePermission::MembersManage),
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
    ("/api/member/role", WorkspacePermission::MembersManage),
    ("/api/member/remove", WorkspacePermission::MembersManage),
    ("/api/tenancy/workspace", WorkspacePermission::Read),
    ("/api/workspace/update", WorkspacePermission::SettingsUpdate),
    ("/api/variables/list", WorkspacePermission::SettingsRead),
    ("/api/variables/save", WorkspacePermission::SettingsUpdate),
    ("/api/variables/delete", WorkspacePermission::SettingsUpdate),
];
