//! What the invitation pages and lists show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::names::stored_enum;
use crate::tenancy::model::PartnerBrand;

stored_enum! {
    /// The three kinds of invitation.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum InvitationKind {
        /// Join one workspace with a workspace role.
        Workspace = "workspace",
        /// Join the organisation's team with a partner role, and optionally workspaces.
        Partner = "partner",
        /// A client of the organisation: signs up and gets a workspace of their own.
        Client = "client",
    }
}

stored_enum! {
    /// Where an invitation stands. Only a pending one can be accepted, once.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum InvitationStatus {
        Pending = "pending",
        Accepted = "accepted",
        /// Found past its date when someone tried it.
        Expired = "expired",
        /// Withdrawn by someone who may manage the team.
        Cancelled = "cancelled",
    }
}

/// A pending invitation in a list, with what its row offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: Uuid,
    pub kind: InvitationKind,
    pub email: String,
    pub role: String,
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub expired: bool,
    /// Workspace names granted on acceptance (team invitations) or the new workspace's
    /// name (client invitations).
    pub workspaces: Vec<String>,
}

/// An invitation just created or re-sent. Its link went to the invited mailbox only: the
/// inviter is never shown it, since whoever holds it creates the invited person's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedInvitation {
    pub id: Uuid,
    pub email: String,
}

impl IssuedInvitation {
    /// What the inviter is told once it is sent (a resent one replaces the earlier link).
    pub fn sent(&self) -> String {
        format!(
            "Invitation sent to {}. The link in it works once, for 7 days.",
            self.email
        )
    }
}

/// What the accept page shows before anyone acts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub kind: InvitationKind,
    pub email: String,
    pub role: String,
    /// The workspace joined, or the client workspace to be created.
    pub target: String,
    pub workspaces: Vec<String>,
    pub inviter: Option<String>,
    pub message: Option<String>,
    pub brand: PartnerBrand,
    pub state: InvitationState,
    /// Whether an account already exists for the email (sign in rather than sign up).
    pub account_exists: bool,
    /// The signed-in person's email, if someone is signed in on this host.
    pub signed_in_as: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Expired,
    /// Accepted, cancelled, or never existed: the link cannot be used.
    Unusable,
}

/// One workspace granted by a team invitation, as the invite form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAssignment {
    pub workspace_id: Uuid,
    pub role: crate::tenancy::model::WorkspaceRole,
}
