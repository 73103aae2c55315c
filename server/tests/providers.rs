//! The provider HTTP layer against loopback simulators: keys checked, refusals explained,
//! 429 and 5xx retried with Retry-After honoured.

mod common;

use std::time::Duration;

use app::integrations::model::Provider;
use app::providers::error::ProviderErrorKind;
use app::providers::http::ProviderHttp;
use app::providers::{retell, vapi};
use common::voice_sim::{RETELL_KEY, VAPI_KEY, VoiceSim};

fn http(provider: Provider, url: &str) -> ProviderHttp {
    let mut http = ProviderHttp::new(provider, url).expect("client");
    http.backoff = Duration::from_millis(10);
    http
}

#[tokio::test]
async fn a_good_key_passes_and_a_wrong_one_is_explained() {
    let (_sim, url) = VoiceSim::start().await;
    let vapi_http = http(Provider::Vapi, &url);
    let retell_http = http(Provider::Retell, &url);

    assert_eq!(vapi::check_key(&vapi_http, VAPI_KEY).await, Ok(()));
    assert_eq!(retell::check_key(&retell_http, RETELL_KEY).await, Ok(()));
    let wrong = vapi::check_key(&vapi_http, "vapi-public-key")
        .await
        .expect_err("refused");
    let wrong_retell = retell::check_key(&retell_http, "nope")
        .await
        .expect_err("refused");

    assert_eq!(wrong.kind, ProviderErrorKind::Unauthorized);
    assert_eq!(wrong.status, Some(401));
    assert!(
        wrong.to_string().starts_with("VAPI refused the key."),
        "{wrong}"
    );
    assert_eq!(wrong_retell.kind, ProviderErrorKind::Unauthorized);
    assert!(
        wrong_retell.to_string().contains("api key"),
        "{wrong_retell}"
    );
}

#[tokio::test]
async fn rate_limits_and_outages_are_retried_then_reported() {
    let (sim, url) = VoiceSim::start().await;
    let vapi_http = http(Provider::Vapi, &url);

    sim.fail_with(&[429, 503]);
    let recovered = vapi::check_key(&vapi_http, VAPI_KEY).await;
    let after_recovery = sim.request_count();
    sim.fail_with(&[500, 502, 503]);
    let down = vapi::check_key(&vapi_http, VAPI_KEY)
        .await
        .expect_err("down");

    assert_eq!(recovered, Ok(()), "the third attempt succeeds");
    assert_eq!(after_recovery, 3);
    assert!(
        matches!(down.kind, ProviderErrorKind::Unavailable(_)),
        "{down:?}"
    );
    assert!(down.to_string().contains("could not be reached"), "{down}");
}

#[tokio::test]
async fn an_unreachable_provider_is_reported_without_hanging() {
    let vapi_http = http(Provider::Vapi, "http://127.0.0.1:9");

    let error = vapi::check_key(&vapi_http, VAPI_KEY)
        .await
        .expect_err("unreachable");

    assert!(
        matches!(error.kind, ProviderErrorKind::Unavailable(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("connection refused"), "{error}");
}
