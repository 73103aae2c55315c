//! `seed-demo`: the platform partner, the white-label partners "Acme Voice" and
//! "Northwind Calls", one workspace each, and demo users; then (`activity`) agents,
//! knowledge and calls in the platform's and Acme's workspaces (Northwind's starts empty,
//! as a new agency's does).
//! Running it again changes nothing that already exists.

pub mod activity;

use app::auth::model::Email;
use app::auth::service::{NewUser, create_user, find_by_email, grant_super_admin};
use app::db::entity::{partner, partner_member, user, workspace, workspace_member};
use app::error::AppError;
use app::tenancy::model::{Branding, PartnerRole, Slug, WorkspaceRole};
use app::tenancy::service::{self, NewPartner};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};

/// One password for every demo account: local data only (the seed refuses production).
pub const DEMO_PASSWORD: &str = "Demo-Password-2026!";

/// A demo account, for printing after the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: &'static str,
    pub role: &'static str,
    pub url: String,
}

struct DemoPartner {
    name: &'static str,
    slug: &'static str,
    platform: bool,
    branding: Branding,
    workspace: (&'static str, &'static str, &'static str),
    owner: &'static str,
    viewer: &'static str,
    /// Agents, knowledge and a month of calls are seeded in its workspace.
    activity: bool,
}

fn demo_partners(platform_host: &str) -> Vec<(DemoPartner, String)> {
    vec![
        (
            DemoPartner {
                name: "Genius365",
                slug: "genius365",
                platform: true,
                branding: Branding {
                    company_name: Some("Genius365".into()),
                    primary_color: Some("#7c3aed".into()),
                    secondary_color: Some("#64748b".into()),
                    ..Branding::default()
                },
                workspace: (
                    "Demo Workspace",
                    "demo",
                    "A workspace to try agents, calls and campaigns.",
                ),
                owner: "owner@genius365.test",
                viewer: "viewer@genius365.test",
                activity: true,
            },
            platform_host.to_owned(),
        ),
        (
            DemoPartner {
                name: "Acme Voice",
                slug: "acme",
                platform: false,
                branding: Branding {
                    company_name: Some("Acme Voice".into()),
                    primary_color: Some("#e11d48".into()),
                    secondary_color: Some("#0f766e".into()),
                    ..Branding::default()
                },
                workspace: (
                    "Acme Dental",
                    "acme-dental",
                    "Front desk and reminder calls for a dental practice.",
                ),
                owner: "owner@acme.test",
                viewer: "viewer@acme.test",
                activity: true,
            },
            "acme.localhost".to_owned(),
        ),
        (
            DemoPartner {
                name: "Northwind Calls",
                slug: "northwind",
                platform: false,
                branding: Branding {
                    company_name: Some("Northwind Calls".into()),
                    primary_color: Some("#0369a1".into()),
                    secondary_color: Some("#a16207".into()),
                    ..Branding::default()
                },
                workspace: (
                    "Northwind Front Desk",
                    "northwind-desk",
                    "A new agency's first workspace.",
                ),
                owner: "owner@northwind.test",
                viewer: "viewer@northwind.test",
                activity: false,
            },
            "northwind.localhost".to_owned(),
        ),
    ]
}

/// Whether the database holds no partner at all.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(partner::Entity::find().count(db).await? == 0)
}

/// Creates whatever of the demo data is missing and returns the demo logins.
/// `app_url` gives the scheme and port printed in the login URLs.
pub async fn seed_demo(
    db: &DatabaseConnection,
    app_url: &str,
    platform_domain: &str,
) -> Result<Vec<DemoLogin>, AppError> {
    let port = app_url
        .rsplit_once(':')
        .map(|(_, p)| p)
        .filter(|p| p.chars().all(|c| c.is_ascii_digit()));
    let scheme = if app_url.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    let url_for = |host: &str| match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    let platform_host = app::tenancy::service::strip_port(platform_domain).to_owned();

    let txn = app::db::begin_write(db).await?;
    let mut logins = Vec::new();
    for (demo, host) in demo_partners(&platform_host) {
        let partner = ensure_partner(&txn, &demo, &host).await?;
        let ws = ensure_workspace(&txn, partner.id, demo.workspace).await?;
        let owner = ensure_user(&txn, demo.owner, "Demo", "Owner").await?;
        let viewer = ensure_user(&txn, demo.viewer, "Demo", "Viewer").await?;
        ensure_partner_member(&txn, partner.id, owner.id, PartnerRole::Owner).await?;
        ensure_workspace_member(&txn, ws.id, owner.id, WorkspaceRole::Owner).await?;
        ensure_workspace_member(&txn, ws.id, viewer.id, WorkspaceRole::Viewer).await?;
        let url = url_for(&host);
        logins.push(DemoLogin {
            email: demo.owner,
            role: "partner owner, workspace owner",
            url: url.clone(),
        });
        logins.push(DemoLogin {
            email: demo.viewer,
            role: "workspace viewer",
            url,
        });
    }
    let admin = ensure_user(&txn, "admin@genius365.test", "Platform", "Admin").await?;
    grant_super_admin(&txn, admin.id).await?;
    logins.push(DemoLogin {
        email: "admin@genius365.test",
        role: "super admin",
        url: url_for(&platform_host),
    });
    txn.commit().await?;
    Ok(logins)
}

async fn ensure_partner<C: ConnectionTrait>(
    db: &C,
    demo: &DemoPartner,
    host: &str,
) -> Result<partner::Model, AppError> {
    if let Some(found) = service::partner_by_slug(db, demo.slug).await? {
        return Ok(found);
    }
    let created = service::create_partner(
        db,
        NewPartner {
            name: demo.name,
            slug: demo.slug,
            branding: demo.branding.clone(),
            is_platform_partner: demo.platform,
        },
    )
    .await?;
    service::add_domain(db, created.id, host, true).await?;
    Ok(created)
}

async fn ensure_workspace<C: ConnectionTrait>(
    db: &C,
    partner_id: uuid::Uuid,
    (name, slug, description): (&str, &str, &str),
) -> Result<workspace::Model, AppError> {
    let found = workspace::Entity::find()
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::Slug.eq(slug))
        .one(db)
        .await?;
    match found {
        Some(w) => Ok(w),
        None => {
            let slug = Slug::parse(slug)
                .ok_or_else(|| AppError::internal(format!("{slug:?} is not a slug")))?;
            Ok(service::create_workspace(db, partner_id, name, &slug, Some(description)).await?)
        }
    }
}

async fn ensure_user<C: ConnectionTrait>(
    db: &C,
    email: &str,
    first: &str,
    last: &str,
) -> Result<user::Model, AppError> {
    let parsed = Email::parse(email).map_err(|m| AppError::invalid("email", m))?;
    if let Some(found) = find_by_email(db, &parsed).await? {
        return Ok(found);
    }
    create_user(
        db,
        NewUser {
            email,
            password: DEMO_PASSWORD,
            first_name: Some(first),
            last_name: Some(last),
        },
    )
    .await
}

async fn ensure_partner_member<C: ConnectionTrait>(
    db: &C,
    partner_id: uuid::Uuid,
    user_id: uuid::Uuid,
    role: PartnerRole,
) -> Result<(), AppError> {
    let exists = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .filter(partner_member::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0;
    if !exists {
        service::add_partner_member(db, partner_id, user_id, role).await?;
    }
    Ok(())
}

async fn ensure_workspace_member<C: ConnectionTrait>(
    db: &C,
    workspace_id: uuid::Uuid,
    user_id: uuid::Uuid,
    role: WorkspaceRole,
) -> Result<(), AppError> {
    let exists = workspace_member::Entity::find()
        .filter(workspace_member::Column::WorkspaceId.eq(workspace_id))
        .filter(workspace_member::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0;
    if !exists {
        service::add_workspace_member(db, workspace_id, user_id, role).await?;
    }
    Ok(())
}

/// Agents, knowledge and a month of calls in every demo workspace that has no agents yet.
/// Returns the number of calls added.
pub async fn seed_activity(state: &app::state::AppState) -> Result<u32, AppError> {
    let mut calls = 0;
    for (demo, _) in demo_partners("localhost")
        .into_iter()
        .filter(|(d, _)| d.activity)
    {
        calls += activity::seed(state, demo.slug, demo.workspace.1, demo.owner).await?;
    }
    Ok(calls)
}

/// The credentials table printed after seeding.
pub fn format_logins(logins: &[DemoLogin]) -> String {
    let mut out = String::from("Demo accounts (password for all: ");
    out.push_str(DEMO_PASSWORD);
    out.push_str(")\n");
    for login in logins {
        out.push_str(&format!(
            "  {:<24} {:<32} {}\n",
            login.email, login.role, login.url
        ));
    }
    out
}
