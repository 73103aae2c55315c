//! When a recipient may be called: the campaign's weekly windows read in the recipient's
//! own time, across daylight-saving changes. A recipient's zone is the one their list
//! gave, else their number's country's (inside windows open in every zone of a country
//! that has several, since which one is theirs is not known), else the campaign's.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::model::Window;
use super::zones::BY_COUNTRY;

/// The zones a recipient's windows are read in: open only when open in all of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Zones(Vec<Tz>);

/// The stored form of "every zone of a country": `@` and its code.
const COUNTRY_PREFIX: char = '@';

impl Zones {
    pub fn one(tz: Tz) -> Self {
        Self(vec![tz])
    }

    /// The zones of a recipient from what is stored for them (`None`: the campaign's).
    pub fn of(stored: Option<&str>, campaign: Tz) -> Self {
        stored
            .and_then(|text| match text.strip_prefix(COUNTRY_PREFIX) {
                Some(country) => country_zones(country).map(Self),
                None => parse_zone(text).map(Self::one),
            })
            .unwrap_or_else(|| Self::one(campaign))
    }

    pub fn zones(&self) -> &[Tz] {
        &self.0
    }
}

/// An IANA zone name, as chrono-tz knows it.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// The zones of a country (ISO 3166 alpha-2).
fn country_zones(country: &str) -> Option<Vec<Tz>> {
    let (_, names) = BY_COUNTRY.iter().find(|(code, _)| *code == country)?;
    let zones: Vec<Tz> = names.iter().filter_map(|n| parse_zone(n)).collect();
    (!zones.is_empty()).then_some(zones)
}

/// What to store for a number's country: its one zone's name, or `@` and the country's
/// code when it has several; `None` when the country is not known.
pub fn zone_of_country(country: &str) -> Option<String> {
    let (code, names) = BY_COUNTRY.iter().find(|(code, _)| *code == country)?;
    match names {
        [one] => Some((*one).to_owned()),
        [] => None,
        _ => Some(format!("{COUNTRY_PREFIX}{code}")),
    }
}

/// Whether `at` falls inside a window in the zone.
fn open_in(windows: &[Window], tz: Tz, at: DateTime<Utc>) -> bool {
    let local = at.with_timezone(&tz);
    let day = local.weekday().num_days_from_monday();
    let minute = local.hour() * 60 + local.minute();
    windows.iter().any(|w| {
        u32::from(w.day) == day && u32::from(w.start) <= minute && minute < u32::from(w.end)
    })
}

/// Whether `at` falls inside a window in every one of the zones.
pub fn is_open(windows: &[Window], zones: &Zones, at: DateTime<Utc>) -> bool {
    zones.0.iter().all(|tz| open_in(windows, *tz, at))
}

/// The instant a local time of `date` happens in `tz`: the earlier of two when the clocks
/// go back, and the first minute after the gap when they go forward past it.
fn instant(tz: Tz, date: NaiveDate, minute: u16) -> Option<DateTime<Utc>> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let wanted = midnight + Duration::minutes(i64::from(minute));
    for skip in 0..=180 {
        match tz.from_local_datetime(&(wanted + Duration::minutes(skip))) {
            LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(early, _) => return Some(early.with_timezone(&Utc)),
            LocalResult::None => continue,
        }
    }
    None
}

/// The first instant at or after `after` inside a window in every zone, if one comes
/// before `until` (and within the next two weeks; windows repeat weekly).
pub fn next_open(
    windows: &[Window],
    zones: &Zones,
    after: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    if is_open(windows, zones, after) {
        return until.is_none_or(|u| after < u).then_some(after);
    }
    // An intersection of windows opens when the last of them does: at some zone's start.
    let mut starts: Vec<DateTime<Utc>> = vec![];
    for tz in &zones.0 {
        let first = after.with_timezone(tz).date_naive() - Duration::days(1);
        for offset in 0..15 {
            let date = first + Duration::days(offset);
            let day = date.weekday().num_days_from_monday();
            for w in windows.iter().filter(|w| u32::from(w.day) == day) {
                if let Some(t) = instant(*tz, date, w.start)
                    && t > after
                {
                    starts.push(t);
                }
            }
        }
    }
    starts.sort_unstable();
    starts
        .into_iter()
        .take_while(|t| until.is_none_or(|u| *t < u))
        .find(|t| is_open(windows, zones, *t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::model::default_windows;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn ny() -> Zones {
        Zones::one(chrono_tz::America::New_York)
    }

    #[test]
    fn windows_are_read_in_the_recipients_time() {
        let windows = default_windows(); // weekdays 09:00–20:00
        // Monday 2026-03-02 13:59 UTC is 08:59 in New York: closed; a minute later, open.
        assert!(!is_open(&windows, &ny(), utc("2026-03-02T13:59:00Z")));
        assert!(is_open(&windows, &ny(), utc("2026-03-02T14:00:00Z")));
        // 20:00 is the end, excluded.
        assert!(!is_open(&windows, &ny(), utc("2026-03-03T01:00:00Z")));
        // The same instant is 14:00 in London: open there.
        let london = Zones::one(chrono_tz::Europe::London);
        assert!(is_open(&windows, &london, utc("2026-03-02T14:00:00Z")));
        // Saturday: closed all day, so the next opening is Monday 09:00.
        assert_eq!(
            next_open(&windows, &ny(), utc("2026-03-07T15:00:00Z"), None),
            Some(utc("2026-03-09T13:00:00Z")),
            "Monday 9 March is after the clocks went forward (EDT, UTC−4)"
        );
    }

    #[test]
    fn daylight_saving_moves_the_window_in_utc() {
        let windows = default_windows();
        // Friday 6 March 2026 09:00 EST is 14:00 UTC; Monday 9 March 09:00 EDT is 13:00 UTC.
        assert_eq!(
            next_open(&windows, &ny(), utc("2026-03-06T05:00:00Z"), None),
            Some(utc("2026-03-06T14:00:00Z"))
        );
        // Autumn: Monday 2 November 2026 09:00 EST is 14:00 UTC again.
        assert_eq!(
            next_open(&windows, &ny(), utc("2026-11-01T20:00:00Z"), None),
            Some(utc("2026-11-02T14:00:00Z"))
        );
    }

    #[test]
    fn a_window_starting_in_the_spring_gap_opens_when_the_clock_lands() {
        // Sunday 8 March 2026, New York: 02:00 jumps to 03:00.
        let windows = vec![Window {
            day: 6,
            start: 2 * 60 + 30,
            end: 4 * 60,
        }];
        assert_eq!(
            next_open(&windows, &ny(), utc("2026-03-08T05:00:00Z"), None),
            Some(utc("2026-03-08T07:00:00Z")),
            "03:00 EDT, the first minute after the gap"
        );
        // Autumn, 1 November 2026: 01:30 happens twice; the first counts.
        let windows = vec![Window {
            day: 6,
            start: 60 + 30,
            end: 3 * 60,
        }];
        assert_eq!(
            next_open(&windows, &ny(), utc("2026-11-01T04:00:00Z"), None),
            Some(utc("2026-11-01T05:30:00Z")),
            "01:30 EDT (UTC−4), not 01:30 EST"
        );
    }

    #[test]
    fn a_country_of_many_zones_is_called_when_open_in_all() {
        let us = Zones::of(zone_of_country("US").as_deref(), chrono_tz::UTC);
        assert!(us.zones().len() > 20);
        // Weekday 09:00–20:00 everywhere from New York to Honolulu: 15:00–20:00 in New York.
        let windows = default_windows();
        let opens = next_open(&windows, &us, utc("2026-03-02T12:00:00Z"), None).unwrap();
        assert_eq!(opens, utc("2026-03-02T19:00:00Z"), "09:00 in Honolulu");
        assert!(
            !is_open(&windows, &us, utc("2026-03-03T01:00:00Z")),
            "20:00 in New York"
        );
        // A country of one zone stores its name.
        assert_eq!(zone_of_country("FR").as_deref(), Some("Europe/Paris"));
        assert_eq!(zone_of_country("ZZ"), None);
    }

    #[test]
    fn nothing_opens_before_the_end_or_without_windows() {
        let windows = default_windows();
        let saturday = utc("2026-03-07T15:00:00Z");
        assert_eq!(
            next_open(&windows, &ny(), saturday, Some(utc("2026-03-09T12:00:00Z"))),
            None
        );
        assert_eq!(next_open(&[], &ny(), saturday, None), None);
        // Unknown stored zones fall back to the campaign's.
        assert_eq!(
            Zones::of(Some("Mars/Olympus"), chrono_tz::UTC),
            Zones::one(chrono_tz::UTC)
        );
    }
}
