//! A partner's brand: colours (checked, and adjusted so text reads), the stored branding,
//! and what every page needs to present itself as the partner; host names and image
//! addresses a brand may use.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
