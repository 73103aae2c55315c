//! Searching through Algolia when a workspace has it, and the built-in index when it fails.

use super::*;
use app::calls::api::{ClearAlgolia, ResyncAlgolia};
use app::calls::model::SearchedWith;
use app::integrations::api::CreateIntegration;
use serde_json::Value;

#[tokio::test]
async fn algolia_answers_searches_when_assigned_and_the_built_in_index_when_it_fails() {
    use common::voice_sim::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID, VoiceSim};
    let (sim, url) = VoiceSim::start().await;
    let app = TestApp::with_config(move |config| config.providers.algolia = url).await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let acme_org = app.org("acme").await;
    let acme = acme_org.workspace("acme-dental").await;
    let mut owner = org.person(PartnerRole::Owner).await.client().await;
    // Calls from before Algolia was added are indexed when it is.
    for call in &CALLS[..2] {
        store(&app, demo.id(), call).await;
    }
    let in_index = |sim: &VoiceSim| {
        sim.store()
            .algolia
            .get("call_logs")
            .map_or(0, |(_, records)| records.len())
    };
    let added = owner
        .call(CreateIntegration {
            provider: "algolia".into(),
            name: "Search".into(),
            secret_key: ALGOLIA_ADMIN_KEY.into(),
            public_key: String::new(),
            app_id: ALGOLIA_APP_ID.into(),
            is_default: None,
            outbound_number: None,
        })
        .await;
    assert!(added.is_ok(), "{added:?}");
    assert_eq!(in_index(&sim), 0, "indexed by a job, after the request");
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(in_index(&sim), 2, "the earlier calls were indexed");
    for call in &CALLS[2..] {
        store(&app, demo.id(), call).await;
    }
    store(&app, acme.id(), &CALLS[0]).await;
    // Finished calls go to the organisation's index; the other tenant's do not.
    assert_eq!(app.run_jobs().await, 2);
    assert_eq!(in_index(&sim), 4);
    let record = sim.store().algolia["call_logs"]
        .1
        .values()
        .find(|r| r["caller_name"] == "Dana Whitfield")
        .cloned()
        .unwrap();
    assert_eq!(record["workspace_id"], demo.id().to_string());
    assert!(
        record["transcript"]
            .as_str()
            .unwrap()
            .contains("refund to your card")
    );

    let found = listed(&mut owner, search("refund")).await;
    assert_eq!(found.searched_with, Some(SearchedWith::Algolia));
    assert!(found.algolia);
    assert_eq!(names(&found), ["Dana Whitfield"]);
    let queries: Vec<Value> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path == "/1/indexes/call_logs/query")
        .map(|r| r.body)
        .collect();
    assert_eq!(
        queries.last().unwrap()["filters"],
        format!("workspace_id:{}", demo.id())
    );

    // Algolia failing: the built-in index answers, and the page says so.
    sim.fail_with(&[503, 503, 503]);
    let fallback = listed(&mut owner, search("refund")).await;
    assert!(
        matches!(
            fallback.searched_with,
            Some(SearchedWith::BuiltInInsteadOfAlgolia(_))
        ),
        "{fallback:?}"
    );
    assert_eq!(names(&fallback), ["Dana Whitfield"]);

    // Viewers cannot touch the index; admins clear and resync it.
    let mut viewer = demo.member(WorkspaceRole::Viewer).await.client().await;
    let clear = || ClearAlgolia {
        slug: "demo".into(),
    };
    let resync = |slug: &str| ResyncAlgolia { slug: slug.into() };
    assert_eq!(
        viewer.call(clear()).await.unwrap_err().status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(owner.call(clear()).await, Ok(()));
    assert_eq!(in_index(&sim), 0);
    // An index with nothing in it: the built-in search still finds the call.
    let empty = listed(&mut owner, search("refund")).await;
    assert_eq!(empty.searched_with, Some(SearchedWith::BuiltIn));
    assert_eq!(names(&empty), ["Dana Whitfield"]);
    assert_eq!(owner.call(resync("demo")).await, Ok(4));
    assert_eq!(in_index(&sim), 4);

    // A workspace without Algolia is told so.
    let mut acme_owner = acme_org.person(PartnerRole::Owner).await.client().await;
    let none = acme_owner.call(resync(&acme.slug())).await.unwrap_err();
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert!(
        none.error.to_string().contains("no Algolia integration"),
        "{none:?}"
    );
}
