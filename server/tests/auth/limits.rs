//! Rate limits on sign-in and second-factor guesses, per account and per address, under
//! parallel load.
//!
//! Where the `Retry-After` header is checked, or the request must come from a given address
//! (a connection's own, or a proxy's `X-Forwarded-For`), the sign-in is posted by hand.

use super::*;

#[tokio::test]
async fn the_sixth_failed_sign_in_of_an_account_is_refused_with_when_to_retry() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let member = platform.person(PartnerRole::Member).await;
    let mut client = platform.visitor();
    for _ in 0..5 {
        let r = client.call(login(&owner.email, "Wrong-Password-1!")).await;
        assert_eq!(r.unwrap_err().status, StatusCode::UNAUTHORIZED);
    }

    let blocked = client.login(&owner.email, DEMO_PASSWORD).await;

    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        blocked.body.contains("Too many attempts. Try again in"),
        "{}",
        blocked.body
    );
    let retry: u64 = blocked.header("retry-after").parse().expect("Retry-After");
    assert!((850..=900).contains(&retry), "about 15 minutes: {retry}");
    let other = client.call(login(&member.email, DEMO_PASSWORD)).await;
    assert!(
        matches!(other, Ok(LoginOutcome::SignedIn { .. })),
        "other accounts are unaffected: {other:?}"
    );
}

#[tokio::test]
async fn one_address_failing_across_many_accounts_is_slowed_but_others_are_not() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use std::net::SocketAddr;

    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let login_from = |ip: &str, email: &str, password: &str| {
        let mut request = Request::post(Login::PATH)
            .header("host", &platform.host)
            .header("origin", format!("http://{}", platform.host))
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
        .request(login_from("203.0.113.7", &owner.email, DEMO_PASSWORD))
        .await;
    let elsewhere = app
        .request(login_from("198.51.100.9", &owner.email, DEMO_PASSWORD))
        .await;

    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Try again in"));
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[tokio::test]
async fn sixty_parallel_wrong_passwords_get_five_checks_and_the_rest_wait() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    let attempts = (0..60).map(|i| {
        let mut client = platform.visitor();
        let email = &owner.email;
        async move { client.login(email, &format!("Wrong-Password-{i}!")).await }
    });

    let answers = futures::future::join_all(attempts).await;

    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    let checked = count(&statuses, StatusCode::UNAUTHORIZED);
    let waited = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
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
    let locked = platform
        .visitor()
        .call(login(&owner.email, DEMO_PASSWORD))
        .await;
    assert_eq!(locked.unwrap_err().status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_thousand_parallel_second_factor_guesses_get_at_most_five_checks() {
    let app = TestApp::new().await;
    let platform = app.platform().await;
    let owner = platform.person(PartnerRole::Owner).await;
    enrol_two_factor(&mut owner.client().await).await;
    let mut half = platform.visitor();
    let step_one = half.call(login(&owner.email, DEMO_PASSWORD)).await;
    assert_eq!(step_one, Ok(LoginOutcome::SecondFactor));
    let cookie = half.cookie.clone();

    let guesses = (0..1000).map(|i| {
        let mut guesser = platform.visitor();
        guesser.cookie = cookie.clone();
        async move {
            let code = format!("{:06}", i * 997 % 1_000_000);
            match guesser.call(login_code(&code)).await {
                Ok(_) => StatusCode::OK,
                Err(refused) => refused.status,
            }
        }
    });
    let statuses = futures::future::join_all(guesses).await;

    let checked = count(&statuses, StatusCode::UNPROCESSABLE_ENTITY);
    let waited = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(checked, 5, "exactly the limit is checked");
    assert_eq!(
        checked + waited + count(&statuses, StatusCode::OK),
        1000,
        "{:?}",
        statuses.iter().collect::<std::collections::BTreeSet<_>>()
    );
    assert_eq!(failures(&app, "second_factor").await, checked);
}

#[tokio::test]
async fn rotating_forwarded_addresses_does_not_reset_the_per_address_limit() {
    let app = TestApp::with_config(|config| {
        config.proxy = app::client_ip::ProxyTrust::OneHop;
    })
    .await;
    let platform = app.platform().await;
    // Each attempt names a fresh account and a fresh left-hand address; the proxy's own
    // entry (the right-most) is the same.
    let mut answers = vec![];
    for i in 0..22 {
        let request = axum::http::Request::builder()
            .method("POST")
            .uri(Login::PATH)
            .header("host", &platform.host)
            .header("origin", format!("http://{}", platform.host))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("192.0.2.{i}, 198.51.100.7"))
            .body(axum::body::Body::from(format!(
                "email=nobody{i}%40example.com&password=Wrong-Password-1"
            )))
            .unwrap();
        answers.push(app.request(request).await.status);
    }

    assert_eq!(count(&answers, StatusCode::UNAUTHORIZED), 20);
    assert_eq!(answers[20], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[21], StatusCode::TOO_MANY_REQUESTS);
}
