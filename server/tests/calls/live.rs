//! Live news of calls: each open page hears its own workspace's changes, a stream ends with
//! its session or its access, and one person holds a bounded number of streams.

use super::*;
use app::auth::api::Logout;
use app::live::CallEvent;
use app::members::api::{RemoveMember, WorkspaceMembers};

/// The next `event: call` frame's data on an open event stream, within five seconds.
async fn next_call_event(body: &mut axum::body::Body) -> CallEvent {
    use http_body_util::BodyExt;
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .expect("news arrives within five seconds")
            .expect("the stream stays open")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
        if let Some(start) = text.find("event: call\ndata: ") {
            let rest = &text[start + "event: call\ndata: ".len()..];
            if let Some(end) = rest.find("\n\n") {
                return serde_json::from_str(&rest[..end]).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn open_pages_hear_of_each_call_change_of_their_workspace_only() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let acme_org = app.org("acme").await;
    let acme = acme_org.workspace("acme-dental").await;
    let owner = org.person(PartnerRole::Owner).await.client().await;
    let response = open_live(&owner).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    // Let the relay (PostgreSQL) start listening before anything happens.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Another workspace's call is not news here; this workspace's calls are, as they move.
    let mut ringing = CALLS[0].clone_as("live-1", CallStatus::Ringing);
    store(&app, acme.id(), &ringing).await;
    let id = store(&app, demo.id(), &ringing).await;
    let news = next_call_event(&mut body).await;
    assert_eq!(
        news,
        CallEvent {
            workspace_id: demo.id(),
            conversation_id: id,
            status: CallStatus::Ringing,
        }
    );
    ringing.status = CallStatus::Completed;
    store(&app, demo.id(), &ringing).await;
    let news = next_call_event(&mut body).await;
    assert_eq!(
        news,
        CallEvent {
            workspace_id: demo.id(),
            conversation_id: id,
            status: CallStatus::Completed,
        }
    );

    // Strangers and other tenants cannot listen.
    let stranger = axum::http::Request::builder()
        .uri("/w/demo/live")
        .header("host", &org.host)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        app.stream(stranger).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let acme_owner = acme_org.person(PartnerRole::Owner).await.client().await;
    assert_eq!(
        acme_owner.get("/w/demo/live").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Opens `/w/demo/live` as `client` (on its host, with its session); the response with
/// its body streaming.
async fn open_live(client: &Client<'_>) -> axum::response::Response {
    let request = axum::http::Request::builder()
        .uri("/w/demo/live")
        .header("host", &client.host)
        .header("cookie", client.cookie.clone().unwrap())
        .body(axum::body::Body::empty())
        .unwrap();
    client.app().stream(request).await
}

/// Whether the stream ends (within five seconds), reading what comes before.
async fn ends(body: axum::body::Body) -> bool {
    use http_body_util::BodyExt;
    let mut body = body;
    let read = async {
        while let Some(frame) = body.frame().await {
            if frame.is_err() {
                break;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), read)
        .await
        .is_ok()
}

#[tokio::test]
async fn a_live_stream_ends_when_its_session_ends_or_its_access_goes() {
    let app = TestApp::with_config(|config| {
        config.live_recheck = std::time::Duration::from_millis(100);
    })
    .await;
    let org = app.platform().await;
    let demo = org.workspace("demo").await;
    let owner_person = org.person(PartnerRole::Owner).await;
    let viewer_person = demo.member(WorkspaceRole::Viewer).await;
    let mut owner = owner_person.client().await;
    let viewer = viewer_person.client().await;
    let mut kept = owner_person.client().await;

    let owners = open_live(&owner).await;
    let viewers = open_live(&viewer).await;
    let other_session = open_live(&kept).await;
    assert_eq!(owners.status(), StatusCode::OK);

    // Signing out ends this session's stream, and only it.
    assert_eq!(owner.call(Logout {}).await, Ok(()));
    assert!(ends(owners.into_body()).await, "the signed-out stream ends");
    // Removed from the workspace: the viewer's stream ends too.
    let member = kept
        .call(WorkspaceMembers { slug: demo.slug() })
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.user_id == viewer_person.user.id)
        .unwrap();
    assert_eq!(member.role, WorkspaceRole::Viewer);
    let removed = kept
        .call(RemoveMember {
            slug: Some(demo.slug()),
            member_id: member.member_id,
        })
        .await;
    assert_eq!(removed, Ok(()));
    assert!(
        ends(viewers.into_body()).await,
        "the removed member's stream ends"
    );
    // The other session of the owner goes on.
    let mut body = other_session.into_body();
    let still_open = tokio::time::timeout(std::time::Duration::from_millis(500), async {
        use http_body_util::BodyExt;
        while let Some(Ok(_)) = body.frame().await {}
    })
    .await
    .is_err();
    assert!(still_open, "another session's stream goes on");
}

#[tokio::test]
async fn one_person_holds_a_bounded_number_of_live_streams() {
    let app = TestApp::new().await;
    let org = app.platform().await;
    org.workspace("demo").await;
    let owner = org.person(PartnerRole::Owner).await.client().await;
    let mut open = vec![];
    for _ in 0..app::live::guard::MAX_STREAMS_PER_USER {
        let response = open_live(&owner).await;
        assert_eq!(response.status(), StatusCode::OK);
        open.push(response);
    }
    let refused = open_live(&owner).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "30");
    // Closing one frees its place.
    drop(open.pop());
    assert_eq!(open_live(&owner).await.status(), StatusCode::OK);
}
