//! The organisation's overview as its page shows it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// The organisation at a glance, for its owners and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgOverview {
    pub kpis: OrgKpis,
    pub workspaces: Vec<OverviewWorkspace>,
    pub team: Vec<OverviewPerson>,
    /// Another workspace fits in the organisation's plan.
    pub room_for_workspace: bool,
    pub max_workspaces: Option<u64>,
    /// The viewer may change what a workspace is billed (`BillingUpdate`).
    pub can_bill: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgKpis {
    pub workspaces: u64,
    pub members: u64,
    pub agents: u64,
    /// Calls and billed minutes since the first of this month (UTC).
    pub calls_this_month: i64,
    pub minutes_this_month: i64,
    /// Credit across the workspaces that pay their own way.
    pub credit_cents: i64,
}

/// A workspace of the organisation with who runs it and what it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewWorkspace {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub owners: Vec<String>,
    pub members: u64,
    pub agents: u64,
    pub calls_this_month: i64,
    pub minutes_this_month: i64,
    pub billing_exempt: bool,
    pub credit_cents: i64,
    /// "VAPI: Main account", one per provider assigned.
    pub integrations: Vec<String>,
}

/// Someone on the organisation's team, with their place in each workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewPerson {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: PartnerRole,
    /// Workspace name and role there, by name.
    pub workspaces: Vec<(String, WorkspaceRole)>,
}
