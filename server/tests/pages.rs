//! Server-rendered pages: the home page, branding per host, the workspace shell, 404s.

mod common;

use app::auth::api::Login;
use app::tenancy::model::{PartnerRole, WorkspaceRole};
use axum::http::StatusCode;
use common::{PLATFORM_HOST, TestApp};
use server_fn::ServerFn;

/// A new app with only the platform organisation: what the public pages need.
async fn platform_only() -> TestApp {
    let app = TestApp::new().await;
    app.platform().await;
    app
}

#[tokio::test]
async fn the_home_page_renders_on_the_server_with_the_island_loader() {
    let app = platform_only().await;

    let page = app.get(PLATFORM_HOST, "/").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page.body.contains("AI voice agents that answer"));
    assert!(
        page.body.contains("<title>Genius365</title>"),
        "title uses the brand"
    );
    assert!(
        page.body.contains(r#"("", "pkg", "genius365", "#),
        "the island loader is given the bundle's name"
    );
    assert!(
        !page.body.contains(r#"rel="preload""#),
        "no wasm is preloaded on a page that may have no island"
    );
    assert!(
        page.body.contains(r#"href="/signup""#),
        "invites visitors to sign up"
    );
}

#[tokio::test]
async fn every_script_and_style_carries_the_nonce_named_in_the_policy() {
    let app = platform_only().await;

    let page = app.get(PLATFORM_HOST, "/").await;

    let csp = page.header("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page policy names a nonce");
    assert!(nonce.len() >= 16, "nonce is not guessable: {nonce}");
    let script_tags: Vec<&str> = page
        .body
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect();
    assert!(!script_tags.is_empty());
    for tag in script_tags {
        assert!(
            tag.contains(&format!(r#"nonce="{nonce}""#)),
            "script without this response's nonce: <script{tag}>"
        );
    }
    assert!(page.body.contains(&format!("<style nonce=\"{nonce}\"")));

    let again = app.get(PLATFORM_HOST, "/").await;
    assert_ne!(
        again.header("content-security-policy"),
        csp,
        "a fresh nonce per response"
    );
}

#[tokio::test]
async fn a_white_label_host_shows_its_partners_name_and_colours() {
    let app = platform_only().await;
    let ws = app.org("acme").await.workspace("acme-dental").await;
    let owner = ws.member(WorkspaceRole::Owner).await.client().await;

    let page = owner.get("/w/acme-dental").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Acme"));
    assert!(page.body.contains("--brand-primary:#0e7490;"));
    assert!(page.body.contains("<title>Dashboard | Acme</title>"));
    assert!(
        !page.body.contains("Genius365"),
        "the platform's name never shows on a white-label host"
    );
}

#[tokio::test]
async fn the_workspace_shell_lists_the_sections_and_this_partners_workspaces() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    org.workspace_named("demo", "Demo Workspace").await;
    let owner = org.person(PartnerRole::Owner).await.client().await;

    let page = owner.get("/w/demo").await;

    assert_eq!(page.status, StatusCode::OK);
    for section in [
        "Dashboard",
        "Agents",
        "Campaigns",
        "Calls",
        "Knowledge Base",
        "Analytics",
        "Billing",
        "Team",
        "Settings",
    ] {
        assert!(page.body.contains(section), "sidebar shows {section}");
    }
    assert!(page.body.contains("Demo Workspace"));
    assert!(
        page.body.contains("Conversations"),
        "the dashboard's figures"
    );
}

#[tokio::test]
async fn an_unknown_path_answers_404_with_the_not_found_page() {
    let app = platform_only().await;

    let page = app.get(PLATFORM_HOST, "/no/such/page").await;

    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
}

#[tokio::test]
async fn another_partners_workspace_is_not_found_on_this_host() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    platform.workspace("demo").await;
    let acme = app.org("acme").await;
    acme.workspace("acme-dental").await;
    let platform_owner = platform.person(PartnerRole::Owner).await.client().await;
    let acme_owner = acme.person(PartnerRole::Owner).await.client().await;

    let wrong_host = platform_owner.get("/w/acme-dental").await;
    let unknown = acme_owner.get("/w/no-such-workspace").await;

    for page in [&wrong_host, &unknown] {
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("Page not found"));
    }
    assert!(
        !wrong_host.body.contains("Acme Dental"),
        "nothing of the other partner's workspace leaks"
    );
}

#[tokio::test]
async fn static_files_are_served_and_compressed_for_clients_that_accept_it() {
    let app = platform_only().await;
    let request = axum::http::Request::get("/pkg/genius365.css")
        .header("host", PLATFORM_HOST)
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .expect("request");

    let css = app.request(request).await;
    let icon = app.get(PLATFORM_HOST, "/favicon.svg").await;

    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-encoding"), "gzip");
    assert!(css.header("content-type").starts_with("text/css"));
    assert_eq!(icon.status, StatusCode::OK);
    assert!(icon.header("content-type").starts_with("image/svg+xml"));
}

/// A browser form post (it accepts HTML) to `path` on the platform host, from `referer`.
async fn post_as_page(
    app: &TestApp,
    path: &str,
    body: &str,
    referer: &str,
) -> common::TestResponse {
    let request = axum::http::Request::post(path)
        .header("host", PLATFORM_HOST)
        .header("origin", format!("http://{PLATFORM_HOST}"))
        .header("referer", format!("http://{PLATFORM_HOST}{referer}"))
        .header("accept", "text/html,application/xhtml+xml")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body.to_owned()))
        .expect("request");
    app.request(request).await
}

#[tokio::test]
async fn the_theme_switch_is_a_form_that_remembers_the_choice_and_goes_back() {
    let app = platform_only().await;

    let switched = post_as_page(&app, "/api/theme", "theme=dark", "/login?notice=signed-out").await;
    assert_eq!(switched.status, StatusCode::FOUND);
    assert_eq!(switched.header("location"), "/login?notice=signed-out");
    assert!(
        switched
            .header("set-cookie")
            .starts_with("g365_theme=dark;")
    );

    // Another site's address is not followed back.
    let elsewhere = app
        .request(
            axum::http::Request::post("/api/theme")
                .header("host", PLATFORM_HOST)
                .header("origin", format!("http://{PLATFORM_HOST}"))
                .header("referer", "http://evil.example//attack")
                .header("accept", "text/html")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from("theme=light"))
                .expect("request"),
        )
        .await;
    assert_eq!(elsewhere.header("location"), "/");

    let refused = post_as_page(&app, "/api/theme", "theme=purple", "/").await;
    assert_eq!(
        refused.status,
        StatusCode::FOUND,
        "the form comes back with the error"
    );
    assert!(refused.header("location").contains("__err="));
    assert!(
        refused.headers.get("set-cookie").is_none(),
        "nothing remembered"
    );

    let page = app.get(PLATFORM_HOST, "/").await;
    assert!(
        page.body.contains(r#"action="/api/theme""#),
        "the switch posts there"
    );
}

#[tokio::test]
async fn a_sign_in_posted_without_script_comes_back_with_its_error_shown() {
    let app = TestApp::new().await;
    app.platform()
        .await
        .person_as("owner@genius365.test", PartnerRole::Owner)
        .await;

    let refused = post_as_page(
        &app,
        Login::PATH,
        "email=owner%40genius365.test&password=Not-The-Password-1%21",
        "/login",
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::FOUND,
        "a redirect, not a 401 page"
    );
    let back = refused.header("location");
    assert!(
        back.contains("/login?__path=%2Fapi%2Fauth%2Flogin&__err="),
        "{back}"
    );

    let path = back.trim_start_matches(&format!("http://{PLATFORM_HOST}"));
    let page = app.get(PLATFORM_HOST, path).await;
    assert!(
        page.body.contains("Email or password is incorrect."),
        "the error is rendered"
    );
}
