//! The configuration read from chosen environments.

use super::*;
use std::collections::HashMap;

fn parse(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn an_empty_environment_gives_local_defaults() {
    let config = parse(&[]).expect("defaults are valid");
    assert_eq!(config.environment, Environment::Development);
    assert_eq!(config.database_url, "sqlite://./data/genius365.db?mode=rwc");
    assert_eq!(config.app_url, "http://localhost:3000");
    assert_eq!(config.platform_domain, "localhost");
    assert_eq!(config.log_format, LogFormat::Pretty);
    assert!(config.secret_key.is_none());
    assert!(!config.https());
}

#[test]
fn email_goes_to_the_outbox_unless_resend_is_configured() {
    let local = parse(&[]).expect("defaults");
    assert!(local.email.resend.is_none());
    assert_eq!(local.email.from_address(), "no-reply@genius365.app");
    assert_eq!(local.proxy, crate::client_ip::ProxyTrust::None);

    let sending = parse(&[
        ("RESEND_API_KEY", "re_123"),
        ("RESEND_BASE_URL", "http://127.0.0.1:9999/"),
        ("EMAIL_FROM", "Acme <hello@acme.example>"),
        ("TRUST_PROXY", "true"),
    ])
    .expect("parses");
    let resend = sending.email.resend.as_ref().expect("resend");
    assert_eq!(resend.base_url, "http://127.0.0.1:9999");
    assert_eq!(sending.email.from_address(), "hello@acme.example");
    assert_eq!(sending.proxy, crate::client_ip::ProxyTrust::OneHop);
    let ranged = parse(&[("TRUSTED_PROXIES", "10.0.0.0/8, 172.16.0.0/12")]).expect("parses");
    assert!(matches!(ranged.proxy, crate::client_ip::ProxyTrust::Ranges(ref r) if r.len() == 2));
    assert!(
        !format!("{sending:?}").contains("re_123"),
        "the key never prints"
    );
}

#[test]
fn a_wrong_value_names_its_variable() {
    let cases = [
        ("LOG_FORMAT", "xml"),
        ("APP_URL", "localhost:3000"),
        ("DATABASE_URL", "mysql://x"),
        ("PLATFORM_DOMAIN", "https://genius365.app"),
        ("SECRET_KEY", "not base64!"),
        ("SECRET_KEY", "c2hvcnQ="),
        ("APP_ENV", "staging"),
        ("TRUST_PROXY", "yes"),
        ("EMAIL_FROM", "nobody"),
        ("VAPI_BASE_URL", "api.vapi.ai"),
        ("RETELL_WEB_CALL_URL", "https://retell.example"),
    ];
    for (var, value) in cases {
        let err = parse(&[(var, value)]).expect_err(var);
        assert_eq!(err.var, var, "{value}");
        assert!(err.to_string().contains(var));
    }
}

#[test]
fn web_calls_may_reach_the_providers_media_servers() {
    let urls = ProviderUrls {
        vapi: "http://127.0.0.1:9100/v1".into(),
        retell_web_call: "ws://127.0.0.1:9100".into(),
        ..ProviderUrls::default()
    };
    assert_eq!(
        urls.web_call_sources(),
        [
            "http://127.0.0.1:9100",
            "https://*.daily.co",
            "wss://*.daily.co",
            "ws://127.0.0.1:9100",
        ]
    );
    let defaults = ProviderUrls::default().web_call_sources();
    assert!(defaults.contains(&"https://api.vapi.ai".to_owned()));
    assert!(defaults.contains(&"wss://retell-ai-4ihahnq7.livekit.cloud".to_owned()));
    assert!(defaults.contains(&"https://retell-ai-4ihahnq7.livekit.cloud".to_owned()));
}

#[test]
fn production_requires_a_secret_key() {
    let err = parse(&[("APP_ENV", "production")]).expect_err("no key");
    assert_eq!(err.var, "SECRET_KEY");
    let key = SecretKey::generate().to_base64();
    let config = parse(&[("APP_ENV", "production"), ("SECRET_KEY", &key)]).expect("key given");
    assert_eq!(config.secret_key.map(|k| k.to_base64()), Some(key));
}

#[test]
fn app_url_loses_its_trailing_slash_and_https_is_detected() {
    let config = parse(&[("APP_URL", "https://app.example.com/")]).expect("valid");
    assert_eq!(config.app_url, "https://app.example.com");
    assert!(config.https());
}

#[test]
fn the_local_key_is_generated_once_and_then_reused() {
    let dir = std::env::temp_dir().join(format!("g365-key-{}", uuid::Uuid::now_v7()));
    let mut first = parse(&[("DATA_DIR", dir.to_str().expect("utf-8"))]).expect("valid");
    let key = first.ensure_secret_key().expect("created").clone();
    let mut second = parse(&[("DATA_DIR", dir.to_str().expect("utf-8"))]).expect("valid");
    assert_eq!(second.ensure_secret_key().expect("loaded"), &key);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn sqlite_paths_are_found_in_urls() {
    assert_eq!(
        sqlite_file_path("sqlite://./data/a.db?mode=rwc").as_deref(),
        Some("./data/a.db")
    );
    assert_eq!(
        sqlite_file_path("sqlite:/tmp/b.db").as_deref(),
        Some("/tmp/b.db")
    );
    assert_eq!(sqlite_file_path("sqlite::memory:"), None);
    assert_eq!(sqlite_file_path("postgres://localhost/x"), None);
}
