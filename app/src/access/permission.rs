//! The permission matrix: what each workspace and partner role may do, and the rules for
//! changing roles. Compiled for the browser too, so the UI hides exactly what the server
//! refuses.

use serde::{Deserialize, Serialize};

use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// Something a workspace role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkspacePermission {
    Read,
    Update,
    Delete,
    SettingsRead,
    SettingsUpdate,
    DashboardRead,
    AgentsRead,
    AgentsWrite,
    AgentsDelete,
    MembersRead,
    MembersManage,
    ConversationsRead,
    ConversationsCreate,
    ConversationsDelete,
    LeadsRead,
    LeadsWrite,
    LeadsDelete,
    IntegrationsRead,
    IntegrationsManage,
    AnalyticsRead,
    AnalyticsExport,
    BillingRead,
    BillingUpdate,
    KnowledgeRead,
    KnowledgeWrite,
    KnowledgeDelete,
    CampaignsRead,
    CampaignsWrite,
    /// Taking a number off the do-not-call list (putting one on is `CampaignsWrite`).
    DoNotCallRemove,
}

impl WorkspacePermission {
    /// The lowest workspace role that holds this permission.
    pub fn minimum_role(self) -> WorkspaceRole {
        use WorkspacePermission::*;
        match self {
            Read | SettingsRead | DashboardRead | AgentsRead | MembersRead | ConversationsRead
            | LeadsRead | IntegrationsRead | AnalyticsRead | BillingRead | KnowledgeRead
            | CampaignsRead => WorkspaceRole::Viewer,
            AgentsWrite | ConversationsCreate | LeadsWrite | KnowledgeWrite | CampaignsWrite => {
                WorkspaceRole::Member
            }
            Update | SettingsUpdate | AgentsDelete | MembersManage | ConversationsDelete
            | LeadsDelete | IntegrationsManage | AnalyticsExport | BillingUpdate
            | KnowledgeDelete | DoNotCallRemove => WorkspaceRole::Admin,
            Delete => WorkspaceRole::Owner,
        }
    }

    /// Whether a paywalled workspace is refused this when it changes something. Reading is
    /// never refused; neither is paying (billing) nor deleting the workspace, so a client
    /// that has run out can always recover or leave.
    pub fn is_metered(self) -> bool {
        use WorkspacePermission::*;
        !matches!(
            self,
            Read | SettingsRead
                | DashboardRead
                | AgentsRead
                | MembersRead
                | ConversationsRead
                | LeadsRead
                | IntegrationsRead
                | AnalyticsRead
                | AnalyticsExport
                | BillingRead
                | BillingUpdate
                | KnowledgeRead
                | CampaignsRead
                | DoNotCallRemove
                | Delete
        )
    }
}

/// Something a partner (organisation) role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartnerPermission {
    Read,
    StatsRead,
    Update,
    WorkspacesCreate,
    MembersRead,
    MembersManage,
    BrandingUpdate,
    BillingUpdate,
    /// Provider integrations: list, add, remove, assign to workspaces.
    IntegrationsManage,
    /// The organisation's do-not-call list (every workspace obeys it).
    DoNotCallManage,
    /// The organisation's audit log.
    AuditRead,
    /// The organisation's own domains.
    DomainsManage,
    Delete,
    WorkspacesDelete,
}

impl PartnerPermission {
    /// The lowest partner role that holds this permission.
    pub fn minimum_role(self) -> PartnerRole {
        use PartnerPermission::*;
        match self {
            Read | MembersRead => PartnerRole::Member,
            StatsRead | Update | WorkspacesCreate | MembersManage | BrandingUpdate
            | BillingUpdate | IntegrationsManage | DoNotCallManage | AuditRead | DomainsManage => {
                PartnerRole::Admin
            }
            Delete | WorkspacesDelete => PartnerRole::Owner,
        }
    }
}

impl WorkspaceRole {
    pub fn can(self, permission: WorkspacePermission) -> bool {
        self >= permission.minimum_role()
    }

    /// The role a partner role gives in every workspace of its partner, if any: partner
    /// owners and admins enter every workspace as admins.
    pub fn from_partner_role(role: PartnerRole) -> Option<Self> {
        (role >= PartnerRole::Admin).then_some(Self::Admin)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Viewer => "Viewer",
            Self::Member => "Member",
            Self::Admin => "Admin",
            Self::Owner => "Owner",
        }
    }

    /// Every role, highest first, as pickers offer them.
    pub const HIGHEST_FIRST: [Self; 4] = [Self::Owner, Self::Admin, Self::Member, Self::Viewer];
}

impl PartnerRole {
    pub fn can(self, permission: PartnerPermission) -> bool {
        self >= permission.minimum_role()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Member => "Member",
            Self::Admin => "Admin",
            Self::Owner => "Owner",
        }
    }

    /// Every role, highest first, as pickers offer them.
    pub const HIGHEST_FIRST: [Self; 3] = [Self::Owner, Self::Admin, Self::Member];
}

/// Why a role change or removal is refused, as a sentence for the person who tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChangeRefusal {
    NotAllowed,
    OnlyOwnersManageOwners,
    NotYourself,
    LastOwner,
}

impl RoleChangeRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::NotAllowed => "Only owners and admins can change members.",
            Self::OnlyOwnersManageOwners => "Only an owner can change, add or remove an owner.",
            Self::NotYourself => "You cannot change your own role or remove yourself.",
            Self::LastOwner => "Every team needs an owner: make someone else owner first.",
        }
    }
}

/// A proposed change to a member: a new role, or removal (`to: None`).
#[derive(Debug, Clone, Copy)]
pub struct RoleChange<R> {
    pub actor: R,
    pub actor_is_target: bool,
    pub current: R,
    pub to: Option<R>,
    /// Owners there are now, the target included if they are one.
    pub owner_count: usize,
}

/// The owner protections, for any role ladder whose top rung is "owner": only admins and
/// owners manage members; only owners touch owners; nobody changes themselves; the last
/// owner stays an owner.
pub fn check_role_change<R: Ord + Copy>(
    change: RoleChange<R>,
    admin: R,
    owner: R,
) -> Result<(), RoleChangeRefusal> {
    if change.actor < admin {
        return Err(RoleChangeRefusal::NotAllowed);
    }
    if change.actor_is_target {
        return Err(RoleChangeRefusal::NotYourself);
    }
    let touches_owner = change.current == owner || change.to == Some(owner);
    if touches_owner && change.actor != owner {
        return Err(RoleChangeRefusal::OnlyOwnersManageOwners);
    }
    let loses_owner = change.current == owner && change.to != Some(owner);
    if loses_owner && change.owner_count <= 1 {
        return Err(RoleChangeRefusal::LastOwner);
    }
    Ok(())
}

/// Roles an actor may hand out in an invitation: owners any, admins any but owner.
pub fn can_invite_as<R: Ord + Copy>(actor: R, role: R, admin: R, owner: R) -> bool {
    actor >= admin && (role != owner || actor == owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use WorkspaceRole::*;

    #[test]
    fn the_workspace_matrix_matches_the_original() {
        let allowed = |p: WorkspacePermission| -> Vec<WorkspaceRole> {
            ALL_ROLES.into_iter().filter(|r| r.can(p)).collect()
        };
        const ALL_ROLES: [WorkspaceRole; 4] = [Viewer, Member, Admin, Owner];
        assert_eq!(allowed(WorkspacePermission::Read), ALL_ROLES.to_vec());
        assert_eq!(
            allowed(WorkspacePermission::AgentsWrite),
            vec![Member, Admin, Owner]
        );
        assert_eq!(
            allowed(WorkspacePermission::AgentsDelete),
            vec![Admin, Owner]
        );
        assert_eq!(
            allowed(WorkspacePermission::MembersManage),
            vec![Admin, Owner]
        );
        assert_eq!(
            allowed(WorkspacePermission::BillingRead),
            ALL_ROLES.to_vec()
        );
        assert_eq!(allowed(WorkspacePermission::Delete), vec![Owner]);
    }

    #[test]
    fn the_partner_matrix_matches_the_original() {
        assert!(PartnerRole::Member.can(PartnerPermission::MembersRead));
        assert!(!PartnerRole::Member.can(PartnerPermission::StatsRead));
        assert!(PartnerRole::Admin.can(PartnerPermission::MembersManage));
        assert!(!PartnerRole::Admin.can(PartnerPermission::Delete));
        assert!(PartnerRole::Owner.can(PartnerPermission::WorkspacesDelete));
    }

    fn change(
        actor: WorkspaceRole,
        current: WorkspaceRole,
        to: Option<WorkspaceRole>,
        owners: usize,
    ) -> Result<(), RoleChangeRefusal> {
        check_role_change(
            RoleChange {
                actor,
                actor_is_target: false,
                current,
                to,
                owner_count: owners,
            },
            Admin,
            Owner,
        )
    }

    #[test]
    fn members_and_viewers_cannot_change_anyone() {
        assert_eq!(
            change(Member, Viewer, Some(Member), 1),
            Err(RoleChangeRefusal::NotAllowed)
        );
    }

    #[test]
    fn admins_manage_everyone_below_owner() {
        assert_eq!(change(Admin, Viewer, Some(Admin), 1), Ok(()));
        assert_eq!(change(Admin, Member, None, 1), Ok(()));
        assert_eq!(
            change(Admin, Owner, Some(Admin), 2),
            Err(RoleChangeRefusal::OnlyOwnersManageOwners)
        );
        assert_eq!(
            change(Admin, Member, Some(Owner), 1),
            Err(RoleChangeRefusal::OnlyOwnersManageOwners)
        );
    }

    #[test]
    fn the_last_owner_is_kept() {
        assert_eq!(
            change(Owner, Owner, Some(Admin), 1),
            Err(RoleChangeRefusal::LastOwner)
        );
        assert_eq!(
            change(Owner, Owner, None, 1),
            Err(RoleChangeRefusal::LastOwner)
        );
        assert_eq!(change(Owner, Owner, Some(Admin), 2), Ok(()));
    }

    #[test]
    fn nobody_changes_themselves() {
        let own = RoleChange {
            actor: Owner,
            actor_is_target: true,
            current: Owner,
            to: Some(Admin),
            owner_count: 3,
        };
        assert_eq!(
            check_role_change(own, Admin, Owner),
            Err(RoleChangeRefusal::NotYourself)
        );
    }

    #[test]
    fn only_owners_invite_owners() {
        assert!(can_invite_as(Owner, Owner, Admin, Owner));
        assert!(!can_invite_as(Admin, Owner, Admin, Owner));
        assert!(can_invite_as(Admin, Viewer, Admin, Owner));
        assert!(!can_invite_as(Member, Viewer, Admin, Owner));
    }
}
