//! Host → partner resolution and the tenancy server functions, on a real database.

mod common;

use app::tenancy::model::Branding;
use app::tenancy::service::{self, HostRules, NewPartner, resolve_partner};
use axum::http::StatusCode;
use common::{ACME_HOST, PLATFORM_HOST, TestApp};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

fn rules(dev: Option<&str>) -> HostRules {
    HostRules {
        platform_domain: "genius365.app".into(),
        dev_partner_slug: dev.map(str::to_owned),
    }
}

async fn slug_for(app: &TestApp, host: &str, dev: Option<&str>) -> Option<String> {
    resolve_partner(&app.state.db, host, &rules(dev))
        .await
        .expect("query runs")
        .map(|p| p.slug)
}

#[tokio::test]
async fn hosts_resolve_by_domain_then_subdomain_then_platform() {
    let app = TestApp::seeded().await;
    let db = &app.state.db;
    let beta = service::create_partner(
        db,
        NewPartner {
            name: "Beta Calls",
            slug: "beta",
            branding: Branding::default(),
            is_platform_partner: false,
        },
    )
    .await
    .expect("partner");
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
async fn a_deleted_partner_is_never_resolved() {
    let app = TestApp::seeded().await;
    let acme = service::partner_by_slug(&app.state.db, "acme")
        .await
        .expect("query")
        .expect("acme exists");
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
    let app = TestApp::seeded().await;

    let platform = app.get(PLATFORM_HOST, "/api/tenancy/workspaces").await;
    let acme = app.get(ACME_HOST, "/api/tenancy/workspaces").await;

    assert_eq!(platform.status, StatusCode::OK);
    let names = |r: &common::TestResponse| {
        r.json()
            .as_array()
            .expect("a list")
            .iter()
            .map(|w| w["slug"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&platform), vec!["demo"]);
    assert_eq!(names(&acme), vec!["acme-dental"]);
}

#[tokio::test]
async fn another_partners_workspace_answers_404_with_a_json_error() {
    let app = TestApp::seeded().await;

    let response = app
        .get(PLATFORM_HOST, "/api/tenancy/workspace?slug=acme-dental")
        .await;

    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(
        response.json(),
        serde_json::json!({"kind": "not_found", "detail": "Workspace was not found."})
    );
    assert!(!response.body.contains("Acme Dental"));
}

#[tokio::test]
async fn the_brand_endpoint_answers_per_host() {
    let app = TestApp::seeded().await;

    let acme = app.get(ACME_HOST, "/api/tenancy/brand").await.json();
    let platform = app.get(PLATFORM_HOST, "/api/tenancy/brand").await.json();

    assert_eq!(acme["name"], "Acme Voice");
    assert_eq!(acme["primary"], "#e11d48");
    assert_eq!(acme["is_platform"], false);
    assert_eq!(platform["name"], "Genius365");
    assert_eq!(platform["is_platform"], true);
}

#[tokio::test]
async fn a_server_function_call_without_its_arguments_is_a_clear_400_not_a_500() {
    let app = TestApp::seeded().await;

    let response = app.get(PLATFORM_HOST, "/api/tenancy/workspace").await;

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
