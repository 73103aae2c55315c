//! Branded email templates: one layout in the partner's colour, logo and name, and one
//! function per email the product sends. Every value is HTML-escaped.

use crate::tenancy::model::PartnerBrand;

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// An invitation, whichever kind.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    pub inviter: &'a str,
    /// What the invitee joins: a workspace, the organisation, or their own new workspace.
    pub target: &'a str,
    pub role: &'a str,
    pub message: Option<&'a str>,
    pub link: &'a str,
    pub expires: &'a str,
    /// Workspaces granted on acceptance (team invitations).
    pub workspaces: &'a [String],
}

pub fn workspace_invitation(brand: &PartnerBrand, invite: &Invitation<'_>) -> Rendered {
    invitation(
        brand,
        format!("You've been invited to {}", invite.target),
        format!(
            "{} invited you to join the {} workspace on {} as {}.",
            invite.inviter, invite.target, brand.name, invite.role
        ),
        "Accept invitation",
        invite,
    )
}

pub fn partner_invitation(brand: &PartnerBrand, invite: &Invitation<'_>) -> Rendered {
    invitation(
        brand,
        format!("You've been invited to join {}", brand.name),
        format!(
            "{} invited you to join the {} team as {}.",
            invite.inviter, brand.name, invite.role
        ),
        "Join the team",
        invite,
    )
}

pub fn client_invitation(brand: &PartnerBrand, invite: &Invitation<'_>) -> Rendered {
    invitation(
        brand,
        format!("{} set up a workspace for you", brand.name),
        format!(
            "{} invited you to {}: create your account and your workspace \"{}\" is ready.",
            invite.inviter, brand.name, invite.target
        ),
        "Create your account",
        invite,
    )
}

pub fn password_reset(brand: &PartnerBrand, link: &str, minutes: i64) -> Rendered {
    let intro = format!(
        "Someone asked to reset the password of your {} account. The link works once, for {minutes} minutes.",
        brand.name
    );
    let outro = "If it was not you, ignore this email: your password stays the same.";
    Rendered {
        subject: format!("Reset your {} password", brand.name),
        html: layout(
            brand,
            "Reset your password",
            &[&intro, outro],
            Some(("Choose a new password", link)),
        ),
        text: format!("{intro}\n\n{link}\n\n{outro}\n"),
    }
}

/// The link that sets the password of an account made for someone else's hands.
pub fn account_setup(brand: &PartnerBrand, role: &str, link: &str, hours: i64) -> Rendered {
    let intro = format!(
        "An account on {} was made for you, as {role}. Choose its password to sign in. The \
         link works once, for {hours} hours; after that, ask for a new one with \"Forgot \
         password\" on the sign-in page.",
        brand.name
    );
    let ignore =
        "If you did not expect this, ignore this email: nobody can sign in without the password.";
    Rendered {
        subject: format!("Your {} account is ready", brand.name),
        html: layout(
            brand,
            "Choose your password",
            &[&intro, ignore],
            Some(("Choose a password", link)),
        ),
        text: format!("{intro}\n\n{link}\n\n{ignore}\n"),
    }
}

/// A custom domain now serves the organisation's pages.
pub fn domain_verified(
    brand: &PartnerBrand,
    hostname: &str,
    address: &str,
    manage: &str,
) -> Rendered {
    let intro = format!(
        "{hostname} is verified: {} pages, sign-in included, now open at {address}. Make it \
         the primary domain to have emails link to it.",
        brand.name
    );
    let outro = "Keep its CNAME record in place: it is what sends visitors to your pages.";
    Rendered {
        subject: format!("{hostname} is ready for {}", brand.name),
        html: layout(
            brand,
            "Your domain is verified",
            &[&intro, outro],
            Some(("Manage domains", manage)),
        ),
        text: format!("{intro}\n\n{outro}\n\n{manage}\n"),
    }
}

/// The link that confirms a new account's email address; the account does nothing before.
pub fn confirm_email(brand: &PartnerBrand, name: &str, link: &str, hours: i64) -> Rendered {
    let intro = format!(
        "Welcome to {}, {name}. Confirm that this address is yours to open your account and \
         its workspace. The link works once, for {hours} hours.",
        brand.name
    );
    let ignore = "If you did not sign up, ignore this email: nothing happens without the link.";
    Rendered {
        subject: format!("Confirm your email for {}", brand.name),
        html: layout(
            brand,
            "Confirm your email",
            &[&intro, ignore],
            Some(("Confirm my email", link)),
        ),
        text: format!("{intro}\n\n{link}\n\n{ignore}\n"),
    }
}

/// To the owner of an address someone tried to sign up with: nothing changed.
pub fn signup_attempt(brand: &PartnerBrand, reset_link: &str) -> Rendered {
    let intro = format!(
        "Someone tried to create a {} account with this email address. You already have one, \
         so nothing was changed.",
        brand.name
    );
    let next = "If it was you, sign in; if you forgot your password, you can choose a new one.";
    Rendered {
        subject: format!(
            "Someone tried to sign up to {} with your address",
            brand.name
        ),
        html: layout(
            brand,
            "You already have an account",
            &[&intro, next],
            Some(("Choose a new password", reset_link)),
        ),
        text: format!("{intro}\n\n{next}\n{reset_link}\n"),
    }
}

/// A finished campaign's figures, to the person who made it.
pub fn campaign_summary(
    brand: &PartnerBrand,
    campaign: &str,
    lines: &[String],
    link: &str,
) -> Rendered {
    let intro = format!("Your campaign {campaign} has finished. Here is how it went:");
    let mut paragraphs: Vec<&str> = vec![&intro];
    paragraphs.extend(lines.iter().map(String::as_str));
    Rendered {
        subject: format!("Campaign finished: {campaign}"),
        html: layout(
            brand,
            "Your campaign has finished",
            &paragraphs,
            Some(("See the results", link)),
        ),
        text: format!("{intro}\n\n{}\n\n{link}\n", lines.join("\n")),
    }
}

fn invitation(
    brand: &PartnerBrand,
    subject: String,
    intro: String,
    button: &str,
    invite: &Invitation<'_>,
) -> Rendered {
    let mut paragraphs = vec![intro.clone()];
    if let Some(message) = invite.message.filter(|m| !m.trim().is_empty()) {
        paragraphs.push(format!("“{}”", message.trim()));
    }
    if !invite.workspaces.is_empty() {
        paragraphs.push(format!("Workspaces: {}.", invite.workspaces.join(", ")));
    }
    paragraphs.push(format!(
        "This invitation expires on {}. It works once, for the address it was sent to.",
        invite.expires
    ));
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    Rendered {
        html: layout(brand, &subject, &refs, Some((button, invite.link))),
        text: format!("{}\n\n{}\n", paragraphs.join("\n\n"), invite.link),
        subject,
    }
}

/// The shared layout: logo or name on the partner's colour, paragraphs, one button.
fn layout(
    brand: &PartnerBrand,
    heading: &str,
    paragraphs: &[&str],
    button: Option<(&str, &str)>,
) -> String {
    let color = escape(brand.primary.as_str());
    let on_color = brand.primary.readable_text();
    let header = match &brand.logo_url {
        Some(logo) if logo.starts_with("http") => format!(
            r#"<img src="{}" alt="{}" height="32" style="height:32px">"#,
            escape(logo),
            escape(&brand.name)
        ),
        _ => format!(
            r#"<span style="font-size:18px;font-weight:600;color:{on_color}">{}</span>"#,
            escape(&brand.name)
        ),
    };
    let support = match (&brand.support_email, &brand.support_url) {
        (None, None) => String::new(),
        (email, url) => {
            let mut ways = Vec::new();
            if let Some(email) = email {
                ways.push(format!(
                    r#"<a href="mailto:{0}" style="color:#6b7280">{0}</a>"#,
                    escape(email)
                ));
            }
            if let Some(url) = url {
                ways.push(format!(
                    r#"<a href="{0}" style="color:#6b7280">{0}</a>"#,
                    escape(url)
                ));
            }
            format!(". Questions? {}", ways.join(" or "))
        }
    };
    let body: String = paragraphs
        .iter()
        .map(|p| {
            format!(
                r#"<p style="margin:0 0 16px;line-height:1.5">{}</p>"#,
                escape(p)
            )
        })
        .collect();
    let action = button
        .map(|(label, href)| {
            format!(
                r#"<p style="margin:24px 0"><a href="{}" style="background:{color};color:{on_color};padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">{}</a></p><p style="font-size:12px;color:#6b7280;word-break:break-all">{}</p>"#,
                escape(href),
                escape(label),
                escape(href)
            )
        })
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html><body style="margin:0;background:#f3f4f6;font-family:system-ui,sans-serif;color:#111827"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px"><table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px;overflow:hidden"><tr><td style="background:{color};padding:16px 24px">{header}</td></tr><tr><td style="padding:24px"><h1 style="font-size:20px;margin:0 0 16px">{}</h1>{body}{action}</td></tr><tr><td style="padding:16px 24px;font-size:12px;color:#6b7280">Sent by {}{support}</td></tr></table></td></tr></table></body></html>"#,
        escape(heading),
        escape(&brand.name)
    )
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::model::Branding;

    fn brand() -> PartnerBrand {
        PartnerBrand::new(
            uuid::Uuid::nil(),
            "acme",
            "Acme Voice",
            false,
            &Branding {
                primary_color: Some("#e11d48".into()),
                ..Branding::default()
            },
        )
    }

    #[test]
    fn invitations_carry_the_brand_and_escape_what_users_typed() {
        let email = workspace_invitation(
            &brand(),
            &Invitation {
                inviter: "Ada <script>",
                target: "Acme Dental",
                role: "member",
                message: Some("Welcome & enjoy"),
                link: "http://acme.localhost:3000/accept-invitation?token=abc",
                expires: "1 December 2026",
                workspaces: &[],
            },
        );
        assert_eq!(email.subject, "You've been invited to Acme Dental");
        assert!(email.html.contains("#e11d48"));
        assert!(email.html.contains("Acme Voice"));
        assert!(email.html.contains("Ada &lt;script&gt;"));
        assert!(!email.html.contains("<script>"));
        assert!(email.html.contains("Welcome &amp; enjoy"));
        assert!(email.text.contains("token=abc"));
    }

    #[test]
    fn the_reset_email_says_how_long_the_link_works() {
        let email = password_reset(&brand(), "http://x/reset-password?token=t", 60);
        assert_eq!(email.subject, "Reset your Acme Voice password");
        assert!(email.text.contains("for 60 minutes"));
    }
}
