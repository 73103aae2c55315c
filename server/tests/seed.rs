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
async fn the_demo_seed_creates_three_partners_with_a_workspace_and_users_each() {
    let app = TestApp::new().await;

    let logins = server::seed::seed_demo(&app.state.db, "http://localhost:3000", "localhost")
        .await
        .expect("seeds");

    assert_eq!(counts(&app).await, [3, 3, 7, 6]);
    assert!(server::seed::format_logins(&logins).contains("http://northwind.localhost:3000"));
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

#[tokio::test]
async fn demo_activity_fills_each_demo_workspace_once_with_charged_calls_over_thirty_days() {
    use app::db::entity::{agent, conversation, knowledge_document};
    use sea_orm::{ColumnTrait, QueryFilter};

    let app = TestApp::seeded().await;
    let demo = app.workspace("genius365", "demo").await;
    let db = &app.state.db;
    let before = app::billing::service::credits(db, &demo)
        .await
        .expect("credits");
    let added = server::seed::seed_activity(&app.state)
        .await
        .expect("seeds activity");
    assert_eq!(added, 2 * server::seed::activity::CALLS);

    let agents = agent::Entity::find()
        .filter(agent::Column::WorkspaceId.eq(demo.id))
        .all(db)
        .await
        .expect("agents");
    assert_eq!(agents.len(), 2);
    let documents = knowledge_document::Entity::find()
        .filter(knowledge_document::Column::WorkspaceId.eq(demo.id))
        .count(db)
        .await
        .expect("documents");
    assert_eq!(documents, 2);
    let calls = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(demo.id))
        .all(db)
        .await
        .expect("calls");
    assert_eq!(calls.len() as u32, server::seed::activity::CALLS);
    let now = chrono::Utc::now();
    assert!(
        calls
            .iter()
            .all(|c| c.created_at > now - chrono::Duration::days(31))
    );
    assert!(calls.iter().all(|c| c.created_at < now));
    let days: std::collections::HashSet<_> =
        calls.iter().map(|c| c.created_at.date_naive()).collect();
    assert!(days.len() >= 25, "calls on {} days", days.len());
    let answered: Vec<_> = calls.iter().filter(|c| c.duration_seconds > 0).collect();
    assert!(answered.len() > 150);
    assert!(
        answered
            .iter()
            .all(|c| c.billed_cents > 0 && c.summary.is_some())
    );
    let charged: i64 = calls.iter().map(|c| c.billed_cents).sum();
    let credits = app::billing::service::credits(db, &demo)
        .await
        .expect("credits");
    assert_eq!(
        credits.balance_cents,
        before.balance_cents + 50_000 - charged,
        "every call charged once"
    );

    // A second run leaves a workspace that already has agents alone.
    assert_eq!(
        server::seed::seed_activity(&app.state)
            .await
            .expect("again"),
        0
    );
    let again = conversation::Entity::find().count(db).await.expect("count");
    assert_eq!(again as u32, 2 * server::seed::activity::CALLS);
    // The demo agents' syncs were queued with them; they run like any other.
    assert_eq!(app.run_jobs().await, 4);
}
