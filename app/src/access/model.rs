//! What the browser learns about the signed-in person and their access.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// A workspace the viewer can open, with the role they hold there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAccess {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub role: WorkspaceRole,
    /// Reached as a partner owner or admin, not through a membership.
    pub partner_admin_access: bool,
}

/// The signed-in person, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: Uuid,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub avatar_url: Option<String>,
    pub phone_number: Option<String>,
    pub partner_role: Option<PartnerRole>,
    pub is_super_admin: bool,
    pub mfa_enabled: bool,
}

impl Viewer {
    /// Partner owners and admins see the organisation area and may create workspaces.
    pub fn is_partner_admin(&self) -> bool {
        self.partner_role.is_some_and(|r| r >= PartnerRole::Admin)
    }
}
