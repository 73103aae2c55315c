//! `server init`: what a production install needs before anyone can sign in: the platform
//! partner, its primary domain and the first super admin, who is emailed a link to choose
//! a password. Running it again creates only what is missing and changes nothing else.

use anyhow::{Context, bail};
use app::auth::model::Email;
use app::auth::service::{NewUser, create_user, find_by_email, grant_super_admin};
use app::auth::{link, reset, token};
use app::db::entity::{partner, partner_domain, partner_member};
use app::email::model::EmailKind;
use app::email::{outbox, template};
use app::state::AppState;
use app::tenancy::model::{Branding, PartnerRole, Slug};
use app::tenancy::service::{self as tenancy, NewPartner};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// How long the first super admin's set-password link works.
pub const SETUP_LINK_HOURS: i64 = 72;

/// What the platform starts as.
#[derive(Debug, Clone)]
pub struct Init {
    pub platform_name: String,
    /// The platform's own host (`PLATFORM_DOMAIN`).
    pub domain: String,
    pub admin_email: String,
}

/// What a run did, for the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub partner_created: bool,
    /// The existing platform's name when it differs from the one asked for (kept).
    pub partner_kept_name: Option<String>,
    pub domain_added: bool,
    pub admin_created: bool,
    /// The set-password email was queued for the new super admin.
    pub email_queued: bool,
    /// No email delivery is configured: the link is printed for the operator instead.
    pub link_to_print: Option<String>,
}

impl Report {
    pub fn lines(&self, init: &Init) -> Vec<String> {
        let mut lines = Vec::new();
        lines.push(match (&self.partner_kept_name, self.partner_created) {
            (_, true) => format!("Created the platform \"{}\".", init.platform_name),
            (Some(name), false) => {
                format!("The platform exists as \"{name}\"; its name was left as it is.")
            }
            (None, false) => format!("The platform \"{}\" exists.", init.platform_name),
        });
        lines.push(if self.domain_added {
            format!("{} serves it.", init.domain)
        } else {
            format!("{} already serves it.", init.domain)
        });
        lines.push(if self.admin_created {
            format!("Created the super admin {}.", init.admin_email)
        } else {
            format!(
                "{} is a super admin (the account existed; its password is unchanged).",
                init.admin_email
            )
        });
        if self.email_queued {
            lines.push(format!(
                "A link to choose a password is emailed to {} (it works for {SETUP_LINK_HOURS} hours).",
                init.admin_email
            ));
        }
        if let Some(link) = &self.link_to_print {
            lines.push(format!(
                "No email delivery is configured (RESEND_API_KEY), so here is the link to choose \
                 the password, for {} only ({SETUP_LINK_HOURS} hours, once):\n  {link}",
                init.admin_email
            ));
        }
        lines
    }
}

/// Creates whatever of the platform is missing.
pub async fn init(state: &AppState, init: &Init) -> anyhow::Result<Report> {
    let name = init.platform_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        bail!("--platform-name: give the platform's name, 1 to 100 characters");
    }
    let domain = parse_domain(&init.domain)?;
    if tenancy::strip_port(&domain) != tenancy::strip_port(&state.config.platform_domain) {
        bail!(
            "--domain {domain} differs from PLATFORM_DOMAIN={}: set PLATFORM_DOMAIN={domain} \
             too, so that partners' addresses ({{slug}}.{domain}) resolve",
            state.config.platform_domain
        );
    }
    let email =
        Email::parse(&init.admin_email).map_err(|m| anyhow::anyhow!("--admin-email: {m}"))?;

    let mut report = Report::default();
    let txn = app::db::begin_write(&state.db).await?;
    let platform = match tenancy::platform_partner(&txn).await? {
        Some(found) => {
            if found.name != name {
                report.partner_kept_name = Some(found.name.clone());
            }
            found
        }
        None => {
            report.partner_created = true;
            let slug = free_slug(&txn, name).await?;
            tenancy::create_partner(
                &txn,
                NewPartner {
                    name,
                    slug: slug.as_str(),
                    branding: Branding {
                        company_name: Some(name.to_owned()),
                        ..Branding::default()
                    },
                    is_platform_partner: true,
                },
            )
            .await?
        }
    };

    match partner_domain::Entity::find()
        .filter(partner_domain::Column::Hostname.eq(&domain))
        .one(&txn)
        .await?
    {
        Some(found) if found.partner_id == platform.id => {}
        Some(_) => bail!("--domain {domain} belongs to another partner already"),
        None => {
            let has_primary = partner_domain::Entity::find()
                .filter(partner_domain::Column::PartnerId.eq(platform.id))
                .filter(partner_domain::Column::IsPrimary.eq(true))
                .count(&txn)
                .await?
                > 0;
            tenancy::add_domain(&txn, platform.id, &domain, !has_primary).await?;
            report.domain_added = true;
        }
    }

    let admin = match find_by_email(&txn, &email).await? {
        Some(found) => found,
        None => {
            report.admin_created = true;
            // Nobody knows this password: the emailed link sets the real one.
            let unknown = format!("Aa1!{}", token::generate());
            create_user(
                &txn,
                NewUser {
                    email: email.as_str(),
                    password: &unknown,
                    first_name: None,
                    last_name: None,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("--admin-email: {e}"))?
        }
    };
    grant_super_admin(&txn, admin.id).await?;
    match partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(platform.id))
        .filter(partner_member::Column::UserId.eq(admin.id))
        .one(&txn)
        .await?
    {
        None => {
            tenancy::add_partner_member(&txn, platform.id, admin.id, PartnerRole::Owner).await?;
        }
        // Removed from the team once: back, as its owner.
        Some(m) if m.removed_at.is_some() || m.role != PartnerRole::Owner => {
            use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
            let mut back = m.into_active_model();
            back.removed_at = Set(None);
            back.removed_by = Set(None);
            back.role = Set(PartnerRole::Owner);
            back.updated_at = Set(chrono::Utc::now());
            back.update(&txn).await?;
        }
        Some(_) => {}
    }

    if report.admin_created {
        let link = setup_link(state, &txn, &platform, admin.id).await?;
        let brand = tenancy::brand(&platform);
        outbox::queue(
            &txn,
            &state.config.email,
            Some(platform.id),
            &brand.sender_name,
            EmailKind::AccountSetup,
            &admin.email,
            template::account_setup(
                &brand,
                "the platform's super admin",
                &link,
                SETUP_LINK_HOURS,
            ),
        )
        .await?;
        if state.config.email.resend.is_some() {
            report.email_queued = true;
        } else {
            report.link_to_print = Some(link);
        }
    }
    txn.commit().await?;
    state.partners.invalidate();
    Ok(report)
}

/// On `serve`: a database without a platform is set up from `PLATFORM_NAME` and
/// `ADMIN_EMAIL` when they are given; in production, without them, startup stops and says
/// what to run. Locally the demo seed is the usual start, so nothing is required.
pub async fn on_start(state: &AppState) -> anyhow::Result<()> {
    if tenancy::platform_partner(&state.db).await?.is_some() {
        return Ok(());
    }
    match &state.config.bootstrap {
        Some(bootstrap) => {
            let init = Init {
                platform_name: bootstrap.platform_name.clone(),
                domain: state.config.platform_domain.clone(),
                admin_email: bootstrap.admin_email.clone(),
            };
            let report = self::init(state, &init)
                .await
                .context("setting up the platform from PLATFORM_NAME and ADMIN_EMAIL")?;
            for line in report.lines(&init) {
                tracing::info!("{line}");
            }
            Ok(())
        }
        None if state.config.environment == app::config::Environment::Production => bail!(
            "{}",
            missing_platform_message(&state.config.platform_domain)
        ),
        None => Ok(()),
    }
}

/// What a production start without a platform says.
pub fn missing_platform_message(platform_domain: &str) -> String {
    format!(
        "This database has no platform yet. Set it up once with\n  \
         server init --platform-name \"Your Platform\" --domain {platform_domain} --admin-email you@example.com\n\
         or start with PLATFORM_NAME and ADMIN_EMAIL set to do the same."
    )
}

async fn setup_link(
    state: &AppState,
    db: &impl sea_orm::ConnectionTrait,
    platform: &partner::Model,
    user_id: uuid::Uuid,
) -> anyhow::Result<String> {
    let raw = link::issue(
        db,
        reset::PURPOSE,
        user_id,
        platform.id,
        chrono::Duration::hours(SETUP_LINK_HOURS),
        chrono::Utc::now(),
    )
    .await?;
    let origin = tenancy::partner_origin(
        db,
        platform,
        &state.config.app_url,
        &state.config.platform_domain,
    )
    .await?;
    Ok(format!("{origin}/reset-password?token={raw}"))
}

/// The platform's slug: its name's, numbered when taken (an agency may hold it already).
async fn free_slug(db: &impl sea_orm::ConnectionTrait, name: &str) -> anyhow::Result<Slug> {
    let base = Slug::from_name(name)
        .or_else(|| Slug::parse("platform"))
        .context("a slug for the platform")?;
    for n in 1..100 {
        let slug = if n == 1 {
            base.clone()
        } else {
            base.numbered(n)
        };
        if tenancy::partner_by_slug(db, slug.as_str()).await?.is_none() {
            return Ok(slug);
        }
    }
    bail!("no free slug for {name:?}")
}

/// A bare host name (a port allowed, for local installs), lower-cased.
fn parse_domain(text: &str) -> anyhow::Result<String> {
    app::tenancy::model::parse_hostname(text, true).ok_or_else(|| {
        anyhow::anyhow!(
            "--domain: give a bare host name such as voice.example.com (no scheme or path)"
        )
    })
}
