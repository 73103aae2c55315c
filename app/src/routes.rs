//! Every route of the application, on one screen.
//!
//! Pages render with `SsrMode::Async`: the server resolves every resource before it sends a
//! byte, so the HTML is complete without JavaScript (no out-of-order fragments to place),
//! hydration finds exactly what the browser will render, and a page can still answer
//! 404 when its data says so. A route whose data is slow can opt into streaming.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Routes};
use leptos_router::{SsrMode, path};

use crate::agents::ui::detail::AgentPage;
use crate::agents::ui::form::{EditAgentPage, NewAgentPage};
use crate::agents::ui::list::AgentsPage;
use crate::analytics::ui::{AnalyticsPage, WorkspaceDashboard};
use crate::audit::ui::{ConsoleAuditPage, OrgAuditPage};
use crate::auth::ui::account::AccountPage;
use crate::auth::ui::forgot::ForgotPasswordPage;
use crate::auth::ui::login::LoginPage;
use crate::auth::ui::reset::ResetPasswordPage;
use crate::auth::ui::signup::SignupPage;
use crate::auth::ui::verify::VerifyEmailPage;
use crate::billing::ui::{OrgBillingPage, WorkspaceBillingPage};
use crate::calls::ui::{CallDetailPage, CallsPage};
use crate::campaigns::ui::{CampaignPage, CampaignsPage, EditCampaignPage, NewCampaignPage};
use crate::integrations::ui::org_integrations::OrgIntegrationsPage;
use crate::invitations::ui::accept::AcceptInvitationPage;
use crate::knowledge::ui::KnowledgePage;
use crate::marketing::home::HomePage;
use crate::members::ui::org_team::OrgTeamPage;
use crate::members::ui::workspace_members::WorkspaceMembersPage;
use crate::org::ui::domains::OrgDomainsPage;
use crate::org::ui::overview::OrgOverviewPage;
use crate::org::ui::settings::OrgSettingsPage;
use crate::pages::design_system::DesignSystemPage;
use crate::pages::not_found::NotFound;
use crate::super_admin::ui::emails::EmailsPage;
use crate::super_admin::ui::jobs::JobsPage;
use crate::super_admin::ui::outbox::OutboxPage;
use crate::tenancy::ui::onboarding::OnboardingPage;
use crate::tenancy::ui::select_workspace::SelectWorkspacePage;
use crate::tenancy::ui::workspace_shell::WorkspaceShell;
use crate::variables::ui::SettingsPage;

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
            <Route path=path!("/design-system") view=DesignSystemPage ssr=SsrMode::Async />
            <Route path=path!("/login") view=|| view! { <LoginPage /> } ssr=SsrMode::Async />
            <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async />
            <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
            <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
            <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
            <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
            <Route path=path!("/select-workspace") view=SelectWorkspacePage ssr=SsrMode::Async />
            <Route path=path!("/workspace-onboarding") view=OnboardingPage ssr=SsrMode::Async />
            <Route path=path!("/accept-invitation") view=AcceptInvitationPage ssr=SsrMode::Async />
            <Route path=path!("/org") view=OrgOverviewPage ssr=SsrMode::Async />
            <Route path=path!("/org/settings") view=OrgSettingsPage ssr=SsrMode::Async />
            <Route path=path!("/org/domains") view=OrgDomainsPage ssr=SsrMode::Async />
            <Route path=path!("/org/team") view=OrgTeamPage ssr=SsrMode::Async />
            <Route path=path!("/org/integrations") view=OrgIntegrationsPage ssr=SsrMode::Async />
            <Route path=path!("/org/billing") view=OrgBillingPage ssr=SsrMode::Async />
            <Route
                path=path!("/org/do-not-call")
                view=crate::campaigns::ui::OrgDoNotCallPage
                ssr=SsrMode::Async
            />
            <Route
                path=path!("/super-admin/login")
                view=|| view! { <LoginPage console=true /> }
                ssr=SsrMode::Async
            />
            <Route path=path!("/super-admin") view=OutboxPage ssr=SsrMode::Async />
            <Route path=path!("/super-admin/outbox") view=OutboxPage ssr=SsrMode::Async />
            <Route path=path!("/super-admin/jobs") view=JobsPage ssr=SsrMode::Async />
            <Route path=path!("/super-admin/audit") view=ConsoleAuditPage ssr=SsrMode::Async />
            <Route path=path!("/super-admin/emails") view=EmailsPage ssr=SsrMode::Async />
            <Route path=path!("/org/audit") view=OrgAuditPage ssr=SsrMode::Async />
            <ParentRoute path=path!("/w/:slug") view=WorkspaceShell ssr=SsrMode::Async>
                <Route path=path!("") view=WorkspaceDashboard ssr=SsrMode::Async />
                <Route path=path!("members") view=WorkspaceMembersPage ssr=SsrMode::Async />
                <Route path=path!("agents") view=AgentsPage ssr=SsrMode::Async />
                <Route path=path!("knowledge") view=KnowledgePage ssr=SsrMode::Async />
                <Route path=path!("settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("billing") view=WorkspaceBillingPage ssr=SsrMode::Async />
                <Route path=path!("calls") view=CallsPage ssr=SsrMode::Async />
                <Route path=path!("analytics") view=AnalyticsPage ssr=SsrMode::Async />
                <Route path=path!("calls/:id") view=CallDetailPage ssr=SsrMode::Async />
                <Route path=path!("agents/new") view=NewAgentPage ssr=SsrMode::Async />
                <Route path=path!("agents/:id") view=AgentPage ssr=SsrMode::Async />
                <Route path=path!("agents/:id/edit") view=EditAgentPage ssr=SsrMode::Async />
                <Route path=path!("campaigns") view=CampaignsPage ssr=SsrMode::Async />
                <Route path=path!("campaigns/new") view=NewCampaignPage ssr=SsrMode::Async />
                <Route path=path!("campaigns/:id") view=CampaignPage ssr=SsrMode::Async />
                <Route path=path!("campaigns/:id/edit") view=EditCampaignPage ssr=SsrMode::Async />
            </ParentRoute>
        </Routes>
    }
}
