//! Tenancy DTOs and validated values, shared by the browser and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::names::stored_enum;

/// The colour used when a partner has none, or an unusable one.
pub const DEFAULT_PRIMARY: &str = "#7c3aed";
pub const DEFAULT_SECONDARY: &str = "#64748b";

/// A partner's branding as stored (`partners.branding`); every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Branding {
    pub company_name: Option<String>,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub primary_color: Option<String>,
    /// The accent colour.
    pub secondary_color: Option<String>,
    /// The name emails come from (else the display name).
    pub sender_name: Option<String>,
    /// Where clients ask for help: shown in emails and on the sign-in page.
    pub support_email: Option<String>,
    pub support_url: Option<String>,
}

/// A `#rrggbb` colour. Anything else is refused, which also keeps branding from injecting
/// CSS into the page's `<style>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HexColor(String);

impl HexColor {
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.trim().strip_prefix('#')?;
        let full = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
            6 => hex.to_owned(),
            _ => return None,
        };
        full.chars()
            .all(|c| c.is_ascii_hexdigit())
            .then(|| Self(format!("#{}", full.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn channels(&self) -> [f64; 3] {
        let byte = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        [byte(1), byte(3), byte(5)]
    }

    /// WCAG contrast ratio between two colours, 1 to 21.
    pub fn contrast(&self, other: &Self) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(&self) -> f64 {
        let linear = |c: f64| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.channels();
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn readable_text(&self) -> &'static str {
        // Contrast against white vs black; pick the larger.
        let l = self.luminance();
        if (1.05) / (l + 0.05) >= (l + 0.05) / 0.05 {
            "#ffffff"
        } else {
            "#0b0b0f"
        }
    }

    /// Text in this colour on a surface of luminance `surface`, adjusted until it reads at
    /// 4.5:1 (WCAG AA): darkened on light surfaces, mixed toward white on dark ones. A
    /// partner picks its colour for buttons; its links and labels must still be readable.
    pub fn ink_on(&self, surface: f64) -> Self {
        let contrast = |c: &Self| {
            let (a, b) = (c.luminance(), surface);
            (a.max(b) + 0.05) / (a.min(b) + 0.05)
        };
        let light_surface = surface > 0.18;
        let mut ink = self.clone();
        for _ in 0..40 {
            if contrast(&ink) >= 4.5 {
                break;
            }
            ink = if light_surface {
                ink.darken(5)
            } else {
                let [r, g, b] = ink
                    .channels()
                    .map(|c| ((c + (1.0 - c) * 0.1) * 255.0).round() as u8);
                Self(format!("#{r:02x}{g:02x}{b:02x}"))
            };
        }
        ink
    }

    /// The colour darkened by `percent` (0–100), for hover states.
    pub fn darken(&self, percent: u8) -> Self {
        let factor = 1.0 - f64::from(percent.min(100)) / 100.0;
        let [r, g, b] = self.channels().map(|c| (c * factor * 255.0).round() as u8);
        Self(format!("#{r:02x}{g:02x}{b:02x}"))
    }
}

/// A bare host name (`voice.example.com`), lower-cased, without a trailing dot; a
/// `:port` is kept when `port` allows one (local installs). `None` when it is not one.
pub fn parse_hostname(text: &str, port: bool) -> Option<String> {
    let domain = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = match domain.rsplit_once(':') {
        Some((host, p)) if port && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return None,
        None => domain.as_str(),
    };
    let valid = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    valid.then_some(domain)
}

/// Only http(s) and site-relative URLs may be used as images; anything else is dropped.
pub fn safe_image_url(url: &str) -> Option<String> {
    let url = url.trim();
    let ok = url.starts_with("https://")
        || url.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//"));
    (ok && !url.contains(['"', '\'', '<', '>', '\\', ' '])).then(|| url.to_owned())
}

/// What every page needs to present itself as the partner the host resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerBrand {
    pub partner_id: Uuid,
    pub slug: String,
    /// The display name: branding's company name, else the partner's name.
    pub name: String,
    pub is_platform: bool,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub primary: HexColor,
    pub secondary: HexColor,
    /// The name emails come from.
    pub sender_name: String,
    pub support_email: Option<String>,
    /// An http(s) address.
    pub support_url: Option<String>,
}

impl PartnerBrand {
    pub fn new(
        partner_id: Uuid,
        slug: &str,
        partner_name: &str,
        is_platform: bool,
        branding: &Branding,
    ) -> Self {
        let color = |value: &Option<String>, fallback: &str| {
            value
                .as_deref()
                .and_then(HexColor::parse)
                .or_else(|| HexColor::parse(fallback))
                .unwrap_or(HexColor(fallback.to_owned()))
        };
        let name = branding
            .company_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(partner_name)
            .to_owned();
        let sender_name = branding
            .sender_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| name.clone(), str::to_owned);
        let support_url = branding
            .support_url
            .as_deref()
            .and_then(safe_image_url)
            .filter(|u| u.starts_with("http"));
        Self {
            partner_id,
            slug: slug.to_owned(),
            sender_name,
            support_email: branding.support_email.clone().filter(|e| e.contains('@')),
            support_url,
            name,
            is_platform,
            logo_url: branding.logo_url.as_deref().and_then(safe_image_url),
            favicon_url: branding.favicon_url.as_deref().and_then(safe_image_url),
            primary: color(&branding.primary_color, DEFAULT_PRIMARY),
            secondary: color(&branding.secondary_color, DEFAULT_SECONDARY),
        }
    }

    /// The CSS custom properties that carry the brand into the design tokens.
    pub fn css_variables(&self) -> String {
        format!(
            ":root{{--brand-primary:{p};--brand-primary-hover:{h};--brand-primary-fg:{f};--brand-secondary:{s};--brand-ink:light-dark({light},{dark});}}",
            p = self.primary.as_str(),
            // Tinted light surfaces reach a luminance of about 0.85; dark ones stay under 0.02.
            light = self.primary.ink_on(0.85).as_str(),
            dark = self.primary.ink_on(0.02).as_str(),
            h = self.primary.darken(10).as_str(),
            f = self.primary.readable_text(),
            s = self.secondary.as_str(),
        )
    }

    /// The first letters of the name, for a logo placeholder.
    pub fn initials(&self) -> String {
        self.name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .collect::<String>()
            .to_uppercase()
    }
}

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
            HexColor::parse("#7C3AED").map(|c| c.0),
            Some("#7c3aed".into())
        );
        assert_eq!(HexColor::parse("#abc").map(|c| c.0), Some("#aabbcc".into()));
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
