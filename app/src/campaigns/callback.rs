//! "Call me tomorrow at three": when a person asked to be called back, read in their own
//! time. The analysis of a call gives the words; this turns them into an instant (the
//! campaign then moves it into the person's next calling window). Understood: a date and
//! time (`2026-03-03 15:00`, RFC 3339), "today" / "tomorrow" / a weekday, optionally "at"
//! an hour (digits or words, `3`, `3pm`, `15:30`, `three`), "morning" / "afternoon" /
//! "evening", "in N minutes / hours / days", "next week". An hour without am or pm is
//! read as a business hour (1 to 7 in the afternoon, 8 to 11 in the morning).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

const NUMBERS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn number(word: &str) -> Option<u32> {
    word.parse()
        .ok()
        .or_else(|| {
            NUMBERS
                .iter()
                .position(|n| *n == word)
                .map(|i| i as u32 + 1)
        })
        .or_else(|| (word == "an" || word == "a").then_some(1))
}

/// An hour and minute from words like `3`, `3pm`, `3:30`, `15:30`, `three`, with a
/// following `am` / `pm` / `o'clock` if `next` is one.
fn time_of_day(word: &str, next: Option<&str>) -> Option<(u32, u32)> {
    let (text, mut suffix) = if let Some(t) = word.strip_suffix("pm") {
        (t, Some("pm"))
    } else if let Some(t) = word.strip_suffix("am") {
        (t, Some("am"))
    } else {
        (word, None)
    };
    if suffix.is_none() {
        suffix = next.filter(|n| matches!(*n, "am" | "pm" | "a.m." | "p.m."));
    }
    let (hour, minute) = match text.split_once(':') {
        Some((h, m)) => (h.parse().ok()?, m.parse().ok()?),
        None => (number(text)?, 0),
    };
    if hour > 23 || minute > 59 {
        return None;
    }
    let hour = match suffix.map(|s| s.starts_with('p')) {
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        None if (1..=7).contains(&hour) => hour + 12,
        _ => hour,
    };
    Some((hour, minute))
}

fn at(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let local = date.and_hms_opt(hour, minute, 0)?;
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// When the words ask to be called, in `tz`, said at `now`; `None` when they say no time
/// this understands (the caller then picks one).
pub fn parse(words: &str, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let text = words.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return tz
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc));
        }
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | '!' | '?' | '"' | ';')))
        .filter(|w| !w.is_empty())
        .collect();
    let local_now = now.with_timezone(&tz);
    // "in 2 hours", "in thirty minutes" (digits or the words up to twelve).
    if let Some(i) = words.iter().position(|w| *w == "in")
        && let (Some(n), Some(unit)) = (words.get(i + 1).and_then(|w| number(w)), words.get(i + 2))
    {
        let n = i64::from(n);
        let span = match unit.trim_end_matches('s') {
            "minute" | "min" => Some(Duration::minutes(n)),
            "hour" | "hr" => Some(Duration::hours(n)),
            "day" => Some(Duration::days(n)),
            "week" => Some(Duration::weeks(n)),
            _ => None,
        };
        if let Some(span) = span {
            return Some(now + span);
        }
    }
    let mut date: Option<NaiveDate> = None;
    let mut time: Option<(u32, u32)> = None;
    for (i, w) in words.iter().enumerate() {
        let today = local_now.date_naive();
        match *w {
            "today" | "tonight" => date = Some(today),
            "tomorrow" => date = Some(today + Duration::days(1)),
            "next" if words.get(i + 1) == Some(&"week") => {
                date = Some(today + Duration::days(7));
            }
            "morning" => time = time.or(Some((10, 0))),
            "afternoon" => time = time.or(Some((14, 0))),
            "evening" => time = time.or(Some((18, 0))),
            "noon" | "midday" => time = Some((12, 0)),
            "at" | "around" | "about" => {
                if let Some(word) = words.get(i + 1)
                    && let Some(t) = time_of_day(word, words.get(i + 2).copied())
                {
                    time = Some(t);
                }
            }
            _ => {
                if let Some(day) = WEEKDAYS.iter().position(|d| *d == *w) {
                    let from = today.weekday().num_days_from_monday() as i64;
                    let ahead = (day as i64 - from).rem_euclid(7);
                    date = Some(today + Duration::days(if ahead == 0 { 7 } else { ahead }));
                } else if time.is_none()
                    && (w.ends_with("pm") || w.ends_with("am") || w.contains(':'))
                    && let Some(t) = time_of_day(w, words.get(i + 1).copied())
                {
                    time = Some(t);
                }
            }
        }
    }
    match (date, time) {
        (None, None) => None,
        (Some(date), None) => at(tz, date, 10, 0),
        (date, Some((hour, minute))) => {
            let today = local_now.date_naive();
            let first = at(tz, date.unwrap_or(today), hour, minute)?;
            if date.is_none() && first <= now {
                at(tz, today + Duration::days(1), hour, minute)
            } else {
                Some(first)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    const NY: Tz = chrono_tz::America::New_York;
    /// Tuesday 3 March 2026, 11:00 in New York.
    fn now() -> DateTime<Utc> {
        utc("2026-03-03T16:00:00Z")
    }

    #[test]
    fn tomorrow_at_three_is_the_afternoon_in_their_zone() {
        for words in [
            "Call me tomorrow at three",
            "tomorrow at 3",
            "tomorrow at 3pm",
            "Tomorrow at 3 pm, please",
            "tomorrow at 15:00",
        ] {
            assert_eq!(
                parse(words, NY, now()),
                Some(utc("2026-03-04T20:00:00Z")),
                "{words}"
            );
        }
        assert_eq!(
            parse("tomorrow at 3", chrono_tz::Europe::Berlin, now()),
            Some(utc("2026-03-04T14:00:00Z"))
        );
    }

    #[test]
    fn days_parts_of_days_and_spans() {
        assert_eq!(
            parse("friday morning", NY, now()),
            Some(utc("2026-03-06T15:00:00Z"))
        );
        assert_eq!(
            parse("on Tuesday at 10am", NY, now()),
            Some(utc("2026-03-10T14:00:00Z")),
            "today is Tuesday, so the next one; 10am EDT after the change"
        );
        assert_eq!(
            parse("in 2 hours", NY, now()),
            Some(utc("2026-03-03T18:00:00Z"))
        );
        assert_eq!(
            parse("in an hour", NY, now()),
            Some(utc("2026-03-03T17:00:00Z"))
        );
        assert_eq!(
            parse("at 9", NY, now()),
            Some(utc("2026-03-04T14:00:00Z")),
            "9 has passed today, so tomorrow"
        );
        assert_eq!(
            parse("2026-03-05 16:30", NY, now()),
            Some(utc("2026-03-05T21:30:00Z"))
        );
        assert_eq!(
            parse("2026-03-05T16:30:00Z", NY, now()),
            Some(utc("2026-03-05T16:30:00Z"))
        );
    }

    #[test]
    fn words_without_a_time_give_none() {
        assert_eq!(parse("call me later", NY, now()), None);
        assert_eq!(parse("", NY, now()), None);
        assert_eq!(parse("at 99", NY, now()), None);
    }
}
