//! Organisation integrations: sealed keys shown by their last four characters, defaults
//! assigned to workspaces, and deletion refused while a workspace uses one.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::db::entity::partner_integration;
use app::integrations::model::Provider;
use app::integrations::service::{self, NewIntegration};
use app::integrations::{assign, keys};
use axum::http::StatusCode;
use common::{PLATFORM_HOST, TestApp};
use sea_orm::EntityTrait;

const VAPI_SECRET: &str = "vapi-secret-0123456789abcdef";

fn vapi<'a>(name: &'a str, secret: &'a str, is_default: bool) -> NewIntegration<'a> {
    NewIntegration {
        provider: "vapi",
        name,
        secret_key: secret,
        public_key: "vapi-public-0123456789",
        app_id: "",
        outbound_number: "",
        is_default,
    }
}

#[tokio::test]
async fn a_stored_provider_no_variant_has_is_an_error_not_vapi() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::seeded().await;
    let partner = app.partner("genius365").await;
    service::create(
        &app.state.db,
        &app.state.vault,
        partner.id,
        None,
        vapi("Main VAPI", VAPI_SECRET, false),
    )
    .await
    .unwrap();
    let owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let listed = owner.get("/api/org/integrations").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json()[0]["provider"], "vapi");
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE partner_integrations SET provider = 'twilio'")
        .await
        .unwrap();

    let listed = owner.get("/api/org/integrations").await;

    assert_eq!(
        listed.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        listed.body
    );
    assert!(
        !listed.body.contains("twilio"),
        "the cause stays in the log"
    );
}

#[tokio::test]
async fn keys_are_sealed_at_rest_and_shown_by_their_last_four_characters() {
    let app = TestApp::seeded().await;
    let partner = app.partner("genius365").await;
    let demo = app.workspace("genius365", "demo").await;

    let created = service::create(
        &app.state.db,
        &app.state.vault,
        partner.id,
        None,
        vapi("Main VAPI", VAPI_SECRET, false),
    )
    .await
    .unwrap();

    let row = partner_integration::Entity::find_by_id(created.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.secret_sealed.contains(VAPI_SECRET));
    assert!(!format!("{row:?}").contains(VAPI_SECRET));
    assert_eq!(created.secret_last4, "cdef");
    assert_eq!(created.public_last4.as_deref(), Some("6789"));
    let json = serde_json::to_string(&created).unwrap();
    assert!(
        !json.contains(VAPI_SECRET),
        "no key in what the browser gets"
    );
    let keys = keys::keys_for(&app.state.db, &app.state.vault, demo.id, Provider::Vapi)
        .await
        .unwrap();
    assert_eq!(keys.map(|k| k.secret).as_deref(), Some(VAPI_SECRET));
}

#[tokio::test]
async fn the_first_integration_is_the_default_and_reaches_every_workspace() {
    let app = TestApp::seeded().await;
    let partner = app.partner("genius365").await;
    let db = &app.state.db;
    let vault = &app.state.vault;

    let first = service::create(
        db,
        vault,
        partner.id,
        None,
        vapi("First", VAPI_SECRET, false),
    )
    .await
    .unwrap();
    let second = service::create(
        db,
        vault,
        partner.id,
        None,
        vapi("Second", VAPI_SECRET, true),
    )
    .await
    .unwrap();
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    let created = owner
        .post(
            "/api/tenancy/create-workspace",
            &[("name", "Fresh"), ("description", "")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);

    let list = service::list(db, partner.id).await.unwrap();
    let by_name = |n: &str| list.iter().find(|i| i.name == n).unwrap().clone();
    assert!(first.is_default, "the first of its provider");
    assert!(!by_name("First").is_default, "a new default replaces it");
    assert!(by_name("Second").is_default);
    assert_eq!(
        by_name("First").assigned_workspaces,
        1,
        "demo keeps its choice"
    );
    assert_eq!(
        by_name("Second").assigned_workspaces,
        1,
        "the new workspace gets the default"
    );
    assert_eq!(second.assigned_workspaces, 0);
}

#[tokio::test]
async fn an_integration_in_use_cannot_be_deleted_and_says_by_whom() {
    let app = TestApp::seeded().await;
    let partner = app.partner("genius365").await;
    let demo = app.workspace("genius365", "demo").await;
    let db = &app.state.db;
    let vault = &app.state.vault;
    let first = service::create(
        db,
        vault,
        partner.id,
        None,
        vapi("First", VAPI_SECRET, false),
    )
    .await
    .unwrap();
    let second = service::create(
        db,
        vault,
        partner.id,
        None,
        vapi("Second", VAPI_SECRET, false),
    )
    .await
    .unwrap();

    let refused = service::delete(db, partner.id, first.id).await;
    assign::assign(db, partner.id, demo.id, second.id, None)
        .await
        .unwrap();
    let deleted = service::delete(db, partner.id, first.id).await;

    let Err(app::error::AppError::Conflict(message)) = refused else {
        panic!("refused with a conflict: {refused:?}");
    };
    assert!(message.contains("Demo Workspace"), "{message}");
    assert!(deleted.is_ok());
    let left = service::list(db, partner.id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(
        left[0].is_default,
        "the remaining one takes over as default"
    );
}

#[tokio::test]
async fn bad_input_is_named_field_by_field_and_saves_nothing() {
    let app = TestApp::seeded().await;
    let partner = app.partner("genius365").await;

    let result = service::create(
        &app.state.db,
        &app.state.vault,
        partner.id,
        None,
        NewIntegration {
            provider: "algolia",
            name: " ",
            secret_key: "short",
            public_key: "has spaces in it",
            app_id: "",
            outbound_number: "",
            is_default: false,
        },
    )
    .await;

    let Err(app::error::AppError::Validation { fields, .. }) = result else {
        panic!("a validation error: {result:?}");
    };
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(names, ["app_id", "name", "public_key", "secret_key"]);
    let retell = service::validate(&NewIntegration {
        provider: "retell",
        name: "Retell",
        secret_key: "key_retell0001",
        public_key: "",
        app_id: "",
        outbound_number: "555-0100",
        is_default: false,
    });
    let Err(app::error::AppError::Validation { fields, .. }) = retell else {
        panic!("a validation error: {retell:?}");
    };
    assert!(fields["outbound_number"][0].contains("international format"));
    assert!(
        service::list(&app.state.db, partner.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn another_organisations_workspace_or_integration_cannot_be_assigned() {
    let app = TestApp::seeded().await;
    let platform = app.partner("genius365").await;
    let acme = app.partner("acme").await;
    let acme_ws = app.workspace("acme", "acme-dental").await;
    let db = &app.state.db;
    let vault = &app.state.vault;
    let platform_vapi =
        service::create(db, vault, platform.id, None, vapi("P", VAPI_SECRET, false))
            .await
            .unwrap();

    let foreign_workspace =
        assign::assign(db, platform.id, acme_ws.id, platform_vapi.id, None).await;
    let foreign_integration = assign::assign(db, acme.id, acme_ws.id, platform_vapi.id, None).await;

    assert!(matches!(
        foreign_workspace,
        Err(app::error::AppError::NotFound(_))
    ));
    assert!(matches!(
        foreign_integration,
        Err(app::error::AppError::NotFound(_))
    ));
    assert!(
        keys::keys_for(db, vault, acme_ws.id, Provider::Vapi)
            .await
            .unwrap()
            .is_none()
    );
}

mod through_the_server_functions {
    use super::common::voice_sim::{VAPI_KEY, VoiceSim};
    use super::common::{PLATFORM_HOST, TestApp};
    use axum::http::StatusCode;

    async fn app_with_providers_at(url: &str) -> TestApp {
        let url = url.to_owned();
        TestApp::seeded_with(move |config| {
            config.providers.vapi = url.clone();
            config.providers.retell = url.clone();
            config.providers.algolia = url;
        })
        .await
    }

    fn form(secret: &str) -> [(&'static str, &str); 5] {
        [
            ("provider", "vapi"),
            ("name", "Main VAPI"),
            ("secret_key", secret),
            ("public_key", ""),
            ("app_id", ""),
        ]
    }

    #[tokio::test]
    async fn a_key_the_provider_refuses_is_not_saved_and_says_why() {
        let (sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
        let refused = owner
            .post(
                "/api/org/integrations/create",
                &form("vapi-public-not-private"),
            )
            .await;
        sim.fail_with(&[503, 503, 503]);
        let outage = owner
            .post("/api/org/integrations/create", &form(VAPI_KEY))
            .await;
        let saved = owner
            .post("/api/org/integrations/create", &form(VAPI_KEY))
            .await;
        let listed = owner.get("/api/org/integrations").await.json();

        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.json()["detail"]["fields"]["secret_key"][0]
                .as_str()
                .unwrap_or_default()
                .starts_with("VAPI refused the key."),
            "{}",
            refused.body
        );
        assert_eq!(outage.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(outage.body.contains("could not be reached"));
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert!(!saved.body.contains(VAPI_KEY), "the key never comes back");
        assert_eq!(
            listed.as_array().map(Vec::len),
            Some(1),
            "only the accepted key was saved"
        );
        assert_eq!(listed[0]["secret_last4"], "0001");
    }

    #[tokio::test]
    async fn workspace_people_cannot_touch_integrations() {
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let viewer = app.signed_in(PLATFORM_HOST, "viewer@genius365.test").await;

        let listed = viewer.get("/api/org/integrations").await;

        assert_eq!(listed.status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn an_organisation_admin_moves_a_workspace_to_another_integration() {
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
        let mut first = form(VAPI_KEY);
        first[1] = ("name", "First VAPI");
        let first = owner
            .post("/api/org/integrations/create", &first)
            .await
            .json();
        let mut second = form(VAPI_KEY);
        second[1] = ("name", "Second VAPI");
        let second = owner
            .post("/api/org/integrations/create", &second)
            .await
            .json();
        let demo = app.workspace("genius365", "demo").await.id.to_string();
        let second_id = second["id"].as_str().unwrap().to_owned();

        let before = owner.get("/api/org/integrations/assignments").await.json();
        let moved = owner
            .post(
                "/api/org/integrations/assign",
                &[("workspace_id", &demo), ("integration_id", &second_id)],
            )
            .await;
        let after = owner.get("/api/org/integrations/assignments").await.json();
        let refused = owner
            .post("/api/org/integrations/delete", &[("id", &second_id)])
            .await;

        let demo_row = |rows: &serde_json::Value| {
            rows.as_array()
                .unwrap()
                .iter()
                .find(|r| r["workspace_id"] == demo.as_str())
                .unwrap()["assigned"]
                .clone()
        };
        assert_eq!(
            demo_row(&before),
            serde_json::json!([["vapi", first["id"]]])
        );
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(demo_row(&after), serde_json::json!([["vapi", second_id]]));
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("Demo Workspace"), "{}", refused.body);
    }

    #[tokio::test]
    async fn algolia_keys_are_checked_with_their_application_id() {
        use super::common::voice_sim::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID};
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        // Connecting Algolia queues its first indexing; this test looks at the key check.
        app.leave_jobs("algolia.reindex");
        let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
        let algolia = |app_id: &'static str, key: &'static str| {
            [
                ("provider", "algolia"),
                ("name", "Search"),
                ("secret_key", key),
                ("public_key", ""),
                ("app_id", app_id),
            ]
        };

        let refused = owner
            .post(
                "/api/org/integrations/create",
                &algolia("OTHERAPP01", ALGOLIA_ADMIN_KEY),
            )
            .await;
        let saved = owner
            .post(
                "/api/org/integrations/create",
                &algolia(ALGOLIA_APP_ID, ALGOLIA_ADMIN_KEY),
            )
            .await;

        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.json()["detail"]["fields"]["secret_key"][0]
                .as_str()
                .unwrap()
                .starts_with("Algolia refused the key."),
            "{}",
            refused.body
        );
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.json()["app_id"], ALGOLIA_APP_ID);
        assert!(!saved.body.contains(ALGOLIA_ADMIN_KEY));
    }

    #[tokio::test]
    async fn an_integration_is_renamed_and_given_an_outbound_number_keeping_its_keys() {
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
        let created = owner
            .post("/api/org/integrations/create", &form(VAPI_KEY))
            .await
            .json();
        let id = created["id"].as_str().unwrap().to_owned();

        let updated = owner
            .post(
                "/api/org/integrations/update",
                &[
                    ("id", &id),
                    ("name", "Renamed"),
                    ("outbound_number", "pn-0001"),
                ],
            )
            .await;
        let blank = owner
            .post(
                "/api/org/integrations/update",
                &[
                    ("id", &id),
                    ("name", " "),
                    ("outbound_number", "has spaces"),
                ],
            )
            .await;
        let listed = owner.get("/api/org/integrations").await.json();

        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &blank.json()["detail"]["fields"];
        assert!(fields.get("name").is_some() && fields.get("outbound_number").is_some());
        assert_eq!(listed[0]["name"], "Renamed");
        assert_eq!(listed[0]["outbound_number"], "pn-0001");
        assert_eq!(listed[0]["secret_last4"], "0001", "the key is kept");
    }
}
