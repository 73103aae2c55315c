//! Member rows as the members and team pages show them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// A person in a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceMemberRow {
    pub member_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: WorkspaceRole,
    pub joined_at: DateTime<Utc>,
    pub is_you: bool,
}

/// A person on the organisation's team, with the workspaces they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMemberRow {
    pub member_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: PartnerRole,
    pub joined_at: DateTime<Utc>,
    pub workspaces: Vec<String>,
    pub is_you: bool,
}

/// A workspace to grant in a team invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceChoice {
    pub id: Uuid,
    pub name: String,
}
