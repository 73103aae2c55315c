//! Small text and number helpers both the server and the browser use.

/// An address's query from its non-empty `pairs` (values trimmed and percent-encoded),
/// then `page` when past the first: `status=done&page=2`, without the `?`.
pub fn query_of(pairs: &[(&str, &str)], page: u32) -> String {
    let mut parts: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| format!("{key}={}", percent_encode(value.trim(), b"")))
        .collect();
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    parts.join("&")
}

/// `text` percent-encoded for an address: letters, digits and `-._~` stay, plus any byte
/// in `keep`; everything else becomes `%XX`.
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            b if keep.contains(&b) => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `text` with its `%XX` escapes decoded; an escape that is not two hex digits, or bytes
/// that are not UTF-8, are kept as they are (lossily), never an error.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `part` of `whole` in whole percent, rounded; 0 of nothing is 0.
pub fn percent(part: u64, whole: u64) -> u64 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(date: &impl chrono::Datelike) -> &'static str {
    MONTHS[date.month0() as usize]
}

/// "Dec 5": a day in a chart's description or a bar's title.
pub fn month_day(date: &impl chrono::Datelike) -> String {
    format!("{} {}", month(date), date.day())
}

/// "5 Dec": a chart's axis label.
pub fn day_month(date: &impl chrono::Datelike) -> String {
    format!("{} {}", date.day(), month(date))
}

/// "Dec 5, 14:03": when a call happened, in a table row (UTC, minutes). Written
/// directly rather than through a `strftime` pattern, which is parsed on every use.
pub fn month_day_time(at: &chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{} {}, {:02}:{:02}",
        month(at),
        at.day(),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_undoes_encoding_and_survives_bad_escapes() {
        let text = "Webhooks: Nova — fixed · 100%";
        assert_eq!(percent_decode(&percent_encode(text, b"")), text);
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn percents_round_and_survive_nothing() {
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn only_unreserved_bytes_stay() {
        assert_eq!(
            percent_encode("late fee & co", b""),
            "late%20fee%20%26%20co"
        );
        assert_eq!(percent_encode("a@b.c", b"@"), "a@b.c");
        assert_eq!(percent_encode("é", b""), "%C3%A9");
    }

    #[test]
    fn dates_read_as_the_strftime_patterns_did() {
        use chrono::TimeZone;
        for (y, m, d, h, min) in [
            (2026, 1, 5, 4, 7),
            (2026, 12, 31, 23, 59),
            (2024, 2, 29, 0, 0),
        ] {
            let at = chrono::Utc.with_ymd_and_hms(y, m, d, h, min, 30).unwrap();
            assert_eq!(month_day_time(&at), at.format("%b %-d, %H:%M").to_string());
            assert_eq!(month_day(&at.date_naive()), at.format("%b %-d").to_string());
            assert_eq!(day_month(&at.date_naive()), at.format("%-d %b").to_string());
        }
    }
}
