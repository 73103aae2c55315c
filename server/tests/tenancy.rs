//! Host → partner resolution and the tenancy server functions, on a real database.

mod common;

use app::auth::api::MyWorkspaces;
use app::tenancy::api::GetBrand;
use app::tenancy::model::{Branding, PartnerRole, WorkspaceRole};
use app::tenancy::service::{self, HostRules, NewPartner, resolve_partner};
use axum::http::StatusCode;
use common::{ACME_HOST, PLATFORM_HOST, TestApp};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

fn rules(dev: Option<&str>) -> HostRules {
    HostRules {
        platform_domain: "genius365.app".into(),
        dev_partner_slug: dev.map(str::to_owned),
        production: false,
    }
}

/// A white-label partner `beta` with no domain of its own.
async fn beta(app: &TestApp) -> app::db::entity::partner::Model {
    service::create_partner(
        &app.state.db,
        NewPartner {
            name: "Beta Calls",
            slug: "beta",
            branding: Branding::default(),
            is_platform_partner: false,
        },
    )
    .await
    .expect("partner")
}

fn slug(text: &str) -> app::tenancy::model::Slug {
    app::tenancy::model::Slug::parse(text).expect("a slug")
}

async fn slug_for(app: &TestApp, host: &str, dev: Option<&str>) -> Option<String> {
    resolve_partner(&app.state.db, host, &rules(dev))
        .await
        .expect("query runs")
        .map(|p| p.slug)
}

#[tokio::test]
async fn hosts_resolve_by_domain_then_subdomain_then_platform() {
    let app = TestApp::new().await;
    app.platform().await;
    app.org("acme").await;
    let db = &app.state.db;
    let beta = beta(&app).await;
    service::add_domain(db, beta.id, "calls.beta.example", true)
        .await
        .expect("domain");
    service::add_domain(db, beta.id, "ported.example:8443", false)
        .await
        .expect("domain");

    assert_eq!(
        slug_for(&app, "calls.beta.example", None).await.as_deref(),
        Some("beta")
    );
    assert_eq!(
        slug_for(&app, "CALLS.Beta.Example:443", None)
            .await
            .as_deref(),
        Some("beta"),
        "case and port"
    );
    assert_eq!(
        slug_for(&app, "ported.example:8443", None).await.as_deref(),
        Some("beta"),
        "domain with port"
    );
    assert_eq!(
        slug_for(&app, "beta.genius365.app", None).await.as_deref(),
        Some("beta"),
        "slug under platform"
    );
    assert_eq!(
        slug_for(&app, "acme.localhost:3000", None).await.as_deref(),
        Some("acme"),
        "slug under localhost"
    );
    assert_eq!(
        slug_for(&app, "nobody.genius365.app", None)
            .await
            .as_deref(),
        Some("genius365"),
        "unknown slug"
    );
    assert_eq!(
        slug_for(&app, "elsewhere.example", None).await.as_deref(),
        Some("genius365"),
        "unknown host"
    );
    assert_eq!(
        slug_for(&app, "localhost", Some("acme")).await.as_deref(),
        Some("acme"),
        "dev override wins"
    );
}

#[tokio::test]
async fn in_production_an_unknown_host_is_nobodys_and_localhost_means_nothing() {
    let app = TestApp::new().await;
    app.platform().await;
    beta(&app).await;
    let production = HostRules {
        production: true,
        ..rules(None)
    };
    let slug = |host: &'static str| {
        let (db, rules) = (&app.state.db, production.clone());
        async move {
            resolve_partner(db, host, &rules)
                .await
                .expect("query runs")
                .map(|p| p.slug)
        }
    };

    assert_eq!(slug("genius365.app").await.as_deref(), Some("genius365"));
    assert_eq!(
        slug("genius365.app:443").await.as_deref(),
        Some("genius365")
    );
    assert_eq!(slug("beta.genius365.app").await.as_deref(), Some("beta"));
    assert_eq!(slug("nobody.genius365.app").await, None);
    assert_eq!(slug("elsewhere.example").await, None);
    assert_eq!(
        slug("beta.localhost").await,
        None,
        "a slug under localhost is no partner"
    );
    assert_eq!(slug("127.0.0.1").await, None);
}

#[tokio::test]
async fn in_production_an_unknown_host_gets_a_404_page_naming_no_partner() {
    let app = TestApp::with_config(|config| {
        config.environment = app::config::Environment::Production;
        config.platform_domain = "genius365.app".into();
    })
    .await;
    server::seed::seed_demo(&app.state.db, "https://genius365.app", "genius365.app")
        .await
        .expect("demo data seeds");

    let unknown = app.get("elsewhere.example", "/login").await;
    let platform = app.get("genius365.app", "/login").await;

    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("not served here"), "{}", unknown.body);
    assert!(!unknown.body.contains("Genius365"), "{}", unknown.body);
    assert_eq!(platform.status, StatusCode::OK);
}

#[tokio::test]
async fn a_deleted_partner_is_never_resolved() {
    let app = TestApp::new().await;
    app.platform().await;
    let acme = app.org("acme").await.partner;
    let mut gone = acme.into_active_model();
    gone.deleted_at = Set(Some(chrono::Utc::now()));
    gone.update(&app.state.db).await.expect("soft delete");

    assert_eq!(
        slug_for(&app, "acme.localhost", None).await.as_deref(),
        Some("genius365")
    );
}

#[tokio::test]
async fn the_workspace_list_holds_only_the_hosts_partners_workspaces() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let acme = app.org("acme").await;
    let demo = platform.workspace("demo").await;
    let dental = acme.workspace("dental").await;
    let platform_owner = demo.member(WorkspaceRole::Owner).await;
    let acme_owner = acme.person(PartnerRole::Owner).await;
    // The acme owner is an owner on acme and nobody on the platform partner.
    let mut on_platform = platform_owner.client().await;
    let mut on_acme = acme_owner.client().await;
    let mut acme_owner_on_platform = app.signed_in(&platform.host, &acme_owner.email).await;

    let slugs = |list: Vec<app::access::model::WorkspaceAccess>| {
        list.into_iter().map(|w| w.slug).collect::<Vec<_>>()
    };
    let platform_list = on_platform.call(MyWorkspaces {}).await.unwrap();
    let acme_list = on_acme.call(MyWorkspaces {}).await.unwrap();
    let stranger = acme_owner_on_platform.call(MyWorkspaces {}).await.unwrap();

    assert_eq!(slugs(platform_list), vec![demo.slug()]);
    assert_eq!(slugs(acme_list), vec![dental.slug()]);
    assert!(stranger.is_empty());
}

#[tokio::test]
async fn members_see_their_workspaces_and_partner_admins_see_every_one_as_admin() {
    use app::access::service::accessible_workspaces;

    let app = TestApp::new().await;
    let db = &app.state.db;
    let platform = app.platform().await;
    let partner = platform.partner.clone();
    let demo = platform.workspace("demo").await;
    let north = service::create_workspace(db, partner.id, "north", &slug("north"), None)
        .await
        .unwrap();
    let south = service::create_workspace(db, partner.id, "South", &slug("south"), None)
        .await
        .unwrap();
    let gone = service::create_workspace(db, partner.id, "Gone", &slug("gone"), None)
        .await
        .unwrap();
    let mut deleted = gone.clone().into_active_model();
    deleted.deleted_at = Set(Some(chrono::Utc::now()));
    deleted.update(db).await.unwrap();

    // A plain member: a viewer in demo, a member in north, removed from south, and a
    // member of a workspace that has since been deleted.
    let member = demo
        .member_as("plain@genius365.test", WorkspaceRole::Viewer)
        .await
        .user;
    service::add_workspace_member(db, north.id, member.id, WorkspaceRole::Member)
        .await
        .unwrap();
    let left = service::add_workspace_member(db, south.id, member.id, WorkspaceRole::Admin)
        .await
        .unwrap();
    let mut removed = left.into_active_model();
    removed.removed_at = Set(Some(chrono::Utc::now()));
    removed.update(db).await.unwrap();
    service::add_workspace_member(db, gone.id, member.id, WorkspaceRole::Owner)
        .await
        .unwrap();

    // A partner admin who is also a plain viewer of north and the owner of south.
    let admin = app.add_user("org-admin@genius365.test").await;
    service::add_partner_member(db, partner.id, admin.id, PartnerRole::Admin)
        .await
        .unwrap();
    service::add_workspace_member(db, north.id, admin.id, WorkspaceRole::Viewer)
        .await
        .unwrap();
    service::add_workspace_member(db, south.id, admin.id, WorkspaceRole::Owner)
        .await
        .unwrap();

    let seen = |list: Vec<app::access::model::WorkspaceAccess>| {
        list.into_iter()
            .map(|w| (w.slug, w.role, w.partner_admin_access))
            .collect::<Vec<_>>()
    };
    let as_member = accessible_workspaces(db, partner.id, member.id, Some(PartnerRole::Member))
        .await
        .unwrap();
    assert_eq!(
        seen(as_member),
        vec![
            ("demo".to_owned(), WorkspaceRole::Viewer, false),
            ("north".to_owned(), WorkspaceRole::Member, false),
        ]
    );
    let as_admin = accessible_workspaces(db, partner.id, admin.id, Some(PartnerRole::Admin))
        .await
        .unwrap();
    assert_eq!(
        seen(as_admin),
        vec![
            ("demo".to_owned(), WorkspaceRole::Admin, true),
            ("north".to_owned(), WorkspaceRole::Admin, true),
            ("south".to_owned(), WorkspaceRole::Owner, false),
        ]
    );
    // The same people on another partner's host see nothing of this one.
    let acme = app.org("acme").await.partner;
    assert!(
        accessible_workspaces(db, acme.id, member.id, None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn another_partners_workspace_answers_404_with_a_json_error() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    platform.workspace("demo").await;
    app.org("acme").await.workspace("acme-dental").await;
    let owner = platform.person(PartnerRole::Owner).await.client().await;

    // Read as the browser gets it: the wire shape of the error is what is checked.
    let response = owner.get("/api/tenancy/workspace?slug=acme-dental").await;

    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(
        response.json(),
        serde_json::json!({"kind": "not_found", "detail": "Workspace was not found."})
    );
    assert!(!response.body.contains("Acme Dental"));
}

#[tokio::test]
async fn the_brand_endpoint_answers_per_host() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let acme = app.org("acme").await;

    let acme = acme.visitor().call(GetBrand {}).await.unwrap();
    let platform = platform.visitor().call(GetBrand {}).await.unwrap();

    assert_eq!(acme.name, "Acme");
    assert_eq!(acme.primary.as_str(), "#0e7490");
    assert!(!acme.is_platform);
    assert_eq!(platform.name, "Genius365");
    assert!(platform.is_platform);
}

#[tokio::test]
async fn a_server_function_call_without_its_arguments_is_a_clear_400_not_a_500() {
    let app = TestApp::new().await;
    let owner = app
        .platform()
        .await
        .person(PartnerRole::Owner)
        .await
        .client()
        .await;

    let response = owner.get("/api/tenancy/workspace").await;

    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let body = response.json();
    assert_eq!(body["kind"], "bad_request");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .starts_with("The request was not understood")
    );
}

#[tokio::test]
async fn a_new_domain_takes_effect_once_the_partner_cache_is_invalidated() {
    let app = TestApp::new().await;
    app.platform().await;
    let acme = app.org("acme").await.partner;
    let mut browser = app.client("calls.acme.example");
    let before = browser.call(GetBrand {}).await.unwrap();

    service::add_domain(&app.state.db, acme.id, "calls.acme.example", false)
        .await
        .expect("domain");
    let cached = browser.call(GetBrand {}).await.unwrap();
    app.state.partners.invalidate();
    let fresh = browser.call(GetBrand {}).await.unwrap();

    assert_eq!(
        before.name, "Genius365",
        "unknown hosts fall back to the platform"
    );
    assert_eq!(
        cached.name, "Genius365",
        "within the TTL the cached answer stands"
    );
    assert_eq!(fresh.name, "Acme");
}

#[tokio::test]
async fn white_label_hosts_serve_auth_app_and_org_paths_but_not_the_platform() {
    let app = TestApp::new().await;
    app.platform().await;
    app.org("acme").await.workspace("dental").await;

    let root = app.get(ACME_HOST, "/").await;
    assert_eq!(root.status, StatusCode::SEE_OTHER);
    assert_eq!(root.header("location"), "/login");
    for path in [
        "/login",
        "/forgot-password",
        "/signup",
        "/accept-invitation?token=x",
    ] {
        let page = app.get(ACME_HOST, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let title = page
            .body
            .split("<title>")
            .nth(1)
            .and_then(|rest| rest.split("</title>").next())
            .unwrap_or_default();
        assert!(title.ends_with("Acme"), "{path} is branded: {title}");
        assert!(
            !page.body.contains("Genius365"),
            "{path} never names the platform"
        );
    }
    for path in [
        "/design-system",
        "/super-admin/login",
        "/super-admin/outbox",
        "/super-admin/jobs",
        "/pricing",
    ] {
        let page = app.get(ACME_HOST, path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path}");
    }
    assert_eq!(
        app.get(ACME_HOST, "/favicon.svg").await.status,
        StatusCode::OK
    );
    let api = app.get(ACME_HOST, "/api/super-admin/outbox?page=0").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["kind"], "not_found");
}

#[tokio::test]
async fn the_platform_host_serves_marketing_and_super_admin_pages() {
    let app = TestApp::new().await;
    app.platform().await;

    for path in [
        "/",
        "/design-system",
        "/super-admin/login",
        "/login",
        "/signup",
    ] {
        let page = app.get(PLATFORM_HOST, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_with_their_destination() {
    let app = TestApp::new().await;
    app.org("acme").await.workspace("acme-dental").await;

    let request = axum::http::Request::get("/w/acme-dental/members")
        .header("host", ACME_HOST)
        .header("accept", "text/html")
        .body(axum::body::Body::empty())
        .expect("request");

    let page = app.request(request).await;

    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(
        page.header("location"),
        "/login?redirect=/w/acme-dental/members"
    );
}

#[tokio::test]
async fn a_stored_partner_state_no_variant_has_is_an_error_not_active() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    app.platform().await;
    let acme = app.org("acme").await;
    assert_eq!(acme.visitor().call(GetBrand {}).await.unwrap().name, "Acme");
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE partners SET status = 'suspended' WHERE slug = 'acme'")
        .await
        .unwrap();
    app.state.partners.invalidate();

    // The host's partner cannot be read: every request there is refused before it acts.
    let refused = acme.visitor().send(GetBrand {}).await;

    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        !refused.body.contains("suspended"),
        "the cause stays in the log"
    );
}

#[tokio::test]
async fn a_new_workspace_slug_skips_the_partners_taken_ones_only() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    for taken in ["demo", "demo-2", "workspace"] {
        acme.workspace(taken).await;
    }
    app.org("globex").await.workspace("demo-3").await;
    let unique = |name: &'static str| {
        let (db, partner) = (&app.state.db, acme.partner.id);
        async move {
            service::unique_workspace_slug(db, partner, name)
                .await
                .unwrap()
                .to_string()
        }
    };

    assert_eq!(
        unique("Demo").await,
        "demo-3",
        "another partner's slug is free here"
    );
    assert_eq!(unique("¿?").await, "workspace-2");
    assert_eq!(unique("Fresh Start").await, "fresh-start");
}
