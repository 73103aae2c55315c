//! The typed contexts a server function starts from. Each one proves, by existing, that
//! the request's user was checked (by the guards, `access::guard`): signed in (`UserCtx`),
//! holding a permission in the host's partner (`PartnerCtx`) or in one of its workspaces
//! (`WorkspaceCtx`). Workspace queries take a `WorkspaceCtx`, so an unscoped one cannot be
//! written by accident. They are plain data: what a service may do with them is what its
//! connection and arguments allow, never the whole application state.

use std::sync::Arc;

use uuid::Uuid;

use crate::audit::{Entry, RequestMeta};
use crate::db::entity::{partner, user, workspace};
use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// A signed-in user (second factor done) on the host's partner.
#[derive(Debug, Clone)]
pub struct UserCtx {
    pub partner: Arc<partner::Model>,
    pub user: Arc<user::Model>,
    /// Their role in the partner, read with the session (none: not a partner member).
    pub partner_role: Option<PartnerRole>,
    pub session_id: Uuid,
    pub meta: RequestMeta,
}

/// A partner member holding the permission that was asked for.
#[derive(Debug, Clone)]
pub struct PartnerCtx {
    pub user: UserCtx,
    pub role: PartnerRole,
}

/// A user who may open this workspace of the host's partner, with their role there.
#[derive(Debug, Clone)]
pub struct WorkspaceCtx {
    pub user: UserCtx,
    pub workspace: workspace::Model,
    pub role: WorkspaceRole,
    /// Reached as a partner owner or admin rather than through a membership.
    pub partner_admin_access: bool,
    /// The workspace's wallet as read with the access check, for showing its credit;
    /// anything that moves money reads the wallet again (`billing::service`).
    pub wallet: Option<crate::billing::model::WalletFigures>,
}

impl WorkspaceCtx {
    pub fn id(&self) -> Uuid {
        self.workspace.id
    }

    /// An audit entry for this user's `action` on `entity_type` `entity_id` in this
    /// workspace.
    pub fn audit(&self, action: &'static str, entity_type: &'static str, entity_id: Uuid) -> Entry {
        Entry {
            partner_id: Some(self.workspace.partner_id),
            workspace_id: Some(self.id()),
            user_id: Some(self.user_id()),
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            ..Default::default()
        }
    }

    pub fn user_id(&self) -> Uuid {
        self.user.user.id
    }
}

impl PartnerCtx {
    /// An audit entry for this organisation admin's `action` on something of the
    /// organisation itself (its brand, a domain), with what it was and what it became.
    pub fn audit(
        &self,
        (action, entity_type, entity_id): (&'static str, &'static str, String),
        old_values: serde_json::Value,
        new_values: serde_json::Value,
    ) -> Entry {
        Entry {
            partner_id: Some(self.user.partner.id),
            workspace_id: None,
            user_id: Some(self.user.user_id()),
            action,
            entity_type,
            entity_id: Some(entity_id),
            old_values: Some(old_values),
            new_values: Some(new_values),
            metadata: None,
        }
    }

    /// An audit entry for this organisation admin's `action` on something of workspace
    /// `workspace`, with what it was and what it became.
    pub fn audit_of(
        &self,
        workspace: &workspace::Model,
        (action, entity_type, entity_id): (&'static str, &'static str, String),
        old_values: serde_json::Value,
        new_values: serde_json::Value,
    ) -> Entry {
        Entry {
            partner_id: Some(workspace.partner_id),
            workspace_id: Some(workspace.id),
            user_id: Some(self.user.user_id()),
            action,
            entity_type,
            entity_id: Some(entity_id),
            old_values: Some(old_values),
            new_values: Some(new_values),
            metadata: None,
        }
    }
}

impl UserCtx {
    pub fn user_id(&self) -> Uuid {
        self.user.id
    }
}
