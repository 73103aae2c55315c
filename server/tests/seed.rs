//! `seed-demo`: what it creates, and that running it again changes nothing.

mod common;

use app::db::entity::{partner, user, workspace, workspace_member};
use common::TestApp;
use sea_orm::{EntityTrait, PaginatorTrait};

async fn counts(app: &TestApp) -> [u64; 4] {
    let db = &app.state.db;
    [
        partner::Entity::find().count(db).await.expect("count"),
        workspace::Entity::find().count(db).await.expect("count"),
        user::Entity::find().count(db).await.expect("count"),
        workspace_member::Entity::find()
            .count(db)
            .await
            .expect("count"),
    ]
}

#[tokio::test]
async fn the_demo_seed_creates_two_partners_with_a_workspace_and_users_each() {
    let app = TestApp::new().await;

    let logins = server::seed::seed_demo(&app.state.db, "http://localhost:3000", "localhost")
        .await
        .expect("seeds");

    assert_eq!(counts(&app).await, [2, 2, 5, 4]);
    let printed = server::seed::format_logins(&logins);
    assert!(printed.contains("owner@acme.test"));
    assert!(printed.contains("http://acme.localhost:3000"));
    assert!(printed.contains("admin@genius365.test"));
    assert!(printed.contains(server::seed::DEMO_PASSWORD));
    let admin = app::auth::service::find_by_email(
        &app.state.db,
        &app::auth::model::Email::parse("admin@genius365.test").expect("email"),
    )
    .await
    .expect("query")
    .expect("admin exists");
    assert!(
        app::auth::service::is_super_admin(&app.state.db, admin.id)
            .await
            .expect("query")
    );
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let app = TestApp::seeded().await;
    let before = counts(&app).await;

    server::seed::seed_demo(&app.state.db, "http://localhost:3000", "localhost")
        .await
        .expect("seeds again");

    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn demo_passwords_are_stored_only_as_argon2_hashes() {
    let app = TestApp::seeded().await;

    let users = user::Entity::find()
        .all(&app.state.db)
        .await
        .expect("users");

    for u in users {
        assert!(u.password_hash.starts_with("$argon2id$"));
        assert!(!u.password_hash.contains(server::seed::DEMO_PASSWORD));
    }
}
