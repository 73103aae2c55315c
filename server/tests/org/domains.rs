//! Custom domains: added, proven by a TXT record (a loopback DNS server stands in for the
//! world's), then serving the organisation's pages and sign-in, made primary for emails,
//! removed. Unproven, a domain serves nothing of the organisation's.

use app::auth::api::{ForgotPassword, Login};
use app::auth::model::LoginOutcome;
use app::org::api::{AddDomain, ListDomains, MakePrimaryDomain, RemoveDomain, VerifyDomain};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use server::seed::DEMO_PASSWORD;
use simulators::dns::DnsSim;

use crate::common::TestApp;

const CUSTOM: &str = "calls.acme-agency.test";

async fn app_with_dns() -> (TestApp, DnsSim) {
    let (dns, addr) = DnsSim::start().await;
    let app = TestApp::with_config(|config| config.dns_resolver = Some(addr)).await;
    (app, dns)
}

#[tokio::test]
async fn a_domain_serves_the_organisation_once_its_record_proves_it() {
    let (app, dns) = app_with_dns().await;
    app.platform().await;
    let acme = app.org("acme").await;
    let owner = acme.person(PartnerRole::Owner).await;
    let mut admin = owner.client().await;
    let custom_host = format!("{CUSTOM}:3000");

    admin
        .call(AddDomain {
            hostname: format!("https://{CUSTOM}/"),
        })
        .await
        .unwrap_err();
    admin
        .call(AddDomain {
            hostname: CUSTOM.to_uppercase(),
        })
        .await
        .unwrap();
    let list = admin.call(ListDomains {}).await.unwrap();
    let domain = list
        .domains
        .iter()
        .find(|d| d.hostname == CUSTOM)
        .unwrap()
        .clone();
    assert!(!domain.verified);
    assert_eq!(domain.txt_name, format!("_genius365.{CUSTOM}"));
    assert!(domain.txt_value.starts_with("genius365-verify="));
    assert_eq!(domain.cname_target, "localhost");

    let unproven = app.get(&custom_host, "/login").await;
    assert!(
        !unproven.body.contains("Acme"),
        "an unproven domain serves nothing of Acme's"
    );
    let too_soon = admin
        .call(VerifyDomain { id: domain.id })
        .await
        .unwrap_err();
    assert_eq!(too_soon.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_soon.error.to_string().contains("No TXT record"),
        "{too_soon:?}"
    );
    dns.set_txt(&domain.txt_name, "genius365-verify=someone-elses");
    let wrong = admin
        .call(VerifyDomain { id: domain.id })
        .await
        .unwrap_err();
    assert!(
        wrong.error.to_string().contains("someone-elses"),
        "{wrong:?}"
    );
    let cannot_lead = admin
        .call(MakePrimaryDomain { id: domain.id })
        .await
        .unwrap_err();
    assert_eq!(cannot_lead.status, StatusCode::UNPROCESSABLE_ENTITY);

    dns.set_txt(&domain.txt_name, &domain.txt_value);
    assert_eq!(admin.call(VerifyDomain { id: domain.id }).await, Ok(()));
    let served = app.get(&custom_host, "/login").await;
    assert_eq!(served.status, StatusCode::OK);
    assert!(
        served.body.contains("Acme"),
        "the organisation's sign-in on its own domain"
    );
    let mut visitor = app.client(&custom_host);
    let signed_in = visitor
        .call(Login {
            email: owner.email.clone(),
            password: DEMO_PASSWORD.into(),
            redirect: None,
            console: None,
        })
        .await;
    assert!(
        matches!(signed_in, Ok(LoginOutcome::SignedIn { .. })),
        "{signed_in:?}"
    );
    let notice = app.emails_to(&owner.email).await;
    assert!(
        notice
            .iter()
            .any(|e| e.subject == format!("{CUSTOM} is ready for Acme")),
        "owners and admins hear of it"
    );

    assert_eq!(
        admin.call(MakePrimaryDomain { id: domain.id }).await,
        Ok(())
    );
    acme.visitor()
        .call(ForgotPassword {
            email: owner.email.clone(),
        })
        .await
        .unwrap();
    let reset = app
        .emails_to(&owner.email)
        .await
        .into_iter()
        .find(|e| e.subject.starts_with("Reset"))
        .unwrap();
    assert!(
        reset
            .text
            .contains(&format!("http://{CUSTOM}:3000/reset-password")),
        "emails link to the primary domain: {}",
        reset.text
    );

    assert_eq!(admin.call(RemoveDomain { id: domain.id }).await, Ok(()));
    let gone = app.get(&custom_host, "/login").await;
    assert!(
        !gone.body.contains("Acme"),
        "a removed domain serves nothing"
    );
    let actions = app.audit_actions().await;
    for action in [
        "domain.added",
        "domain.verified",
        "domain.made_primary",
        "domain.removed",
    ] {
        assert!(actions.contains(&action.to_owned()), "{action}");
    }
}

#[tokio::test]
async fn domains_are_refused_by_reason_and_kept_to_their_organisation() {
    let (app, _dns) = app_with_dns().await;
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    let mut acme_admin = acme.person(PartnerRole::Admin).await.client().await;
    let mut globex_admin = globex.person(PartnerRole::Admin).await.client().await;
    let mut member = acme
        .person_as("plain@acme.test", PartnerRole::Member)
        .await
        .client()
        .await;
    acme_admin
        .call(AddDomain {
            hostname: CUSTOM.into(),
        })
        .await
        .unwrap();

    for (hostname, words) in [
        ("not a domain", "like calls.youragency.com"),
        ("calls.acme-agency.test:8443", "no https://, path or port"),
        ("shop.localhost", "are the platform's"),
        ("10.0.0.1", "full domain name"),
        (CUSTOM, "taken by another organization"),
    ] {
        let refused = globex_admin
            .call(AddDomain {
                hostname: hostname.into(),
            })
            .await
            .unwrap_err();
        let said = refused
            .error
            .field("hostname")
            .map(|m| m.join(" "))
            .unwrap_or_default();
        assert!(said.contains(words), "{hostname}: {said}");
    }
    let again = acme_admin
        .call(AddDomain {
            hostname: CUSTOM.into(),
        })
        .await
        .unwrap_err();
    assert!(again.error.to_string().contains("already on your list"));
    let id = acme_admin.call(ListDomains {}).await.unwrap().domains[0].id;
    for refused in [
        globex_admin.call(VerifyDomain { id }).await.unwrap_err(),
        globex_admin.call(RemoveDomain { id }).await.unwrap_err(),
    ] {
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        member.call(ListDomains {}).await.unwrap_err().status,
        StatusCode::FORBIDDEN
    );
    // Acme's claim, never proven, lapses after a week: then Globex may claim the domain.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    app::db::entity::partner_domain::Entity::update_many()
        .col_expr(
            app::db::entity::partner_domain::Column::CreatedAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::days(8)),
        )
        .filter(app::db::entity::partner_domain::Column::Hostname.eq(CUSTOM))
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        globex_admin
            .call(AddDomain {
                hostname: CUSTOM.into(),
            })
            .await,
        Ok(())
    );
    let page = acme_admin.get("/org/domains").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(CUSTOM), "acme's lapsed claim is gone");
}
