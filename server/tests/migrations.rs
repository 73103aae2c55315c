//! The schema: migrations apply on both databases, twice harmlessly, with their constraints.

mod common;

use app::db::{Migrator, MigratorTrait};
use app::tenancy::model::Branding;
use app::tenancy::service::{self, NewPartner};
use common::TestApp;

#[tokio::test]
async fn migrating_an_up_to_date_database_changes_nothing() {
    let app = TestApp::new().await;

    Migrator::up(&app.state.db, None)
        .await
        .expect("second run succeeds");

    let pending = Migrator::get_pending_migrations(&app.state.db)
        .await
        .expect("status reads");
    assert!(pending.is_empty());
}

#[tokio::test]
async fn only_one_platform_partner_can_exist() {
    let app = TestApp::new().await;
    let platform = |slug: &'static str| NewPartner {
        name: "Platform",
        slug,
        branding: Branding::default(),
        is_platform_partner: true,
    };

    service::create_partner(&app.state.db, platform("one"))
        .await
        .expect("first platform partner");
    let second = service::create_partner(&app.state.db, platform("two")).await;

    assert!(
        second.is_err(),
        "a second platform partner is refused by the schema"
    );
}

#[tokio::test]
async fn workspace_slugs_are_unique_within_a_partner_only() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let partner = |slug: &'static str| NewPartner {
        name: slug,
        slug,
        branding: Branding::default(),
        is_platform_partner: false,
    };
    let a = service::create_partner(db, partner("a"))
        .await
        .expect("partner a");
    let b = service::create_partner(db, partner("b"))
        .await
        .expect("partner b");

    let main = app::tenancy::model::Slug::parse("main").expect("a slug");
    service::create_workspace(db, a.id, "Main", &main, None)
        .await
        .expect("a/main");
    service::create_workspace(db, b.id, "Main", &main, None)
        .await
        .expect("b/main is allowed");
    let duplicate = service::create_workspace(db, a.id, "Main again", &main, None).await;

    assert!(duplicate.is_err());
}

#[tokio::test]
async fn deleting_a_partner_removes_its_domains_and_workspaces() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = TestApp::new().await;
    let db = &app.state.db;
    app.platform().await.workspace("demo").await;
    let acme = app.org("acme").await;
    acme.workspace("dental").await;
    acme.workspace("ortho").await;
    let acme = acme.partner;

    app::db::entity::partner::Entity::delete_by_id(acme.id)
        .exec(db)
        .await
        .expect("delete");

    assert_eq!(
        app::db::entity::workspace::Entity::find()
            .count(db)
            .await
            .expect("count"),
        1
    );
    assert_eq!(
        app::db::entity::partner_domain::Entity::find()
            .count(db)
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn tests_run_on_the_database_they_were_asked_to_use() {
    let app = TestApp::new().await;

    let backend = sea_orm::ConnectionTrait::get_database_backend(&app.state.db);

    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => assert_eq!(backend, sea_orm::DbBackend::Postgres),
        _ => assert_eq!(backend, sea_orm::DbBackend::Sqlite),
    }
}
