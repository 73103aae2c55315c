//! Rate limits on sign-in and second-factor guesses, per account and per address, under
//! parallel load.

use super::*;

#[tokio::test]
async fn the_sixth_failed_sign_in_of_an_account_is_refused_with_when_to_retry() {
    let app = TestApp::seeded().await;
    let mut client = app.client(PLATFORM_HOST);
    for _ in 0..5 {
        let r = client
            .login("owner@genius365.test", "Wrong-Password-1!")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }

    let blocked = client.login("owner@genius365.test", DEMO_PASSWORD).await;

    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        blocked.body.contains("Too many attempts. Try again in"),
        "{}",
        blocked.body
    );
    let retry: u64 = blocked.header("retry-after").parse().expect("Retry-After");
    assert!((850..=900).contains(&retry), "about 15 minutes: {retry}");
    let other = client.login("viewer@genius365.test", DEMO_PASSWORD).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "other accounts are unaffected"
    );
}

#[tokio::test]
async fn one_address_failing_across_many_accounts_is_slowed_but_others_are_not() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use std::net::SocketAddr;

    let app = TestApp::seeded().await;
    let login_from = |ip: &str, email: &str, password: &str| {
        let mut request = Request::post("/api/auth/login")
            .header("host", PLATFORM_HOST)
            .header("origin", format!("http://{PLATFORM_HOST}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email={}&password={}",
                common::client::urlencode(email),
                common::client::urlencode(password)
            )))
            .expect("request");
        let addr: SocketAddr = format!("{ip}:40000").parse().expect("address");
        request.extensions_mut().insert(ConnectInfo(addr));
        request
    };
    for n in 0..20 {
        let email = format!("guess{n}@example.com");
        let r = app
            .request(login_from("203.0.113.7", &email, "Guess-Password-1!"))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }

    let blocked = app
        .request(login_from(
            "203.0.113.7",
            "owner@genius365.test",
            DEMO_PASSWORD,
        ))
        .await;
    let elsewhere = app
        .request(login_from(
            "198.51.100.9",
            "owner@genius365.test",
            DEMO_PASSWORD,
        ))
        .await;

    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Try again in"));
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[tokio::test]
async fn sixty_parallel_wrong_passwords_get_five_checks_and_the_rest_wait() {
    let app = TestApp::seeded().await;
    let attempts = (0..60).map(|i| {
        let app = &app;
        async move {
            let mut client = app.client(PLATFORM_HOST);
            client
                .login("owner@genius365.test", &format!("Wrong-Password-{i}!"))
                .await
        }
    });

    let answers = futures::future::join_all(attempts).await;

    let checked = count(&answers, StatusCode::UNAUTHORIZED);
    let waited = count(&answers, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(checked, 5, "exactly the limit is checked");
    assert_eq!(checked + waited, 60);
    assert_eq!(failures(&app, "password").await, checked);
    assert!(
        answers
            .iter()
            .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
            .all(|a| a.header("retry-after").parse::<u64>().is_ok_and(|s| s > 0))
    );
    // The right password waits too: the account is locked, not just slowed.
    let mut owner = app.client(PLATFORM_HOST);
    let locked = owner.login("owner@genius365.test", DEMO_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_thousand_parallel_second_factor_guesses_get_at_most_five_checks() {
    let app = TestApp::seeded().await;
    let mut owner = app.signed_in(PLATFORM_HOST, "owner@genius365.test").await;
    enrol_two_factor(&mut owner).await;
    let mut half = app.client(PLATFORM_HOST);
    let step_one = half.login("owner@genius365.test", DEMO_PASSWORD).await;
    assert_eq!(step_one.json(), serde_json::json!("SecondFactor"));
    let cookie = half.cookie.clone();

    let guesses = (0..1000).map(|i| {
        let mut guesser = app.client(PLATFORM_HOST);
        guesser.cookie = cookie.clone();
        async move {
            let code = format!("{:06}", i * 997 % 1_000_000);
            guesser
                .post("/api/auth/login-code", &[("code", &code)])
                .await
        }
    });
    let answers = futures::future::join_all(guesses).await;

    let checked = count(&answers, StatusCode::UNPROCESSABLE_ENTITY);
    let waited = count(&answers, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(checked, 5, "exactly the limit is checked");
    assert_eq!(
        checked + waited + count(&answers, StatusCode::OK),
        1000,
        "{:?}",
        answers
            .iter()
            .map(|a| a.status)
            .collect::<std::collections::BTreeSet<_>>()
    );
    assert_eq!(failures(&app, "second_factor").await, checked);
}

#[tokio::test]
async fn rotating_forwarded_addresses_does_not_reset_the_per_address_limit() {
    let app = TestApp::seeded_with(|config| {
        config.proxy = app::client_ip::ProxyTrust::OneHop;
    })
    .await;
    // Each attempt names a fresh account and a fresh left-hand address; the proxy's own
    // entry (the right-most) is the same.
    let mut answers = vec![];
    for i in 0..22 {
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/auth/login")
            .header("host", PLATFORM_HOST)
            .header("origin", "http://localhost:3000")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("192.0.2.{i}, 198.51.100.7"))
            .body(axum::body::Body::from(format!(
                "email=nobody{i}%40example.com&password=Wrong-Password-1"
            )))
            .unwrap();
        answers.push(app.request(request).await.status);
    }

    assert_eq!(
        answers
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        20
    );
    assert_eq!(answers[20], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[21], StatusCode::TOO_MANY_REQUESTS);
}
