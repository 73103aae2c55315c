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

/// An image of the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrandImage {
    Logo,
    Favicon,
}

impl BrandImage {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "logo" => Some(Self::Logo),
            "favicon" => Some(Self::Favicon),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logo => "logo",
            Self::Favicon => "favicon",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Logo => "Logo",
            Self::Favicon => "Favicon",
        }
    }

    /// The longest side it is stored at, in pixels (larger images are scaled down).
    pub fn max_side(self) -> u32 {
        match self {
            Self::Logo => 512,
            Self::Favicon => 128,
        }
    }
}

/// Files taken as brand images at most (before they are scaled and written as PNG).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// SVG files at most: drawing one costs more than its size suggests.
pub const MAX_SVG_BYTES: usize = 512 * 1024;
/// Pixels on a side a picture may have when it is read.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// The brand as its settings page shows it, with the checks of its colours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandSettings {
    pub name: String,
    pub display_name: String,
    pub slug: String,
    pub primary: String,
    pub accent: String,
    pub sender_name: String,
    pub support_email: String,
    pub support_url: String,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub checks: Vec<ContrastCheck>,
    /// Where the brand shows: the organisation's addresses.
    pub hosts: Vec<String>,
}

/// One check of the colours against WCAG AA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContrastCheck {
    pub label: String,
    /// "4.6:1"
    pub ratio: String,
    /// "4.5:1"
    pub needed: String,
    pub passes: bool,
    pub note: String,
}

/// The checks a pair of colours gets: button text on the primary colour, the primary and
/// accent colours as shapes on a white page (3:1), and links in the primary colour
/// (adjusted to 4.5:1 when they would not read).
pub fn contrast_checks(
    primary: &crate::tenancy::model::HexColor,
    accent: &crate::tenancy::model::HexColor,
) -> Vec<ContrastCheck> {
    use crate::tenancy::model::HexColor;
    let white = HexColor::parse("#ffffff").unwrap_or_else(|| primary.clone());
    let ratio = |r: f64| format!("{:.1}:1", (r * 10.0).floor() / 10.0);
    let text = HexColor::parse(primary.readable_text()).unwrap_or_else(|| white.clone());
    let on_button = primary.contrast(&text);
    let shape = primary.contrast(&white);
    let accent_shape = accent.contrast(&white);
    let link = primary.ink_on(0.85);
    let link_ratio = link.contrast(&white);
    vec![
        ContrastCheck {
            label: "Button text on the primary colour".into(),
            ratio: ratio(on_button),
            needed: "4.5:1".into(),
            passes: on_button >= 4.5,
            note: format!(
                "Buttons write in {} on it.",
                if primary.readable_text() == "#ffffff" {
                    "white"
                } else {
                    "black"
                }
            ),
        },
        ContrastCheck {
            label: "Primary colour on a white page (buttons, focus rings)".into(),
            ratio: ratio(shape),
            needed: "3:1".into(),
            passes: shape >= 3.0,
            note: if shape >= 3.0 {
                "Buttons stand out from the page.".into()
            } else {
                "Too light: buttons fade into white pages. Choose a darker colour.".into()
            },
        },
        ContrastCheck {
            label: "Accent colour on a white page".into(),
            ratio: ratio(accent_shape),
            needed: "3:1".into(),
            passes: accent_shape >= 3.0,
            note: if accent_shape >= 3.0 {
                "Accents stand out from the page.".into()
            } else {
                "Too light to see against white pages. Choose a darker colour.".into()
            },
        },
        ContrastCheck {
            label: "Links and labels in the primary colour".into(),
            ratio: ratio(link_ratio),
            needed: "4.5:1".into(),
            passes: link_ratio >= 4.5,
            note: if &link == primary {
                "Your colour reads as it is.".into()
            } else {
                format!(
                    "Darkened to {} for text, so it reads on light pages.",
                    link.as_str()
                )
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::model::HexColor;

    #[test]
    fn pale_colours_fail_the_shape_check_and_links_are_darkened() {
        let yellow = HexColor::parse("#ffe066").unwrap();
        let violet = HexColor::parse("#7c3aed").unwrap();
        let checks = contrast_checks(&yellow, &violet);
        assert!(checks[0].passes, "black text on yellow reads");
        assert!(!checks[1].passes, "{:?}", checks[1]);
        assert!(checks[2].passes);
        assert!(checks[3].passes && checks[3].note.starts_with("Darkened"));
        let fine = contrast_checks(&violet, &violet);
        assert!(fine.iter().all(|c| c.passes), "{fine:?}");
        assert_eq!(fine[3].note, "Your colour reads as it is.");
    }
}

/// The name of the TXT record that proves a domain, under the domain.
pub const DOMAIN_RECORD_LABEL: &str = "_genius365";

/// A domain of the organisation, with the records to create for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRow {
    pub id: Uuid,
    pub hostname: String,
    pub is_primary: bool,
    pub verified: bool,
    pub checked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the last check did not verify it.
    pub check_error: Option<String>,
    /// `_genius365.{hostname}` and what its TXT record must say.
    pub txt_name: String,
    pub txt_value: String,
    /// Where the domain's CNAME points.
    pub cname_target: String,
}

/// The organisation's domains and its address on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainList {
    pub domains: Vec<DomainRow>,
    /// `{slug}.{platform domain}`, which always works (none for the platform itself).
    pub platform_address: Option<String>,
}
