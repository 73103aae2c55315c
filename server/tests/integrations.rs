//! Organisation integrations: sealed keys shown by their last four characters, defaults
//! assigned to workspaces, and deletion refused while a workspace uses one.

#![allow(clippy::unwrap_used)] // test set-up: a failure is the test failing

mod common;

use app::db::entity::partner_integration;
use app::error::AppError;
use app::integrations::api::ListIntegrations;
use app::integrations::model::Provider;
use app::integrations::service::{self, NewIntegration};
use app::integrations::{assign, keys};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use common::TestApp;
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
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    service::create(
        &app.state.db,
        &app.state.vault,
        acme.partner.id,
        None,
        vapi("Main VAPI", VAPI_SECRET, false),
    )
    .await
    .unwrap();
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let listed = owner.call(ListIntegrations {}).await.unwrap();
    assert_eq!(listed[0].provider, Provider::Vapi);
    // A value written by something other than this build (a newer one, a hand edit).
    app.state
        .db
        .execute_unprepared("UPDATE partner_integrations SET provider = 'twilio'")
        .await
        .unwrap();

    let listed = owner.call(ListIntegrations {}).await.unwrap_err();

    assert_eq!(listed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        listed.error,
        AppError::Internal,
        "the cause stays in the log"
    );
}

#[tokio::test]
async fn keys_are_sealed_at_rest_and_shown_by_their_last_four_characters() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let partner = &acme.partner;
    let demo = acme.workspace("demo").await.workspace;

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
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let partner = &acme.partner;
    acme.workspace("demo").await;
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
    let mut owner = acme.person(PartnerRole::Owner).await.client().await;
    let created = owner
        .call(app::tenancy::api::CreateWorkspace {
            name: "Fresh".into(),
            description: String::new(),
        })
        .await;
    assert_eq!(created, Ok("fresh".to_owned()));

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
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let partner = &acme.partner;
    let demo = acme.workspace("demo-workspace").await.workspace;
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

    let Err(AppError::Conflict(message)) = refused else {
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
    let app = TestApp::new().await;
    let partner = app.org("acme").await.partner;

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

    let Err(AppError::Validation { fields, .. }) = result else {
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
    let Err(AppError::Validation { fields, .. }) = retell else {
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
    let app = TestApp::new().await;
    let platform = app.platform().await.partner;
    let acme = app.org("acme").await;
    let acme_ws = acme.workspace("dental").await.workspace;
    let acme = acme.partner;
    let db = &app.state.db;
    let vault = &app.state.vault;
    let platform_vapi =
        service::create(db, vault, platform.id, None, vapi("P", VAPI_SECRET, false))
            .await
            .unwrap();

    let foreign_workspace =
        assign::assign(db, platform.id, acme_ws.id, platform_vapi.id, None).await;
    let foreign_integration = assign::assign(db, acme.id, acme_ws.id, platform_vapi.id, None).await;

    assert!(matches!(foreign_workspace, Err(AppError::NotFound(_))));
    assert!(matches!(foreign_integration, Err(AppError::NotFound(_))));
    assert!(
        keys::keys_for(db, vault, acme_ws.id, Provider::Vapi)
            .await
            .unwrap()
            .is_none()
    );
}

mod through_the_server_functions {
    use super::common::TestApp;
    use super::common::voice_sim::{VAPI_KEY, VoiceSim};
    use app::integrations::api::{
        AssignIntegration, CreateIntegration, DeleteIntegration, IntegrationAssignments,
        ListIntegrations, UpdateIntegration,
    };
    use app::integrations::model::{Provider, WorkspaceAssignments};
    use app::tenancy::model::{PartnerRole, WorkspaceRole};
    use axum::http::StatusCode;
    use uuid::Uuid;

    async fn app_with_providers_at(url: &str) -> TestApp {
        let url = url.to_owned();
        TestApp::with_config(move |config| {
            config.providers.vapi = url.clone();
            config.providers.retell = url.clone();
            config.providers.algolia = url;
        })
        .await
    }

    fn create(provider: &str, name: &str, secret: &str, app_id: &str) -> CreateIntegration {
        CreateIntegration {
            provider: provider.into(),
            name: name.into(),
            secret_key: secret.into(),
            public_key: String::new(),
            app_id: app_id.into(),
            is_default: None,
            outbound_number: None,
        }
    }

    fn vapi(name: &str, secret: &str) -> CreateIntegration {
        create("vapi", name, secret, "")
    }

    /// The first message for `field` in a refusal, or nothing.
    fn first_message(refused: &super::common::client::Refused, field: &str) -> String {
        refused
            .error
            .field(field)
            .and_then(|messages| messages.first().cloned())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn a_key_the_provider_refuses_is_not_saved_and_says_why() {
        let (sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let mut owner = app
            .org("acme")
            .await
            .person(PartnerRole::Owner)
            .await
            .client()
            .await;
        let refused = owner
            .call(vapi("Main VAPI", "vapi-public-not-private"))
            .await
            .unwrap_err();
        sim.fail_with(&[503, 503, 503]);
        let outage = owner.call(vapi("Main VAPI", VAPI_KEY)).await.unwrap_err();
        let saved = owner.call(vapi("Main VAPI", VAPI_KEY)).await.unwrap();
        let listed = owner.call(ListIntegrations {}).await.unwrap();

        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            first_message(&refused, "secret_key").starts_with("VAPI refused the key."),
            "{refused:?}"
        );
        assert_eq!(outage.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(outage.error.to_string().contains("could not be reached"));
        assert!(
            !serde_json::to_string(&saved).unwrap().contains(VAPI_KEY),
            "the key never comes back"
        );
        assert_eq!(listed.len(), 1, "only the accepted key was saved");
        assert_eq!(listed[0].secret_last4, "0001");
    }

    #[tokio::test]
    async fn workspace_people_cannot_touch_integrations() {
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let ws = app.org("acme").await.workspace("dental").await;
        let mut viewer = ws.member(WorkspaceRole::Viewer).await.client().await;

        let listed = viewer.call(ListIntegrations {}).await;

        assert_eq!(listed.unwrap_err().status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn an_organisation_admin_moves_a_workspace_to_another_integration() {
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let acme = app.org("acme").await;
        let demo = acme.workspace("demo-workspace").await.id();
        let mut owner = acme.person(PartnerRole::Owner).await.client().await;
        let first = owner.call(vapi("First VAPI", VAPI_KEY)).await.unwrap();
        let second = owner.call(vapi("Second VAPI", VAPI_KEY)).await.unwrap();

        let before = owner.call(IntegrationAssignments {}).await.unwrap();
        let moved = owner
            .call(AssignIntegration {
                workspace_id: demo,
                integration_id: second.id,
            })
            .await;
        let after = owner.call(IntegrationAssignments {}).await.unwrap();
        let refused = owner
            .call(DeleteIntegration { id: second.id })
            .await
            .unwrap_err();

        let demo_row = |rows: &[WorkspaceAssignments]| -> Vec<(Provider, Uuid)> {
            rows.iter()
                .find(|r| r.workspace_id == demo)
                .unwrap()
                .assigned
                .clone()
        };
        assert_eq!(demo_row(&before), vec![(Provider::Vapi, first.id)]);
        assert_eq!(moved, Ok(()));
        assert_eq!(demo_row(&after), vec![(Provider::Vapi, second.id)]);
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused.error.to_string().contains("Demo Workspace"),
            "{refused:?}"
        );
    }

    #[tokio::test]
    async fn algolia_keys_are_checked_with_their_application_id() {
        use super::common::voice_sim::{ALGOLIA_ADMIN_KEY, ALGOLIA_APP_ID};
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        // Connecting Algolia queues its first indexing; this test looks at the key check.
        app.leave_jobs("algolia.reindex");
        let acme = app.org("acme").await;
        acme.workspace("dental").await;
        let mut owner = acme.person(PartnerRole::Owner).await.client().await;
        let algolia = |app_id: &str| create("algolia", "Search", ALGOLIA_ADMIN_KEY, app_id);

        let refused = owner.call(algolia("OTHERAPP01")).await.unwrap_err();
        let saved = owner.call(algolia(ALGOLIA_APP_ID)).await.unwrap();

        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            first_message(&refused, "secret_key").starts_with("Algolia refused the key."),
            "{refused:?}"
        );
        assert_eq!(saved.app_id.as_deref(), Some(ALGOLIA_APP_ID));
        assert!(
            !serde_json::to_string(&saved)
                .unwrap()
                .contains(ALGOLIA_ADMIN_KEY)
        );
    }

    #[tokio::test]
    async fn an_integration_is_renamed_and_given_an_outbound_number_keeping_its_keys() {
        let (_sim, url) = VoiceSim::start().await;
        let app = app_with_providers_at(&url).await;
        let mut owner = app
            .org("acme")
            .await
            .person(PartnerRole::Owner)
            .await
            .client()
            .await;
        let created = owner.call(vapi("Main VAPI", VAPI_KEY)).await.unwrap();
        let update = |name: &str, outbound_number: &str| UpdateIntegration {
            id: created.id,
            name: name.into(),
            outbound_number: outbound_number.into(),
            calls_at_once: String::new(),
        };

        let updated = owner.call(update("Renamed", "pn-0001")).await;
        let blank = owner.call(update(" ", "has spaces")).await.unwrap_err();
        let listed = owner.call(ListIntegrations {}).await.unwrap();

        assert_eq!(updated.map(|_| ()), Ok(()));
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            blank.error.field("name").is_some() && blank.error.field("outbound_number").is_some()
        );
        assert_eq!(listed[0].name, "Renamed");
        assert_eq!(listed[0].outbound_number.as_deref(), Some("pn-0001"));
        assert_eq!(listed[0].secret_last4, "0001", "the key is kept");
    }
}
