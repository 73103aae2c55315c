//! `/org/settings`: an organisation's owners and admins change its brand (names, colours,
//! sender, support, logo and favicon); its own hosts show it at once, nobody else's do,
//! and hostile files cost their sender their own request only.

use std::io::Cursor;

use app::org::api::{RemoveBrandImage, SaveBrand};
use app::tenancy::model::PartnerRole;
use axum::http::StatusCode;

use crate::common::{ACME_HOST, PLATFORM_HOST, TestApp};

fn brand(name: &str, primary: &str) -> SaveBrand {
    SaveBrand {
        name: name.into(),
        display_name: "Acme Voice Co".into(),
        primary: primary.into(),
        accent: "#0f766e".into(),
        sender_name: "Acme Support Desk".into(),
        support_email: "help@acme.test".into(),
        support_url: "https://help.acme.test".into(),
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        width,
        height,
        image::Rgba([10, 120, 200, 255]),
    ))
    .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
    .unwrap();
    out
}

/// The `/brand/….png` address a page links to, if any.
fn brand_image(body: &str) -> Option<String> {
    let start = body.find("/brand/")?;
    let end = start + body[start..].find(".png")? + 4;
    Some(body[start..end].to_owned())
}

#[tokio::test]
async fn an_admin_rebrands_the_organisation_and_only_its_hosts_change() {
    let app = TestApp::new().await;
    app.platform().await;
    let acme = app.org("acme").await;
    let mut admin = acme.person(PartnerRole::Admin).await.client().await;
    let mut member = acme
        .person_as("plain@acme.test", PartnerRole::Member)
        .await
        .client()
        .await;

    let refused = admin
        .call(SaveBrand {
            name: " ".into(),
            primary: "red".into(),
            support_email: "help".into(),
            support_url: "javascript:alert(1)".into(),
            sender_name: "Evil <x@y.z>".into(),
            ..brand("Acme", "#123456")
        })
        .await
        .unwrap_err();
    let untouched = app.get(ACME_HOST, "/login").await;
    let saved = admin.call(brand("Acme Voice LLC", "#0057b8")).await;
    let not_admin = member.call(brand("Hijacked", "#000000")).await.unwrap_err();

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "name",
        "primary",
        "support_email",
        "support_url",
        "sender_name",
    ] {
        assert!(refused.error.field(field).is_some(), "{field}: {refused:?}");
    }
    assert!(
        !untouched.body.contains("Acme Voice Co"),
        "nothing saved by a refused form"
    );
    assert_eq!(saved, Ok(()));
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);

    let login = app.get(ACME_HOST, "/login").await;
    assert!(
        login.body.contains("Acme Voice Co"),
        "the display name, at once"
    );
    assert!(
        login.body.contains("--brand-primary:#0057b8"),
        "the colour, at once"
    );
    assert!(
        login.body.contains("help@acme.test"),
        "the support line on the sign-in page"
    );
    let platform = app.get(PLATFORM_HOST, "/login").await;
    assert!(!platform.body.contains("#0057b8") && !platform.body.contains("Acme Voice Co"));

    let settings = admin.get("/org/settings").await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(settings.body.contains("data-testid=\"contrast-checks\""));
    assert!(
        member
            .get("/org/settings")
            .await
            .body
            .contains("org-admins-only")
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"partner.branding_updated".to_owned())
    );

    // Emails come from the sender name and carry the support contacts.
    acme.visitor()
        .call(app::auth::api::ForgotPassword {
            email: "plain@acme.test".into(),
        })
        .await
        .unwrap();
    let email = &app.emails_to("plain@acme.test").await[0];
    assert!(
        email.from_address.starts_with("Acme Support Desk <"),
        "{}",
        email.from_address
    );
    assert!(email.html.contains("help@acme.test") && email.html.contains("https://help.acme.test"));
}

#[tokio::test]
async fn a_logo_and_favicon_are_served_to_their_own_hosts_and_emails() {
    let app = TestApp::new().await;
    app.platform().await;
    let acme = app.org("acme").await;
    let admin = acme.person(PartnerRole::Admin).await.client().await;

    let logo = admin
        .upload("/org/brand/logo", "logo.png", &png(1200, 300))
        .await;
    let favicon = admin
        .post_body("/org/brand/favicon", "image/png", png(64, 64))
        .await;

    assert_eq!(logo.status, StatusCode::SEE_OTHER, "{}", logo.body);
    assert_eq!(logo.header("location"), "/org/settings");
    assert_eq!(favicon.status, StatusCode::OK, "{}", favicon.body);
    let favicon_url = favicon.json()["url"].as_str().unwrap().to_owned();
    let login = app.get(ACME_HOST, "/login").await;
    assert!(
        login
            .body
            .contains(&format!("rel=\"icon\" href=\"{favicon_url}\""))
    );
    let logo_url =
        brand_image(&login.body.replace(&favicon_url, "")).expect("the logo on the page");

    let served = app.get(ACME_HOST, &logo_url).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "image/png");
    assert_eq!(
        served.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let elsewhere = app.get(PLATFORM_HOST, &logo_url).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "another organisation's host"
    );

    acme.person_as("reader@acme.test", PartnerRole::Member)
        .await;
    acme.visitor()
        .call(app::auth::api::ForgotPassword {
            email: "reader@acme.test".into(),
        })
        .await
        .unwrap();
    let email = &app.emails_to("reader@acme.test").await[0];
    assert!(
        email
            .html
            .contains(&format!("http://{ACME_HOST}{logo_url}")),
        "emails link the logo on the organisation's own address"
    );

    let mut admin = admin;
    admin
        .call(RemoveBrandImage {
            kind: "logo".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        app.get(ACME_HOST, &logo_url).await.status,
        StatusCode::NOT_FOUND
    );
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"partner.image_uploaded".to_owned()));
    assert!(actions.contains(&"partner.image_removed".to_owned()));
}

#[tokio::test]
async fn hostile_images_are_refused_or_defused_and_nothing_else_changes() {
    let app = TestApp::new().await;
    let acme = app.org("acme").await;
    let admin = acme.person(PartnerRole::Admin).await.client().await;
    let member = acme
        .person_as("plain@acme.test", PartnerRole::Member)
        .await
        .client()
        .await;
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" onload="alert(1)"><script>fetch('/api/auth/viewer')</script><rect width="100" height="50" fill="#e11d48"/></svg>"##;

    let drawn = admin
        .post_body("/org/brand/logo", "image/svg+xml", svg.to_vec())
        .await;
    let not_an_image = admin
        .post_body(
            "/org/brand/logo",
            "image/png",
            b"<html><script>x</script></html>".to_vec(),
        )
        .await;
    let oversized = admin
        .post_body("/org/brand/logo", "image/png", vec![0x89; 3 * 1024 * 1024])
        .await;
    let unknown_kind = admin
        .post_body("/org/brand/banner", "image/png", png(4, 4))
        .await;
    let not_admin = member
        .post_body("/org/brand/logo", "image/png", png(4, 4))
        .await;
    let signed_out = acme
        .visitor()
        .post_body("/org/brand/logo", "image/png", png(4, 4))
        .await;
    let from_the_page = admin
        .upload("/org/brand/favicon", "icon.png", b"GIF89a not really")
        .await;

    assert_eq!(drawn.status, StatusCode::OK, "{}", drawn.body);
    let url = drawn.json()["url"].as_str().unwrap().to_owned();
    let served = app.get(ACME_HOST, &url).await;
    assert!(!served.body.contains("script") && !served.body.contains("<svg"));
    assert_eq!(served.header("content-type"), "image/png");
    for (answer, words) in [
        (&not_an_image, "not a PNG, JPEG, WebP or SVG"),
        (&oversized, "images up to 2048 KB"),
    ] {
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
        assert!(answer.body.contains(words), "{}", answer.body);
    }
    assert_eq!(unknown_kind.status, StatusCode::NOT_FOUND);
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    assert_eq!(from_the_page.status, StatusCode::SEE_OTHER);
    let flash = from_the_page.header("set-cookie");
    assert!(flash.contains("not%20saved"), "the page says why: {flash}");
    let login = app.get(ACME_HOST, "/login").await;
    assert!(
        login.body.contains(&url),
        "the SVG logo stays; the refused files changed nothing"
    );
    assert!(
        !login.body.contains("rel=\"icon\" href=\"/brand/"),
        "no favicon was taken"
    );
}
