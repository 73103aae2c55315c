//! Every email the product sends, rendered with example values in an organisation's
//! brand, for the super admin's preview page: what a template change looks like is seen
//! before anyone receives it.

use super::model::EmailKind;
use super::template::{self, Invitation, Rendered};
use crate::tenancy::model::PartnerBrand;

/// Each kind of email with example values, in `brand`; `origin` is where its links go.
pub fn samples(brand: &PartnerBrand, origin: &str) -> Vec<(EmailKind, Rendered)> {
    let invite = |target: &'static str, role: &'static str| Invitation {
        inviter: "Ada Lovelace",
        target,
        role,
        message: Some("Welcome aboard: the front desk agent is yours to tune."),
        link: "",
        expires: "in 7 days",
        workspaces: &[],
    };
    let link = |path: &str| format!("{origin}{path}");
    let accept = link("/accept-invitation?token=example");
    let granted = vec!["Main Street Dental".to_owned()];
    vec![
        (
            EmailKind::WorkspaceInvitation,
            template::workspace_invitation(
                brand,
                &Invitation {
                    link: &accept,
                    ..invite("Main Street Dental", "member")
                },
            ),
        ),
        (
            EmailKind::PartnerInvitation,
            template::partner_invitation(
                brand,
                &Invitation {
                    link: &accept,
                    workspaces: &granted,
                    ..invite("the team", "admin")
                },
            ),
        ),
        (
            EmailKind::ClientInvitation,
            template::client_invitation(
                brand,
                &Invitation {
                    link: &accept,
                    ..invite("Harbor Physio", "owner")
                },
            ),
        ),
        (
            EmailKind::PasswordReset,
            template::password_reset(brand, &link("/reset-password?token=example"), 60),
        ),
        (
            EmailKind::ConfirmEmail,
            template::confirm_email(brand, "Grace", &link("/verify-email?token=example"), 24),
        ),
        (
            EmailKind::SignupAttempt,
            template::signup_attempt(brand, &link("/forgot-password")),
        ),
        (
            EmailKind::CampaignSummary,
            template::campaign_summary(
                brand,
                "Spring recall",
                &[
                    "412 of 420 people reached".to_owned(),
                    "37 asked to be called back".to_owned(),
                    "3 asked not to be called again".to_owned(),
                ],
                &link("/w/main-street/campaigns/example"),
            ),
        ),
        (
            EmailKind::AccountSetup,
            template::account_setup(
                brand,
                "the platform's super admin",
                &link("/reset-password?token=example"),
                72,
            ),
        ),
        (
            EmailKind::DomainVerified,
            template::domain_verified(
                brand,
                "calls.example.com",
                "https://calls.example.com",
                &link("/org/domains"),
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::model::Branding;

    #[test]
    fn every_kind_has_a_sample_in_the_brand() {
        let brand = PartnerBrand::new(
            uuid::Uuid::nil(),
            "acme",
            "Acme Voice",
            false,
            &Branding::default(),
        );
        let samples = samples(&brand, "https://acme.example");
        let kinds: Vec<EmailKind> = samples.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            EmailKind::ALL.to_vec(),
            "one sample per kind, in order"
        );
        for (kind, email) in samples {
            assert!(email.html.contains("Acme Voice"), "{kind:?}");
            assert!(
                !email.subject.is_empty() && !email.text.is_empty(),
                "{kind:?}"
            );
        }
    }
}
