//! `TestApp`: the real router on a fresh database, in one line.
//!
//! SQLite in memory by default; when `TEST_DATABASE_URL` names a PostgreSQL server, each
//! test gets its own freshly created database there. Requests go through the router
//! in-process, with the Host header choosing the partner.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use app::config::Config;
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, Database};
use tower::ServiceExt;

pub const PLATFORM_HOST: &str = "localhost:3000";
pub const ACME_HOST: &str = "acme.localhost:3000";

pub struct TestApp {
    pub state: AppState,
    router: Router,
    _site_root: tempfile::TempDir,
}

impl TestApp {
    /// A fresh, migrated, empty database behind the real router.
    pub async fn new() -> Self {
        let url = match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if !server.is_empty() => fresh_postgres_database(&server).await,
            _ => "sqlite::memory:".to_owned(),
        };
        let site_root = site_root();
        let options = LeptosOptions::builder()
            .output_name("genius365")
            .site_root(site_root.path().to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .build();
        let state = server::state::build(Config::for_tests(&url), options)
            .await
            .expect("test state builds");
        Self {
            router: server::router::router(state.clone()),
            state,
            _site_root: site_root,
        }
    }

    /// A fresh database holding the demo data (`server seed-demo`).
    pub async fn seeded() -> Self {
        let app = Self::new().await;
        server::seed::seed_demo(&app.state.db, "http://localhost:3000", "localhost")
            .await
            .expect("demo data seeds");
        app
    }

    pub fn is_postgres(&self) -> bool {
        self.state.config.database_url.starts_with("postgres")
    }

    pub async fn get(&self, host: &str, path: &str) -> TestResponse {
        self.request(
            Request::builder()
                .method(Method::GET)
                .uri(path)
                .header("host", host)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router never errors");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// A static site root with one stylesheet, as cargo-leptos would build it.
fn site_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg: PathBuf = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("genius365.css"), "body{margin:0}".repeat(200)).unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    dir
}

/// Creates `t_<uuid>` on the server and returns its URL.
async fn fresh_postgres_database(server_url: &str) -> String {
    let admin = Database::connect(server_url)
        .await
        .expect("TEST_DATABASE_URL is reachable");
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("test database is created");
    admin.close().await.ok();
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server_url, String::new()),
    };
    let base = base
        .rsplit_once('/')
        .map(|(prefix, _)| prefix)
        .unwrap_or(base);
    format!("{base}/{name}{query}")
}
