//! `TestApp`: the real router on a fresh database, in one line.
//!
//! SQLite in memory by default; when `TEST_DATABASE_URL` names a PostgreSQL server, each
//! test gets its own freshly created database there. Requests go through the router
//! in-process, with the Host header choosing the partner.

#![allow(dead_code, clippy::unwrap_used)]

pub mod agents;
pub mod calls;
pub mod client;
pub mod resend;
pub mod voice_sim;
pub mod world;

pub use client::{Client, TestResponse};

use std::path::PathBuf;

use app::config::Config;
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
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
    /// Kinds of job the test lets stay in the queue when it ends (`leave_jobs`).
    left_alone: std::sync::Mutex<Vec<&'static str>>,
}

impl TestApp {
    /// A fresh, migrated, empty database behind the real router.
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// Like `new`, with the test configuration adjusted first.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> Self {
        let url = match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if !server.is_empty() => fresh_postgres_database(&server).await,
            _ => "sqlite::memory:".to_owned(),
        };
        Self::on_database(&url, adjust).await
    }

    /// An app on the database at `url` (a file or a server other processes reach too).
    pub async fn on_database(url: &str, adjust: impl FnOnce(&mut Config)) -> Self {
        let url = url.to_owned();
        let site_root = site_root();
        let options = LeptosOptions::builder()
            .output_name("genius365")
            .site_root(site_root.path().to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .build();
        let mut config = Config::for_tests(&url);
        config.extract_program = Some(env!("CARGO_BIN_EXE_server").into());
        adjust(&mut config);
        let state = server::state::build(config, options)
            .await
            .expect("test state builds");
        Self {
            router: server::router::router(state.clone()),
            state,
            _site_root: site_root,
            left_alone: Default::default(),
        }
    }

    /// A fresh database holding the demo data (`server seed-demo`).
    pub async fn seeded() -> Self {
        Self::seeded_with(|_| {}).await
    }

    pub async fn seeded_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let app = Self::with_config(adjust).await;
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

    /// The response with its body still streaming (event streams, downloads).
    pub async fn stream(&self, request: Request<Body>) -> axum::response::Response {
        self.router.clone().oneshot(request).await.unwrap()
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
pub async fn fresh_postgres_database(server_url: &str) -> String {
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

/// Lookups on the demo data (`seeded`), more people, the queue, and reading the outbox.
impl TestApp {
    /// A user with the demo password.
    pub async fn add_user(&self, email: &str) -> app::db::entity::user::Model {
        app::auth::service::create_user(
            &self.state.db,
            app::auth::service::NewUser {
                email,
                password: server::seed::DEMO_PASSWORD,
                first_name: Some("Test"),
                last_name: None,
            },
        )
        .await
        .unwrap()
    }

    pub async fn partner(&self, slug: &str) -> app::db::entity::partner::Model {
        app::tenancy::service::partner_by_slug(&self.state.db, slug)
            .await
            .unwrap()
            .unwrap()
    }

    pub async fn workspace(
        &self,
        partner_slug: &str,
        slug: &str,
    ) -> app::db::entity::workspace::Model {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let partner = self.partner(partner_slug).await;
        app::db::entity::workspace::Entity::find()
            .filter(app::db::entity::workspace::Column::PartnerId.eq(partner.id))
            .filter(app::db::entity::workspace::Column::Slug.eq(slug))
            .one(&self.state.db)
            .await
            .unwrap()
            .unwrap()
    }

    /// A worker on this app's database, driven by the test (`drain`), never on its own.
    pub fn worker(&self) -> server::worker::Worker {
        server::worker::Worker::new(self.state.clone(), Default::default())
    }

    /// Lets jobs of `kind` stay in the queue when the test ends: it checks something else
    /// about them. Any other job left queued, running or dead fails the test.
    pub fn leave_jobs(&self, kind: &'static str) {
        self.left_alone.lock().unwrap().push(kind);
    }

    /// Runs every queued job that is due now, retries that fell due included, until none
    /// is left; returns how many attempts ran. Tests drive the queue with it, never sleep.
    pub async fn run_jobs(&self) -> usize {
        self.worker().drain(chrono::Utc::now()).await
    }

    /// Like `run_jobs`, as if the clock read `now + ahead`: retries waiting out their
    /// backoff run too.
    pub async fn run_jobs_after(&self, ahead: chrono::Duration) -> usize {
        self.worker().drain(chrono::Utc::now() + ahead).await
    }

    /// Enqueues every periodic job, due or not, and runs the queue.
    pub async fn run_periodic_jobs(&self) -> usize {
        app::jobs::schedule::enqueue_all(&self.state.db, &server::worker::schedules())
            .await
            .unwrap();
        self.run_jobs().await
    }

    /// The jobs in the queue (any state), oldest first.
    pub async fn jobs(&self) -> Vec<app::db::entity::job::Model> {
        use sea_orm::{EntityTrait, QueryOrder};
        app::db::entity::job::Entity::find()
            .order_by_asc(app::db::entity::job::Column::CreatedAt)
            .all(&self.state.db)
            .await
            .unwrap()
    }

    /// Emails in the outbox to `to`, newest first.
    pub async fn emails_to(&self, to: &str) -> Vec<app::db::entity::email_outbox::Model> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        app::db::entity::email_outbox::Entity::find()
            .filter(app::db::entity::email_outbox::Column::ToEmail.eq(to))
            .order_by_desc(app::db::entity::email_outbox::Column::CreatedAt)
            .order_by_desc(app::db::entity::email_outbox::Column::Id)
            .all(&self.state.db)
            .await
            .unwrap()
    }

    /// The `token=` value in the newest email to `to`.
    pub async fn token_emailed_to(&self, to: &str) -> String {
        let emails = self.emails_to(to).await;
        let email = emails.first().unwrap_or_else(|| panic!("no email to {to}"));
        token_in(&email.text)
    }

    /// Audit actions recorded, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        use sea_orm::{EntityTrait, QueryOrder};
        app::db::entity::audit_log::Entity::find()
            .order_by_asc(app::db::entity::audit_log::Column::CreatedAt)
            .all(&self.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect()
    }
}

/// The value after `token=` in a text, up to whitespace or `&`.
pub fn token_in(text: &str) -> String {
    let start = text
        .find("token=")
        .unwrap_or_else(|| panic!("no token in {text}"))
        + 6;
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '&')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A test that ends with work still in the queue caused something it did not look at: it
/// fails, naming the jobs, unless it said they may stay (`TestApp::leave_jobs`). Checked
/// on SQLite, whose connection answers from its own thread, so the check can wait for it
/// here, where the test's runtime is busy dropping the app; PostgreSQL's connections need
/// that runtime. The same tests run on both, so SQLite's check covers them. (A connection
/// still on its way back to the pool, which takes a turn of the runtime, cannot be had
/// here: then the check is skipped rather than waited for.)
impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() || self.is_postgres() {
            return;
        }
        let Some(mut connection) = self.state.db.get_sqlite_connection_pool().try_acquire() else {
            return;
        };
        let query = sea_orm::sqlx::query_as::<_, (String, String, i32, Option<String>)>(
            "SELECT kind, state, attempts, last_error FROM jobs ORDER BY created_at",
        );
        let Ok(jobs) = futures::executor::block_on(query.fetch_all(&mut *connection)) else {
            return;
        };
        let allowed = self.left_alone.lock().unwrap();
        let unexpected: Vec<String> = jobs
            .iter()
            .filter(|(kind, ..)| !allowed.contains(&kind.as_str()))
            .map(|(kind, state, attempts, error)| {
                let error = error
                    .as_deref()
                    .map(|e| format!(", last error: {e}"))
                    .unwrap_or_default();
                format!("{kind} ({state}, {attempts} attempts{error})")
            })
            .collect();
        assert!(
            unexpected.is_empty(),
            "the test ended with jobs it did not run: {unexpected:?}; run them \
             (`app.run_jobs()`) or let them stay (`app.leave_jobs(kind)`)"
        );
    }
}
