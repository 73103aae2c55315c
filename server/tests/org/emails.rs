//! The super admin previews every email the product sends, in any organisation's brand.

use app::email::model::EmailKind;
use app::super_admin::api::EmailPreviews;
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;

use crate::common::TestApp;

#[tokio::test]
async fn every_email_is_previewed_in_the_chosen_organisations_brand() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let acme = app.org("acme").await;
    let mut console = platform.super_admin().await.console().await;
    let mut owner = platform.person(PartnerRole::Owner).await.client().await;

    let own = console
        .call(EmailPreviews { organisation: None })
        .await
        .unwrap();
    let acmes = console
        .call(EmailPreviews {
            organisation: Some(acme.partner.id),
        })
        .await
        .unwrap();
    let refused = owner
        .call(EmailPreviews { organisation: None })
        .await
        .unwrap_err();

    assert_eq!(own.organisation, "Genius365");
    let kinds: Vec<EmailKind> = acmes.emails.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        EmailKind::ALL.to_vec(),
        "every email the product sends"
    );
    assert!(acmes.emails.iter().all(|e| e.html.contains("Acme")));
    assert!(
        acmes.emails[0].from.starts_with("Acme <"),
        "{}",
        acmes.emails[0].from
    );
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = console.get("/super-admin/emails").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-kind=\"domain_verified\""));
    assert!(
        page.body.contains("sandbox=\"\""),
        "the HTML runs no script"
    );
}
