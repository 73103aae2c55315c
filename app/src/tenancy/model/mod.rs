//! Tenancy DTOs and validated values, shared by the browser and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::names::stored_enum;

mod brand;
pub use brand::*;

/// A workspace as the switcher and shell show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSummary {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
}

/// Zones offered where a zone is chosen (a workspace's, a campaign's own).
pub const COMMON_ZONES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
];

/// A workspace's overview for its dashboard and shell, with the viewer's role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceOverview {
    pub workspace: WorkspaceSummary,
    pub role: WorkspaceRole,
    pub partner_admin_access: bool,
    pub partner_role: Option<PartnerRole>,
    pub per_minute_rate_cents: i32,
    pub is_billing_exempt: bool,
    /// Balance and paywall state, for the banner every page of the workspace shows.
    pub credits: crate::billing::model::Credits,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The workspace's zone (IANA): its campaigns' default; none until chosen.
    pub time_zone: Option<String>,
}

/// A validated new workspace: name 1–200 characters, description at most 1000.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkspace {
    pub name: String,
    pub description: Option<String>,
}

impl NewWorkspace {
    pub fn parse(name: &str, description: &str) -> Result<Self, crate::error::AppError> {
        let mut fields = crate::error::FieldErrors::new();
        let name = name.trim();
        if name.is_empty() {
            fields.insert("name".into(), vec!["Give the workspace a name.".into()]);
        } else if name.chars().count() > 200 {
            fields.insert("name".into(), vec!["Use at most 200 characters.".into()]);
        } else if Slug::from_name(name).is_none() {
            fields.insert(
                "name".into(),
                vec!["Include at least one letter or digit.".into()],
            );
        }
        let description = description.trim();
        if description.chars().count() > 1000 {
            fields.insert(
                "description".into(),
                vec!["Use at most 1000 characters.".into()],
            );
        }
        if let Some(err) = crate::error::AppError::from_fields(fields) {
            return Err(err);
        }
        Ok(Self {
            name: name.to_owned(),
            description: Some(description.to_owned()).filter(|d| !d.is_empty()),
        })
    }
}

stored_enum! {
    /// What a partner is to the platform: the platform itself, or an agency on it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PlanTier {
        Platform = "platform",
        Partner = "partner",
    }
}

stored_enum! {
    /// Where a partner stands. Every partner is active today; the billing states (past
    /// due, read-only) join here.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PartnerStatus {
        Active = "active",
    }
}

stored_enum! {
    /// Where a workspace stands. Every workspace is active today (a deleted one has
    /// `deleted_at`); suspension joins here.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum WorkspaceStatus {
        Active = "active",
    }
}

stored_enum! {
    /// A user's role in a partner, lowest first.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PartnerRole {
        Member = "member",
        Admin = "admin",
        Owner = "owner",
    }
}

stored_enum! {
    /// A user's role in a workspace, lowest first.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum WorkspaceRole {
        Viewer = "viewer",
        Member = "member",
        Admin = "admin",
        Owner = "owner",
    }
}

/// A workspace's or partner's name in addresses (`/w/{slug}`, `{slug}.genius365.app`):
/// lower-case ASCII letters and digits in runs joined by single `-`, at most 50
/// characters. Only such a text becomes one, so a slug is never checked twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 50;

    /// `text` as it is, if it is a slug.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed = !text.is_empty()
            && text.len() <= Self::MAX_LEN
            && text.split('-').all(|run| {
                !run.is_empty()
                    && run
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        well_formed.then(|| Self(text.to_owned()))
    }

    /// The slug a name reads as ("Acme Voice, Inc." → `acme-voice-inc`), if it has a
    /// letter or digit.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::parse(&slugify(name))
    }

    /// The slug a name reads as, or `workspace` when it has no letter or digit.
    pub fn from_name_or_workspace(name: &str) -> Self {
        Self::from_name(name).unwrap_or_else(|| Self("workspace".into()))
    }

    /// This slug with `-{n}` after it, shortened first so the whole stays a slug.
    pub fn numbered(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        base.truncate(Self::MAX_LEN - suffix.len());
        Self(format!("{}{suffix}", base.trim_end_matches('-')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl TryFrom<String> for Slug {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not a slug"))
    }
}

/// Derives a URL slug from a name: lower-case, runs of other characters become one `-`,
/// at most 50 characters, no leading or trailing `-`.
fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.truncate(50);
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_only_as_hex() {
        assert_eq!(
            HexColor::parse("#7C3AED").map(|c| c.as_str().to_owned()),
            Some("#7c3aed".into())
        );
        assert_eq!(
            HexColor::parse("#abc").map(|c| c.as_str().to_owned()),
            Some("#aabbcc".into())
        );
        for bad in [
            "7c3aed",
            "#12345",
            "red",
            "#zzzzzz",
            "#000;}body{display:none",
        ] {
            assert_eq!(HexColor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_on_a_colour_is_whichever_contrasts_more() {
        assert_eq!(
            HexColor::parse("#7c3aed").expect("hex").readable_text(),
            "#ffffff"
        );
        assert_eq!(
            HexColor::parse("#fde047").expect("hex").readable_text(),
            "#0b0b0f"
        );
    }

    #[test]
    fn brand_ink_reads_on_light_and_dark_surfaces() {
        for hex in [
            "#e11d48", "#7c3aed", "#facc15", "#22d3ee", "#000000", "#ffffff",
        ] {
            let colour = HexColor::parse(hex).expect("hex");
            for surface in [0.85, 0.02] {
                let ink = colour.ink_on(surface).luminance();
                let contrast = (ink.max(surface) + 0.05) / (ink.min(surface) + 0.05);
                assert!(contrast >= 4.5, "{hex} on {surface}: {contrast:.2}");
            }
        }
    }

    #[test]
    fn darkening_scales_each_channel() {
        assert_eq!(
            HexColor::parse("#ffffff").expect("hex").darken(10).as_str(),
            "#e6e6e6"
        );
        assert_eq!(
            HexColor::parse("#000000").expect("hex").darken(50).as_str(),
            "#000000"
        );
    }

    #[test]
    fn a_brand_falls_back_to_the_partner_name_and_default_colours() {
        let branding = Branding {
            primary_color: Some("javascript:alert(1)".into()),
            logo_url: Some("javascript:alert(1)".into()),
            ..Branding::default()
        };
        let brand = PartnerBrand::new(Uuid::nil(), "acme", "Acme Voice", false, &branding);
        assert_eq!(brand.name, "Acme Voice");
        assert_eq!(brand.primary.as_str(), DEFAULT_PRIMARY);
        assert_eq!(brand.logo_url, None);
        assert_eq!(brand.initials(), "AV");
        assert!(brand.css_variables().contains("--brand-primary:#7c3aed;"));
    }

    #[test]
    fn only_web_and_relative_image_urls_are_kept() {
        assert!(safe_image_url("https://cdn.example.com/logo.png").is_some());
        assert!(safe_image_url("/brand/acme.svg").is_some());
        assert!(safe_image_url("//evil.example.com/x.png").is_none());
        assert!(safe_image_url("data:image/svg+xml,<svg onload=alert(1)>").is_none());
        assert!(safe_image_url("https://x.com/a\" onerror=\"alert(1)").is_none());
    }

    #[test]
    fn roles_order_from_least_to_most_power() {
        assert!(WorkspaceRole::Viewer < WorkspaceRole::Member);
        assert!(WorkspaceRole::Admin < WorkspaceRole::Owner);
        assert!(PartnerRole::Member < PartnerRole::Owner);
        assert_eq!(WorkspaceRole::parse("admin"), Some(WorkspaceRole::Admin));
        assert_eq!(WorkspaceRole::parse("root"), None);
        assert_eq!(PartnerRole::Owner.to_string(), "owner");
    }

    #[test]
    fn slugs_are_derived_from_names() {
        assert_eq!(slugify("Acme Voice, Inc."), "acme-voice-inc");
        assert_eq!(
            Slug::from_name("  --Hello__World--  ").map(String::from),
            Some("hello-world".into())
        );
        assert_eq!(Slug::from_name("¿?"), None);
        assert_eq!(slugify("  --Hello__World--  "), "hello-world");
        assert_eq!(slugify(&"x".repeat(80)).len(), 50);
        let long = Slug::from_name(&"x".repeat(80)).unwrap();
        assert_eq!(long.numbered(12).as_str().len(), Slug::MAX_LEN);
        assert!(long.numbered(12).as_str().ends_with("x-12"));
    }

    #[test]
    fn only_slugs_parse() {
        for good in ["demo", "acme-dental", "a1-b2-c3", &"x".repeat(50)] {
            assert!(Slug::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "-demo",
            "demo-",
            "de--mo",
            "Demo",
            "dé",
            "de mo",
            "de/mo",
            "../x",
            &"x".repeat(51),
        ] {
            assert!(Slug::parse(bad).is_none(), "{bad:?}");
        }
    }
}
