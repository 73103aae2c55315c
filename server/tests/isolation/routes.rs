//! Plain routes (downloads, event streams, webhooks, health): every one is in the matrix,
//! and each refuses outsiders without leaking what it guards.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::common::{ACME_HOST, PLATFORM_HOST};
use super::matrix::*;
use super::pages::*;
use super::world::*;

#[test]
fn every_plain_route_is_in_the_matrix() {
    let registered: BTreeSet<&str> = server::router::plain_route_paths().into_iter().collect();
    let covered: BTreeSet<&str> = PLAIN.iter().map(|(p, _)| *p).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "plain routes missing from the isolation matrix: {missing:?}"
    );
    assert!(stale.is_empty(), "matrix entries with no route: {stale:?}");
}

/// `path` with its parameters aimed at the secret workspace's rows.
fn aimed(path: &str, t: &Targets, slug: &str) -> String {
    let id = if path.contains("/campaigns/") {
        &t.secret_campaign_id
    } else {
        &t.secret_call_id
    };
    path.replace("{slug}", slug)
        .replace("{id}", id)
        .replace("{workspace_id}", &t.secret_workspace_id)
        .replace("{provider}", "sandbox")
}

#[tokio::test]
async fn plain_routes_refuse_outsiders_and_leak_nothing() {
    let (app, targets) = world().await;
    let secret_calls = || async {
        app::db::entity::conversation::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len()
    };
    let before = secret_calls().await;
    let signed_out = app.client(PLATFORM_HOST);
    let acme = app.signed_in(ACME_HOST, "owner@acme.test").await;
    let mut insiders = vec![];
    for email in [
        "wsowner@demo.test",
        "admin@demo.test",
        "member@demo.test",
        "viewer@genius365.test",
    ] {
        insiders.push((email, app.signed_in(PLATFORM_HOST, email).await));
    }
    for (path, gate) in PLAIN {
        match gate {
            PlainGate::Public => {
                let health = signed_out.get(path).await;
                assert_eq!(health.status, StatusCode::OK);
            }
            PlainGate::Signature => {
                // Unsigned, or signed with a made-up secret: refused, nothing stored.
                let url = aimed(path, &targets, "secret-ws");
                for secret in [None, Some("forged")] {
                    let mut request = axum::http::Request::builder()
                        .method("POST")
                        .uri(&url)
                        .header("host", PLATFORM_HOST)
                        .header("content-type", "application/json");
                    if let Some(secret) = secret {
                        request = request
                            .header("x-vapi-secret", secret)
                            .header("x-sandbox-signature", "v=1,d=00");
                    }
                    let body = serde_json::json!({"call": {"external_id": "planted", "status": "completed",
                        "duration_seconds": 60}, "message": {"type": "end-of-call-report",
                        "call": {"id": "planted", "assistantId": "nobody"}}});
                    let answer = app
                        .request(
                            request
                                .body(axum::body::Body::from(body.to_string()))
                                .unwrap(),
                        )
                        .await;
                    assert!(
                        [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&answer.status),
                        "{url} {secret:?}: {} {}",
                        answer.status,
                        answer.body
                    );
                }
            }
            PlainGate::Workspace => {
                let url = aimed(path, &targets, "secret-ws");
                let answer = signed_out.get(&url).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "signed out {url}");
                for (email, client) in &insiders {
                    let answer = client.get(&url).await;
                    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {url}");
                    for secret in SECRETS.iter().chain(&["Secret Caller", "+14155550111"]) {
                        assert!(
                            !answer.body.contains(secret),
                            "{email} {url} leaked {secret}"
                        );
                    }
                    assert!(!answer.body.contains(&targets.secret_call_id));
                }
                // Another organisation's owner, on their own host, aimed at demo's.
                let url = aimed(path, &targets, "demo");
                let answer = acme.get(&url).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "acme owner {url}");
            }
            PlainGate::WorkspaceUpload => {
                let url = aimed(path, &targets, "secret-ws");
                let file = b"Planted text.";
                let answer = signed_out.upload(&url, "planted.txt", file).await;
                assert_eq!(answer.status, StatusCode::SEE_OTHER, "signed out {url}");
                assert_eq!(answer.header("location"), "/login");
                for (email, client) in &insiders {
                    let answer = client.upload(&url, "planted.txt", file).await;
                    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {url}");
                }
                let url = aimed(path, &targets, "demo");
                let answer = acme.upload(&url, "planted.txt", file).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "acme owner {url}");
            }
            PlainGate::WorkspaceList => {
                let url = aimed(path, &targets, "secret-ws");
                let list = b"phone\n+14155550197\n".to_vec();
                let answer = signed_out.post_body(&url, "text/csv", list.clone()).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "signed out {url}");
                for (email, client) in &insiders {
                    let answer = client.post_body(&url, "text/csv", list.clone()).await;
                    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {url}");
                    assert!(!answer.body.contains("Secret"), "{email} {url}");
                }
                let url = aimed(path, &targets, "demo");
                let answer = acme.post_body(&url, "text/csv", list).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "acme owner {url}");
                let planted = app::db::entity::campaign_recipient::Entity::find()
                    .filter(app::db::entity::campaign_recipient::Column::Phone.eq("+14155550197"))
                    .count(&app.state.db)
                    .await
                    .unwrap();
                assert_eq!(planted, 0, "no list was stored");
            }
            PlainGate::Organisation => {
                // Signed out, or signed in without being the organisation's owner or
                // admin: refused, nothing listed, shown or stored.
                let list = b"phone\n+14155550197\n".to_vec();
                let post = path.ends_with("/import") || path.starts_with("/org/brand/");
                let path = &path.replace("{kind}", "logo");
                let answer = if post {
                    signed_out.post_body(path, "text/csv", list.clone()).await
                } else {
                    signed_out.get(path).await
                };
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "signed out {path}");
                for (email, client) in &insiders {
                    let answer = if post {
                        client.post_body(path, "text/csv", list.clone()).await
                    } else {
                        client.get(path).await
                    };
                    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{email} {path}");
                    assert!(!answer.body.contains("+1"), "{email} {path}");
                }
                if path.contains("audit") {
                    // Acme's own log, downloaded by its owner: nothing of the platform's.
                    let own = acme.get(path).await;
                    assert_eq!(own.status, StatusCode::OK, "acme owner {path}");
                    for secret in ["genius365.test", "Secret", "Demo Workspace"] {
                        assert!(!own.body.contains(secret), "{path} leaked {secret}");
                    }
                }
            }
            PlainGate::HostImage => {
                use sea_orm::{ActiveModelTrait, Set};
                let platform = app.partner("genius365").await;
                let sha = "ab".repeat(32);
                app::db::entity::brand_asset::ActiveModel {
                    id: Set(uuid::Uuid::now_v7()),
                    partner_id: Set(platform.id),
                    kind: Set("logo".into()),
                    content_type: Set("image/png".into()),
                    sha256: Set(sha.clone()),
                    width: Set(1),
                    height: Set(1),
                    bytes: Set(b"\x89PNG planted".to_vec()),
                    created_at: Set(chrono::Utc::now()),
                }
                .insert(&app.state.db)
                .await
                .unwrap();
                let own = path.replace("{file}", &format!("{sha}.png"));
                assert_eq!(signed_out.get(&own).await.status, StatusCode::OK, "{own}");
                let foreign = acme.get(&own).await;
                assert_eq!(foreign.status, StatusCode::NOT_FOUND, "acme's host {own}");
                assert!(!foreign.body.contains("planted"));
                for other in ["../../etc/passwd", "x.png", &format!("{sha}.svg")] {
                    let url = path.replace("{file}", other);
                    assert_eq!(
                        signed_out.get(&url).await.status,
                        StatusCode::NOT_FOUND,
                        "{url}"
                    );
                }
            }
            PlainGate::SuperAdmin => {
                // Signed out, the platform's people who are not super admins, and a
                // white-label host (where the console does not exist): refused, nothing
                // listed.
                assert_eq!(
                    signed_out.get(path).await.status,
                    StatusCode::UNAUTHORIZED,
                    "signed out {path}"
                );
                for (email, client) in &insiders {
                    let answer = client.get(path).await;
                    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{email} {path}");
                    assert!(!answer.body.contains("genius365.test"), "{email} {path}");
                }
                let white_label = acme.get(path).await;
                assert_eq!(
                    white_label.status,
                    StatusCode::NOT_FOUND,
                    "acme owner {path}"
                );
                assert!(!white_label.body.contains("genius365.test"), "acme {path}");
            }
        }
    }
    assert_eq!(secret_calls().await, before, "nothing was stored");
    let listed = app::db::entity::do_not_call::Entity::find()
        .filter(app::db::entity::do_not_call::Column::Phone.eq("+14155550197"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(listed, 0, "no do-not-call list was changed");
    let images = app::db::entity::brand_asset::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        images, 1,
        "no brand image was taken (the one planted above)"
    );
    let planted = app::db::entity::knowledge_document::Entity::find()
        .filter(app::db::entity::knowledge_document::Column::Title.contains("lanted"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(planted, 0, "no upload was stored");
}
