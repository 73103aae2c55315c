//! Searching through Algolia when a workspace has it, and the built-in index when it fails.

use super::*;

#[tokio::test]
async fn algolia_answers_searches_when_assigned_and_the_built_in_index_when_it_fails() {
    use common::voice_sim::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, VoiceSim};
    let (sim, url) = VoiceSim::start().await;
    let app = TestApp::seeded_with(move |config| config.providers.algolia = url).await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let demo = app.workspace("genius365", "demo").await;
    let acme = app.workspace("acme", "acme-dental").await;
    // Calls from before Algolia was added are indexed when it is.
    for call in &CALLS[..2] {
        store(&app, demo.id, call).await;
    }
    let in_index = |sim: &VoiceSim| {
        sim.store()
            .algolia
            .get("call_logs")
            .map_or(0, |(_, records)| records.len())
    };
    let added = owner
        .post(
            "/api/org/integrations/create",
            &[
                ("provider", "algolia"),
                ("name", "Search"),
                ("secret_key", ALGOLIA_ADMIN_KEY),
                ("public_key", ""),
                ("app_id", ALGOLIA_APP_ID),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(in_index(&sim), 0, "indexed by a job, after the request");
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(in_index(&sim), 2, "the earlier calls were indexed");
    for call in &CALLS[2..] {
        store(&app, demo.id, call).await;
    }
    store(&app, acme.id, &CALLS[0]).await;
    // Finished calls go to the organisation's index; the other tenant's do not.
    assert_eq!(app.run_jobs().await, 2);
    assert_eq!(in_index(&sim), 4);
    let record = sim.store().algolia["call_logs"]
        .1
        .values()
        .find(|r| r["caller_name"] == "Dana Whitfield")
        .cloned()
        .unwrap();
    assert_eq!(record["workspace_id"], demo.id.to_string());
    assert!(
        record["transcript"]
            .as_str()
            .unwrap()
            .contains("refund to your card")
    );

    let found = listed(&owner, &[("q", "refund")]).await;
    assert_eq!(found["searched_with"], "Algolia");
    assert_eq!(found["algolia"], true);
    assert_eq!(names(&found), ["Dana Whitfield"]);
    let queries: Vec<Value> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/1/indexes/call_logs/query")
        .map(|r| r.body)
        .collect();
    assert_eq!(
        queries.last().unwrap()["filters"],
        format!("workspace_id:{}", demo.id)
    );

    // Algolia failing: the built-in index answers, and the page says so.
    sim.fail_with(&[503, 503, 503]);
    let fallback = listed(&owner, &[("q", "refund")]).await;
    assert!(
        fallback["searched_with"]["BuiltInInsteadOfAlgolia"].is_string(),
        "{fallback}"
    );
    assert_eq!(names(&fallback), ["Dana Whitfield"]);

    // Viewers cannot touch the index; admins clear and resync it.
    let mut viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;
    assert_eq!(
        viewer
            .post("/api/calls/algolia-clear", &[("slug", "demo")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let cleared = owner
        .post("/api/calls/algolia-clear", &[("slug", "demo")])
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(in_index(&sim), 0);
    // An index with nothing in it: the built-in search still finds the call.
    let empty = listed(&owner, &[("q", "refund")]).await;
    assert_eq!(empty["searched_with"], "BuiltIn");
    assert_eq!(names(&empty), ["Dana Whitfield"]);
    let resynced = owner
        .post("/api/calls/algolia-resync", &[("slug", "demo")])
        .await;
    assert_eq!(resynced.status, StatusCode::OK, "{}", resynced.body);
    assert_eq!(resynced.json(), 4);
    assert_eq!(in_index(&sim), 4);

    // A workspace without Algolia is told so.
    let mut acme_owner = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let none = acme_owner
        .post("/api/calls/algolia-resync", &[("slug", "acme-dental")])
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert!(none.body.contains("no Algolia integration"));
}
