//! Pages and plain routes in the matrix: who may open each page, and who each plain HTTP
//! route (downloads, event streams, webhooks) admits.

use super::matrix::Gate;

/// Page paths and who may open them; the workspace ones are aimed at foreign slugs.
pub(crate) const PAGES: &[(&str, Gate)] = &[
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
    ("/w/{slug}/campaigns", Gate::Workspace),
    ("/w/{slug}/campaigns/new", Gate::Workspace),
    ("/w/{slug}/campaigns/{id}", Gate::Workspace),
    ("/w/{slug}/campaigns/{id}/edit", Gate::Workspace),
    ("/org", Gate::Partner),
    ("/org/team", Gate::Partner),
    ("/org/integrations", Gate::Partner),
    ("/org/billing", Gate::Partner),
    ("/org/do-not-call", Gate::Partner),
    ("/org/settings", Gate::Partner),
    ("/org/domains", Gate::Partner),
    ("/org/audit", Gate::Partner),
    ("/super-admin", Gate::SuperAdmin),
    ("/super-admin/outbox", Gate::SuperAdmin),
    ("/super-admin/jobs", Gate::SuperAdmin),
    ("/super-admin/audit", Gate::SuperAdmin),
    ("/super-admin/emails", Gate::SuperAdmin),
];

/// Pages that also take a form post (the agent wizard posting to itself): each is posted
/// a complete draft by every outsider, and nothing may be saved.
pub(crate) const PAGE_POSTS: &[&str] = &["/w/{slug}/agents/new", "/w/{slug}/agents/{id}/edit"];

/// Who a plain HTTP route (neither page nor server function) admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlainGate {
    /// Anyone (the health check).
    Public,
    /// A provider proving itself with the workspace's signature or secret.
    Signature,
    /// A member of the workspace named by `slug` who may read its calls.
    Workspace,
    /// A member of the workspace named by `slug` who may write its knowledge, posting a file.
    WorkspaceUpload,
    /// An owner or admin of the host's organisation (a `GET`, or a list posted as the
    /// body to an `import`).
    Organisation,
    /// A member of the workspace named by `slug` who may build its campaigns, posting a
    /// list as the body.
    WorkspaceList,
    /// A platform administrator, on the platform host (a `GET`).
    SuperAdmin,
    /// Anyone, for the host's own organisation's image: another organisation's image,
    /// named by its content, is not found there.
    HostImage,
}

/// Every plain route of `server::router::plain_route_paths`, and who may call it.
pub(crate) const PLAIN: &[(&str, PlainGate)] = &[
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
    ("/w/{slug}/campaigns/{id}/import", PlainGate::WorkspaceList),
    ("/w/{slug}/campaigns/{id}/live", PlainGate::Workspace),
    (
        "/w/{slug}/campaigns/{id}/recipients.csv",
        PlainGate::Workspace,
    ),
    ("/w/{slug}/campaigns/{id}/rejects.csv", PlainGate::Workspace),
    ("/w/{slug}/campaigns/{id}/skipped.csv", PlainGate::Workspace),
    (
        "/w/{slug}/campaigns/{id}/template.csv",
        PlainGate::Workspace,
    ),
    ("/w/{slug}/do-not-call.csv", PlainGate::Workspace),
    ("/w/{slug}/do-not-call/import", PlainGate::WorkspaceList),
    ("/org/do-not-call/import", PlainGate::Organisation),
    ("/org/do-not-call.csv", PlainGate::Organisation),
    ("/org/audit.csv", PlainGate::Organisation),
    ("/org/brand/{kind}", PlainGate::Organisation),
    ("/brand/{file}", PlainGate::HostImage),
    ("/super-admin/audit.csv", PlainGate::SuperAdmin),
];
