//! `server init` on an empty database: a production install anyone can then use.

use app::auth::api::{GetViewer, Login, ResetPassword};
use app::auth::model::LoginOutcome;
use app::config::{Bootstrap, Environment};
use app::email::model::EmailKind;
use axum::http::StatusCode;
use server::init::{Init, Report, init, missing_platform_message, on_start};

use crate::common::{self, TestApp};

const HOST: &str = "voice.example.test";
const ADMIN: &str = "founder@example.test";

/// A production install of `voice.example.test` on an empty database.
async fn production(bootstrap: Option<Bootstrap>) -> TestApp {
    TestApp::with_config(|config| {
        config.environment = Environment::Production;
        config.app_url = format!("https://{HOST}");
        config.platform_domain = HOST.into();
        config.bootstrap = bootstrap;
    })
    .await
}

fn asked() -> Init {
    Init {
        platform_name: "Voice Works".into(),
        domain: HOST.into(),
        admin_email: ADMIN.into(),
    }
}

#[tokio::test]
async fn init_on_an_empty_database_makes_an_install_its_admin_can_sign_in_to() {
    let app = production(None).await;
    let before = app.get(HOST, "/login").await;

    let report = init(&app.state, &asked()).await.unwrap();
    let again = init(&app.state, &asked()).await.unwrap();

    assert_eq!(
        before.status,
        StatusCode::NOT_FOUND,
        "no platform serves it yet"
    );
    assert!(report.partner_created && report.domain_added && report.admin_created);
    assert!(
        report.link_to_print.is_some(),
        "no email delivery here: the link is printed"
    );
    assert_eq!(
        again,
        Report::default(),
        "a second run finds everything made and makes nothing"
    );
    let emails = app.emails_to(ADMIN).await;
    assert_eq!(emails.len(), 1, "one set-password email, not one per run");
    assert_eq!(emails[0].kind, EmailKind::AccountSetup);
    assert_eq!(emails[0].subject, "Your Voice Works account is ready");
    assert!(
        emails[0]
            .text
            .contains(&format!("https://{HOST}/reset-password?token=")),
        "{}",
        emails[0].text
    );

    let sign_in = app.get(HOST, "/login").await;
    assert_eq!(sign_in.status, StatusCode::OK);
    assert!(
        sign_in.body.contains("Voice Works"),
        "the platform's name on its pages"
    );
    assert_eq!(
        app.get("elsewhere.test", "/login").await.status,
        StatusCode::NOT_FOUND,
        "production serves only known hosts"
    );

    let mut visitor = app.client(HOST);
    let unknown = visitor
        .call(Login {
            email: ADMIN.into(),
            password: "Chosen-Password-2026!".into(),
            redirect: None,
            console: None,
        })
        .await;
    assert!(
        unknown.is_err(),
        "no password works before the link is used"
    );
    let token = common::token_in(&emails[0].text);
    let set = visitor
        .call(ResetPassword {
            token,
            new_password: "Chosen-Password-2026!".into(),
            confirm_password: "Chosen-Password-2026!".into(),
        })
        .await;
    assert_eq!(set, Ok(()));
    let signed_in = visitor
        .call(Login {
            email: ADMIN.into(),
            password: "Chosen-Password-2026!".into(),
            redirect: None,
            console: None,
        })
        .await;
    assert!(
        matches!(signed_in, Ok(LoginOutcome::SignedIn { .. })),
        "{signed_in:?}"
    );
    let viewer = visitor.call(GetViewer {}).await.unwrap().unwrap();
    assert!(viewer.is_super_admin, "the first account runs the platform");
    assert_eq!(
        viewer.partner_role,
        Some(app::tenancy::model::PartnerRole::Owner),
        "and owns the platform's organisation"
    );
    assert_eq!(visitor.get("/org/team").await.status, StatusCode::OK);
}

#[tokio::test]
async fn init_refuses_bad_values_by_flag_and_changes_nothing() {
    let app = production(None).await;
    let cases = [
        (
            Init {
                platform_name: " ".into(),
                ..asked()
            },
            "--platform-name",
        ),
        (
            Init {
                domain: "https://voice.example.test/".into(),
                ..asked()
            },
            "--domain",
        ),
        (
            Init {
                domain: "other.example.test".into(),
                ..asked()
            },
            "PLATFORM_DOMAIN",
        ),
        (
            Init {
                admin_email: "founder".into(),
                ..asked()
            },
            "--admin-email",
        ),
    ];
    for (bad, flag) in cases {
        let refused = init(&app.state, &bad).await.unwrap_err().to_string();
        assert!(refused.contains(flag), "{flag}: {refused}");
    }
    assert!(
        app::tenancy::service::platform_partner(&app.state.db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(app.emails_to(ADMIN).await.is_empty());
}

#[tokio::test]
async fn a_production_start_without_a_platform_says_what_to_run_or_sets_it_up_from_the_environment()
{
    let bare = production(None).await;
    let refused = on_start(&bare.state).await.unwrap_err().to_string();
    assert_eq!(refused, missing_platform_message(HOST));
    assert!(refused.contains("server init --platform-name"), "{refused}");

    let configured = production(Some(Bootstrap {
        platform_name: "Voice Works".into(),
        admin_email: ADMIN.into(),
    }))
    .await;
    on_start(&configured.state).await.unwrap();
    on_start(&configured.state).await.unwrap();
    assert_eq!(configured.get(HOST, "/login").await.status, StatusCode::OK);
    assert_eq!(configured.emails_to(ADMIN).await.len(), 1);
}

#[tokio::test]
async fn init_beside_an_existing_platform_adds_what_is_missing_and_keeps_the_rest() {
    let app = production(None).await;
    init(&app.state, &asked()).await.unwrap();

    let second_admin = init(
        &app.state,
        &Init {
            platform_name: "Another Name".into(),
            admin_email: "second@example.test".into(),
            ..asked()
        },
    )
    .await
    .unwrap();

    assert_eq!(
        second_admin.partner_kept_name.as_deref(),
        Some("Voice Works")
    );
    assert!(second_admin.admin_created && !second_admin.domain_added);
    assert_eq!(app.emails_to("second@example.test").await.len(), 1);
    assert!(app.get(HOST, "/login").await.body.contains("Voice Works"));
}
