//! What an outbox row is and where its delivery stands, as the server stores them and the
//! super admin's outbox page shows them.

use serde::{Deserialize, Serialize};

use crate::names::stored_enum;

stored_enum! {
    /// What kind of email a row is, for filtering and tests.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum EmailKind {
        WorkspaceInvitation = "workspace_invitation",
        PartnerInvitation = "partner_invitation",
        ClientInvitation = "client_invitation",
        PasswordReset = "password_reset",
        /// The link that confirms a new account's address.
        ConfirmEmail = "confirm_email",
        /// Someone tried to sign up with an address that has an account.
        SignupAttempt = "signup_attempt",
        /// A campaign has finished: what it achieved.
        CampaignSummary = "campaign_summary",
        /// A new account made for someone (the first super admin of an install): the link
        /// that sets its password.
        AccountSetup = "account_setup",
        /// A custom domain of the organisation was proven and now serves its pages.
        DomainVerified = "domain_verified",
    }
}

stored_enum! {
    /// Where an email's delivery stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum EmailStatus {
        /// No delivery is configured: the email is kept here only.
        Stored = "stored",
        /// Its delivery job will send it.
        Pending = "pending",
        Sent = "sent",
        /// Every attempt failed; `last_error` says why.
        Failed = "failed",
    }
}
