//! The audit log read back: an organisation's owners and admins see their organisation's
//! entries (filtered, paged, downloaded), nobody else's; the super admin sees everyone's.

use app::audit::api::{AllAudit, OrgAudit};
use app::audit::model::AuditFilter;
use app::auth::api::Login;
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;
use server::seed::DEMO_PASSWORD;

use crate::common::TestApp;

fn filter(adjust: impl FnOnce(&mut AuditFilter)) -> AuditFilter {
    let mut filter = AuditFilter::default();
    adjust(&mut filter);
    filter
}

#[tokio::test]
async fn an_organisation_reads_its_own_log_filtered_and_nobody_elses() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let other = app.org("globex").await;
    let owner = acme.person(PartnerRole::Owner).await;
    let member = acme.person(PartnerRole::Member).await;
    let mut owner_client = owner.client().await;
    let mut member_client = member.client().await;
    // A refused sign-in and one at the other organisation.
    let _ = acme
        .visitor()
        .call(Login {
            email: member.email.clone(),
            password: "Wrong-Password-1!".into(),
            redirect: None,
            console: None,
        })
        .await;
    let outsider = other.person(PartnerRole::Owner).await;
    outsider.client().await;
    // A refused sign-in on Acme's host with the address of Globex's owner: Acme's log
    // records it, but must not tell Acme who that is.
    let _ = acme
        .visitor()
        .call(Login {
            email: outsider.email.clone(),
            password: "Wrong-Password-1!".into(),
            redirect: None,
            console: None,
        })
        .await;

    let everything = owner_client
        .call(OrgAudit {
            filter: AuditFilter::default(),
            page: 1,
        })
        .await
        .unwrap();
    let member_logins = owner_client
        .call(OrgAudit {
            filter: filter(|f| {
                f.person = member.user.id.to_string();
                f.action = "user.login".into();
            }),
            page: 1,
        })
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let tomorrow = owner_client
        .call(OrgAudit {
            filter: filter(|f| f.from = today.succ_opt().unwrap().to_string()),
            page: 1,
        })
        .await
        .unwrap();
    let aimed_elsewhere = owner_client
        .call(OrgAudit {
            filter: filter(|f| f.organisation = other.partner.id.to_string()),
            page: 1,
        })
        .await
        .unwrap();
    let bad = owner_client
        .call(OrgAudit {
            filter: filter(|f| {
                f.from = "2026-12-09".into();
                f.to = "2026-12-01".into();
            }),
            page: 1,
        })
        .await
        .unwrap_err();
    let refused = member_client
        .call(OrgAudit {
            filter: AuditFilter::default(),
            page: 1,
        })
        .await
        .unwrap_err();

    let actions: Vec<&str> = everything.rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user.login_failed",
            "user.login_failed",
            "user.login",
            "user.login"
        ],
        "newest first, acme's alone"
    );
    assert_eq!(everything.total, 4);
    assert_eq!(
        everything.rows[0].person.as_deref(),
        Some("Another account (not of this organization)"),
        "another organisation's person is not named"
    );
    assert!(
        !everything
            .people
            .iter()
            .any(|c| c.label.contains(&outsider.email))
    );
    assert!(everything.rows.iter().all(|r| r.organisation.is_none()));
    assert!(
        everything.rows[0].details.is_empty() || !everything.rows[0].details.contains("globex")
    );
    assert_eq!(member_logins.total, 1);
    assert!(
        member_logins.rows[0]
            .person
            .as_deref()
            .is_some_and(|p| p.contains(&member.email)),
        "{:?}",
        member_logins.rows[0]
    );
    assert_eq!(tomorrow.total, 0);
    assert_eq!(
        aimed_elsewhere.total, 4,
        "another organisation's choice is ignored"
    );
    let people: Vec<&str> = everything.people.iter().map(|c| c.value.as_str()).collect();
    assert!(people.contains(&owner.user.id.to_string().as_str()));
    assert!(
        everything
            .actions
            .iter()
            .any(|c| c.label == "Sign-in refused")
    );
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.error.field("to").is_some(), "{bad:?}");
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "plain members do not read it"
    );

    let page = owner_client.get("/org/audit?action=user.login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("2 entries match"),
        "the page counts what it shows"
    );
    assert!(page.body.contains(&member.email));
    let csv = owner_client
        .get("/org/audit.csv?action=user.login_failed")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(
        !csv.body.contains(&outsider.user.id.to_string()),
        "not even which account: {}",
        csv.body
    );
    assert!(lines[0].starts_with("at,person,action,action_name"));
    assert!(
        lines[1].contains("user.login_failed,Sign-in refused"),
        "{}",
        lines[1]
    );
    assert!(!csv.body.contains("globex"));
    assert!(!csv.body.contains(&outsider.email));
    let bad_csv = owner_client.get("/org/audit.csv?from=yesterday").await;
    assert_eq!(bad_csv.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_csv.body.contains("2026-11-24"), "{}", bad_csv.body);
}

#[tokio::test]
async fn the_log_pages_fifty_at_a_time() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let owner = acme.person(PartnerRole::Owner).await;
    let mut client = owner.client().await;
    for _ in 0..55 {
        let mut again = acme.visitor();
        again.login(&owner.email, DEMO_PASSWORD).await;
    }

    let first = client
        .call(OrgAudit {
            filter: AuditFilter::default(),
            page: 1,
        })
        .await
        .unwrap();
    let second = client
        .call(OrgAudit {
            filter: AuditFilter::default(),
            page: 2,
        })
        .await
        .unwrap();
    let csv = client.get("/org/audit.csv").await;

    assert_eq!(first.total, 56);
    assert_eq!((first.rows.len(), second.rows.len()), (50, 6));
    assert_eq!(first.pages(), 2);
    assert!(first.rows[49].at >= second.rows[0].at);
    assert_eq!(csv.body.lines().count(), 57, "every entry, and the header");
    let page = client.get("/org/audit?page=2").await;
    assert!(page.body.contains("Page "), "pagination shown");
}

#[tokio::test]
async fn the_super_admin_reads_every_organisations_log() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let acme = app.org("acme").await;
    acme.person(PartnerRole::Owner).await.client().await;
    platform.person(PartnerRole::Owner).await.client().await;
    let admin = platform.super_admin().await;
    let mut console = admin.console().await;

    let all = console
        .call(AllAudit {
            filter: AuditFilter::default(),
            page: 1,
        })
        .await
        .unwrap();
    let only_acme = console
        .call(AllAudit {
            filter: filter(|f| f.organisation = acme.partner.id.to_string()),
            page: 1,
        })
        .await
        .unwrap();
    let csv = console.get("/super-admin/audit.csv").await;

    let places: Vec<Option<&str>> = all.rows.iter().map(|r| r.organisation.as_deref()).collect();
    assert!(places.contains(&Some("Acme")), "{places:?}");
    assert!(places.contains(&Some("Genius365")), "{places:?}");
    assert_eq!(only_acme.total, 1);
    assert!(all.organisations.iter().any(|c| c.label == "Acme"));
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains(",Acme,"), "{}", csv.body);
    let page = console.get("/super-admin/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Organization"));
}
