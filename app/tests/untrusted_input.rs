//! Every parser that reads outside input, fed arbitrary input: provider webhook bodies,
//! the calls filter, money and rate strings, tokens and codes, host names and client
//! addresses, byte ranges and CSV cells. Each answers with a value or an error and never
//! panics, and what it writes it reads back the same.
//!
//! Run with `cargo test -p app --features ssr`.

#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used)] // a failed property is the test failing

use app::billing::model::{Cents, dollars, parse_rate};
use app::calls::filter::CallFilter;
use app::client_ip::{Cidr, ProxyTrust, client_ip, parse_ranges};
use app::phone::E164;
use app::providers::{CallRecord, retell, sandbox, vapi};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    }
}

/// Text a hostile client might send: anything, often near the shapes parsers expect.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+$0-9.,eE ]{0,24}",
        "[a-z0-9.:\\[\\]-]{0,40}",
        "bytes=[0-9-,]{0,20}",
        "[0-9a-f:./]{0,45}",
    ]
}

/// JSON-ish bodies: arbitrary bytes, and JSON with the fields the providers send holding
/// values of every type.
fn webhook_body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("event".to_owned()),
                    Just("call".to_owned()),
                    Just("message".to_owned()),
                    Just("type".to_owned()),
                    Just("call_id".to_owned()),
                    Just("id".to_owned()),
                    Just("duration_ms".to_owned()),
                    Just("startedAt".to_owned()),
                    Just("endedAt".to_owned()),
                    Just("transcript_object".to_owned()),
                    Just("call_cost".to_owned()),
                    Just("status".to_owned()),
                    "[a-z_]{1,10}",
                ],
                inner,
                0..6,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        value.prop_map(|v| serde_json::to_vec(&v).unwrap()),
        Just(br#"{"event":"call_ended","call":{"call_id":"c","duration_ms":9223372036854775807}}"#.to_vec()),
        Just(br#"{"message":{"type":"end-of-call-report","call":{"id":"x","startedAt":"-262143-01-01T00:00:00Z","endedAt":"+262142-12-31T23:59:59Z"}}}"#.to_vec()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn provider_webhook_bodies_never_panic(body in webhook_body()) {
        for parsed in [vapi::parse_webhook(&body), retell::parse_webhook(&body), sandbox::parse_webhook(&body)] {
            if let Ok(app::providers::webhook::WebhookEvent::Call(record)) = parsed {
                // Whatever was read is either a possible call or refused, never both.
                let _ = record.check();
                let _ = app::billing::model::billed_minutes(record.duration_seconds);
            }
        }
    }

    #[test]
    fn every_call_record_is_checked_without_panicking(duration in any::<i32>(), cost in any::<i64>()) {
        let record = CallRecord { duration_seconds: duration, cost_cents: cost, ..Default::default() };
        let accepted = record.check().is_ok();
        prop_assert_eq!(accepted, (0..=86_400).contains(&duration) && (0..=1_000_000).contains(&cost));
        let minutes = app::billing::model::billed_minutes(duration);
        prop_assert!((0..=1440).contains(&minutes));
    }

    #[test]
    fn the_calls_filter_answers_every_input(
        status in hostile_text(), direction in hostile_text(), agent in hostile_text(),
        outcome in hostile_text(), from in hostile_text(), to in hostile_text(), q in any::<String>(),
    ) {
        let filter = CallFilter { status, direction, agent, outcome, from, to, q };
        let _ = filter.check();
        let _ = filter.to_query(1);
    }

    #[test]
    fn phone_numbers_answer_every_input(text in hostile_text(), digits in "\\+[0-9]{6,16}") {
        for typed in [&text, &digits] {
            if let Some(number) = E164::from_typed(typed) {
                prop_assert_eq!(E164::parse(number.as_str()), Some(number.clone()));
            }
        }
    }

    #[test]
    fn money_strings_answer_every_input(text in hostile_text()) {
        if let Ok(cents) = Cents::parse_dollars(&text) {
            prop_assert!(cents != Cents(0));
            prop_assert_eq!(Cents::parse_dollars(&cents.to_string()), Ok(cents));
        }
        let _ = parse_rate(&text);
    }

    #[test]
    fn amounts_round_trip_through_their_text(cents in -10_000_000i64..=10_000_000) {
        prop_assume!(cents != 0);
        prop_assert_eq!(Cents::parse_dollars(&dollars(cents)), Ok(Cents(cents)));
    }

    #[test]
    fn tokens_and_codes_answer_every_input(text in any::<String>(), now in any::<i64>(), last in any::<Option<i64>>()) {
        let hashed = app::auth::token::hash(&text);
        prop_assert_eq!(hashed.len(), 64);
        let _ = app::auth::totp::normalize_recovery_code(&text);
        let _ = app::auth::totp::verify("JBSWY3DPEHPK3PXP", &text, now, last);
    }

    #[test]
    fn host_names_answer_every_input(host in hostile_text(), domain in hostile_text()) {
        let bare = app::tenancy::service::strip_port(&host);
        prop_assert!(host.starts_with(bare));
        if let Some(slug) = app::tenancy::service::subdomain_slug(bare, &domain) {
            prop_assert!(!slug.is_empty() && !slug.contains('.'));
        }
    }

    #[test]
    fn client_addresses_answer_every_header(
        header in hostile_text(), cidrs in hostile_text(), peer in any::<Option<std::net::IpAddr>>(),
    ) {
        let _ = Cidr::parse(&cidrs);
        let ranges = parse_ranges(&cidrs).unwrap_or_default();
        for trust in [ProxyTrust::None, ProxyTrust::OneHop, ProxyTrust::Ranges(ranges)] {
            let _ = client_ip(peer, [header.as_str()], &trust);
        }
        // Without trust, the header never matters.
        prop_assert_eq!(client_ip(peer, [header.as_str()], &ProxyTrust::None), peer.map(|p| match p {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(p, std::net::IpAddr::V4),
            v4 => v4,
        }));
    }

    #[test]
    fn byte_ranges_stay_inside_the_body(header in hostile_text(), len in 0usize..100_000) {
        if let Some((start, end)) = app::calls::recording::byte_range(&header, len) {
            prop_assert!(start <= end && end < len);
        }
    }

    #[test]
    fn csv_cells_read_back_as_written_and_never_start_a_formula(text in any::<String>()) {
        let cell = app::csv::field(&text);
        let read = unquote(&cell);
        // Either the text itself, or the text behind the `'` that disarms a formula.
        prop_assert!(read == text || read == format!("'{text}"), "{cell:?} → {read:?}");
        // `+` and `-` may stay in front of numbers (phone numbers, amounts); `=` and `@`
        // never lead a cell.
        prop_assert!(!read.starts_with(['=', '@']));
    }
}

/// Reads one CSV field as RFC 4180 writes it.
fn unquote(cell: &str) -> String {
    match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => cell.to_owned(),
    }
}
