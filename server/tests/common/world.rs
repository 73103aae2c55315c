//! The world a test needs, built on an empty database instead of borrowed from the demo
//! seed: organisations on hosts of their own, workspaces in them, people with roles.
//!
//! ```ignore
//! let app = TestApp::new().await;
//! let acme = app.org("acme").await;
//! let dental = acme.workspace("dental").await;
//! let mut viewer = dental.member(WorkspaceRole::Viewer).await.client().await;
//! ```
//!
//! Every person has the demo password; emails are made from the role and the place
//! (`viewer@dental.acme.test`) unless given, and names from the email ("Viewer").

use app::db::entity::{partner, user, workspace};
use app::tenancy::model::{Branding, PartnerRole, WorkspaceRole};
use app::tenancy::service::{
    NewPartner, add_domain, add_partner_member, add_workspace_member, create_partner,
    create_workspace,
};

use super::{Client, TestApp};

/// An organisation (a partner) served at `{slug}.localhost:3000`.
#[derive(Clone)]
pub struct Org<'a> {
    pub app: &'a TestApp,
    pub partner: partner::Model,
    /// The host its pages and server functions answer on.
    pub host: String,
}

/// A workspace of an organisation.
#[derive(Clone)]
pub struct Workspace<'a> {
    pub org: Org<'a>,
    pub workspace: workspace::Model,
}

/// Someone with an account, who signs in on their organisation's host.
#[derive(Clone)]
pub struct Person<'a> {
    pub app: &'a TestApp,
    pub user: user::Model,
    pub email: String,
    pub host: String,
}

impl TestApp {
    /// A new organisation `slug` ("Acme" for `acme`), with its own host and colours.
    pub async fn org(&self, slug: &str) -> Org<'_> {
        self.new_org(slug, false).await
    }

    /// The platform's own organisation, "Genius365" (billing-exempt, served on
    /// `localhost:3000` and on any host no other organisation claims).
    pub async fn platform(&self) -> Org<'_> {
        self.new_org("genius365", true).await
    }

    async fn new_org(&self, slug: &str, platform: bool) -> Org<'_> {
        let name = title(slug);
        let partner = create_partner(
            &self.state.db,
            NewPartner {
                name: &name,
                slug,
                branding: Branding {
                    company_name: Some(name.clone()),
                    primary_color: Some("#0e7490".into()),
                    ..Branding::default()
                },
                is_platform_partner: platform,
            },
        )
        .await
        .unwrap();
        let hostname = if platform {
            "localhost".to_owned()
        } else {
            format!("{slug}.localhost")
        };
        add_domain(&self.state.db, partner.id, &hostname, true)
            .await
            .unwrap();
        Org {
            app: self,
            partner,
            host: format!("{hostname}:3000"),
        }
    }
}

impl<'a> Org<'a> {
    /// A new workspace `slug` ("Dental" for `dental`).
    pub async fn workspace(&self, slug: &str) -> Workspace<'a> {
        self.workspace_named(slug, &title(slug)).await
    }

    /// A new workspace `slug` called `name`.
    pub async fn workspace_named(&self, slug: &str, name: &str) -> Workspace<'a> {
        let slug = app::tenancy::model::Slug::parse(slug).expect("a slug");
        let workspace = create_workspace(&self.app.state.db, self.partner.id, name, &slug, None)
            .await
            .unwrap();
        Workspace {
            org: self.clone(),
            workspace,
        }
    }

    /// A new member of the organisation's team with `role`: `{role}@{org}.test`.
    pub async fn person(&self, role: PartnerRole) -> Person<'a> {
        let email = format!("{}@{}.test", role.as_str(), self.partner.slug);
        self.person_as(&email, role).await
    }

    /// A new member of the organisation's team, `email`, with `role`.
    pub async fn person_as(&self, email: &str, role: PartnerRole) -> Person<'a> {
        let user = account(self.app, email).await;
        add_partner_member(&self.app.state.db, self.partner.id, user.id, role)
            .await
            .unwrap();
        self.someone(user)
    }

    /// Someone with an account and no place here (yet).
    pub async fn outsider(&self, email: &str) -> Person<'a> {
        let user = account(self.app, email).await;
        self.someone(user)
    }

    /// A platform administrator, `admin@{org}.test`, with no place in any organisation
    /// (meant for `app.platform()`).
    pub async fn super_admin(&self) -> Person<'a> {
        let person = self
            .outsider(&format!("admin@{}.test", self.partner.slug))
            .await;
        app::auth::service::grant_super_admin(&self.app.state.db, person.user.id)
            .await
            .unwrap();
        person
    }

    fn someone(&self, user: user::Model) -> Person<'a> {
        Person {
            app: self.app,
            email: user.email.clone(),
            user,
            host: self.host.clone(),
        }
    }

    /// A browser on this organisation's host, signed out.
    pub fn visitor(&self) -> Client<'a> {
        self.app.client(&self.host)
    }
}

impl<'a> Workspace<'a> {
    pub fn slug(&self) -> String {
        self.workspace.slug.clone()
    }

    pub fn id(&self) -> uuid::Uuid {
        self.workspace.id
    }

    /// A new member with `role`: `{role}@{workspace}.{org}.test`, a plain member of the
    /// organisation's team.
    pub async fn member(&self, role: WorkspaceRole) -> Person<'a> {
        let email = format!(
            "{}@{}.{}.test",
            role.as_str(),
            self.workspace.slug,
            self.org.partner.slug
        );
        self.member_as(&email, role).await
    }

    /// A new member `email` with `role`, a plain member of the organisation's team.
    pub async fn member_as(&self, email: &str, role: WorkspaceRole) -> Person<'a> {
        let person = self.org.person_as(email, PartnerRole::Member).await;
        add_workspace_member(&self.org.app.state.db, self.id(), person.user.id, role)
            .await
            .unwrap();
        person
    }
}

impl<'a> Person<'a> {
    /// A browser signed in as this person on their organisation's host.
    pub async fn client(&self) -> Client<'a> {
        self.app.signed_in(&self.host, &self.email).await
    }

    /// A browser signed in through the platform console's sign-in (super admins).
    pub async fn console(&self) -> Client<'a> {
        let mut client = self.app.client(&self.host);
        let outcome = client
            .call(app::auth::api::Login {
                email: self.email.clone(),
                password: server::seed::DEMO_PASSWORD.into(),
                redirect: None,
                console: Some(true),
            })
            .await;
        assert!(
            outcome.is_ok(),
            "{} signs in to the console: {outcome:?}",
            self.email
        );
        client
    }
}

/// An account for `email` with the demo password, named after the address's first part
/// ("Owner" for `owner@acme.test`).
async fn account(app: &TestApp, email: &str) -> user::Model {
    let name = title(email.split('@').next().unwrap_or_default());
    app::auth::service::create_user(
        &app.state.db,
        app::auth::service::NewUser {
            email,
            password: server::seed::DEMO_PASSWORD,
            first_name: Some(&name),
            last_name: None,
        },
    )
    .await
    .unwrap()
}

/// "Acme Dental" for `acme-dental`.
fn title(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
