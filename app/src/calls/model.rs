//! What a call is made of, as pages see it.

use serde::{Deserialize, Serialize};

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// `agent`, `user` or `tool`.
    pub role: String,
    pub text: String,
    /// Seconds from the start of the call.
    pub seconds: f32,
}

/// Statuses a call passes through, in order; the last four are final.
pub const STATUSES: [&str; 7] = [
    "initiated",
    "ringing",
    "in_progress",
    "completed",
    "failed",
    "no_answer",
    "busy",
];

/// Whether a call in `status` is over.
pub fn is_final(status: &str) -> bool {
    matches!(status, "completed" | "failed" | "no_answer" | "busy")
}

/// How far along a call in `status` is: a stored call only ever moves to a higher stage,
/// so late or repeated news cannot move it back.
pub fn stage(status: &str) -> u8 {
    match status {
        "ringing" => 1,
        "in_progress" => 2,
        s if is_final(s) => 3,
        _ => 0,
    }
}

/// Where a call went.
pub const DIRECTIONS: [&str; 3] = ["inbound", "outbound", "web"];

/// How a call turned out, as the calls page groups it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Answered,
    Voicemail,
    NoAnswer,
    Busy,
    Failed,
    InProgress,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Answered,
        Outcome::Voicemail,
        Outcome::NoAnswer,
        Outcome::Busy,
        Outcome::Failed,
        Outcome::InProgress,
    ];

    /// From a call's status and the provider's end reason.
    pub fn of(status: &str, end_reason: Option<&str>) -> Self {
        match status {
            "completed" if end_reason.is_some_and(is_voicemail) => Self::Voicemail,
            "completed" => Self::Answered,
            "no_answer" => Self::NoAnswer,
            "busy" => Self::Busy,
            "failed" => Self::Failed,
            _ => Self::InProgress,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Voicemail => "voicemail",
            Self::NoAnswer => "no_answer",
            Self::Busy => "busy",
            Self::Failed => "failed",
            Self::InProgress => "in_progress",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Answered => "Answered",
            Self::Voicemail => "Voicemail",
            Self::NoAnswer => "No answer",
            Self::Busy => "Busy",
            Self::Failed => "Failed",
            Self::InProgress => "In progress",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// End reasons that mean a machine, not a person, took the call.
pub fn is_voicemail(end_reason: &str) -> bool {
    let reason = end_reason.to_ascii_lowercase();
    reason.contains("voicemail") || reason.contains("machine")
}

/// A status as people read it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "initiated" => "Initiated",
        "ringing" => "Ringing",
        "in_progress" => "In progress",
        "completed" => "Completed",
        "failed" => "Failed",
        "no_answer" => "No answer",
        "busy" => "Busy",
        _ => "Unknown",
    }
}

/// The calls page's filters as they travel in its address (`?status=…&q=…`); every field
/// is optional, empty meaning "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFilter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub direction: String,
    /// An agent id.
    #[serde(default)]
    pub agent: String,
    #[serde(default)]
    pub outcome: String,
    /// First day, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), included.
    #[serde(default)]
    pub to: String,
    /// Words to find in transcripts, summaries, caller names and numbers.
    #[serde(default)]
    pub q: String,
}

/// A filter that has been checked: every part is known to be meaningful.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallQuery {
    pub status: Option<String>,
    pub direction: Option<String>,
    pub agent_id: Option<uuid::Uuid>,
    pub outcome: Option<Outcome>,
    /// From the start of this day.
    pub from: Option<chrono::NaiveDate>,
    /// Up to the end of this day.
    pub to: Option<chrono::NaiveDate>,
    pub terms: Vec<String>,
    /// Calls an outside search index (Algolia) found for the terms; when set, these stand
    /// in for the built-in search.
    pub matched: Option<Vec<uuid::Uuid>>,
}

impl CallFilter {
    /// Checks every part, naming the field that is wrong.
    pub fn check(&self) -> Result<CallQuery, crate::error::AppError> {
        let mut fields = crate::error::FieldErrors::new();
        let mut complain = |field: &str, message: String| {
            fields.insert(field.to_owned(), vec![message]);
        };
        let pick = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        let status = pick(&self.status);
        if let Some(s) = &status
            && !STATUSES.contains(&s.as_str())
        {
            complain("status", format!("\"{s}\" is not a call status."));
        }
        let direction = pick(&self.direction);
        if let Some(d) = &direction
            && !DIRECTIONS.contains(&d.as_str())
        {
            complain("direction", "Direction is inbound, outbound or web.".into());
        }
        let agent_id = match pick(&self.agent) {
            None => None,
            Some(a) => match uuid::Uuid::parse_str(&a) {
                Ok(id) => Some(id),
                Err(_) => {
                    complain("agent", "That is not an agent of this workspace.".into());
                    None
                }
            },
        };
        let outcome = match pick(&self.outcome) {
            None => None,
            Some(o) => {
                let parsed = Outcome::parse(&o);
                if parsed.is_none() {
                    complain("outcome", format!("\"{o}\" is not an outcome."));
                }
                parsed
            }
        };
        let mut day = |field: &str, text: &str| match pick(text) {
            None => None,
            Some(t) => match chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    complain(field, "Use a date like 2026-11-24.".into());
                    None
                }
            },
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            fields.insert(
                "to".into(),
                vec!["The last day comes before the first.".into()],
            );
        }
        if self.q.chars().count() > 200 {
            fields.insert(
                "q".into(),
                vec!["Search for at most 200 characters.".into()],
            );
        }
        if let Some(error) = crate::error::AppError::from_fields(fields) {
            return Err(error);
        }
        Ok(CallQuery {
            status,
            direction,
            agent_id,
            outcome,
            from,
            to,
            terms: search_terms(&self.q),
            matched: None,
        })
    }

    /// The address query for these filters on `page` (pages count from 1).
    pub fn to_query(&self, page: u32) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("status", &self.status),
            ("direction", &self.direction),
            ("agent", &self.agent),
            ("outcome", &self.outcome),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!(
                    "{key}={}",
                    crate::text::percent_encode(value.trim(), b"")
                ));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// The words of a search, lower-cased: letters and digits only, so nothing a person
/// types can be read as search syntax. At most eight, each at most 64 characters.
pub fn search_terms(q: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in q.split(|c: char| !c.is_alphanumeric()) {
        let word: String = word.chars().take(64).collect::<String>().to_lowercase();
        if !word.is_empty() && !terms.contains(&word) {
            terms.push(word);
        }
        if terms.len() == 8 {
            break;
        }
    }
    terms
}

/// A piece of text, marked when it matched the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// `text` cut into pieces where words starting with one of `terms` are marked (search
/// finds words by their beginning, so "refund" marks "refunds").
pub fn highlight(text: &str, terms: &[String]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if text.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => pieces.push(Piece {
                text: text.to_owned(),
                hit,
            }),
        }
    };
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(rest.len(), |(i, _)| i);
        push(&rest[..start], false);
        rest = &rest[start..];
        let end = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..end];
        let lower = word.to_lowercase();
        push(word, terms.iter().any(|t| lower.starts_with(t.as_str())));
        rest = &rest[end..];
    }
    pieces
}

/// The stretch of `text` around its first match, at most about `width` characters, with
/// the matches marked; `None` when nothing in it matches.
pub fn snippet(text: &str, terms: &[String], width: usize) -> Option<Vec<Piece>> {
    let pieces = highlight(text, terms);
    let first_hit = pieces.iter().position(|p| p.hit)?;
    let before: usize = pieces[..first_hit]
        .iter()
        .map(|p| p.text.chars().count())
        .sum();
    let skip = before.saturating_sub(width / 3);
    let chars: Vec<char> = text.chars().collect();
    // Start and end on word boundaries.
    let mut start = skip;
    while start > 0 && start < chars.len() && chars[start - 1].is_alphanumeric() {
        start += 1;
    }
    let mut end = (start + width).min(chars.len());
    while end < chars.len() && chars[end].is_alphanumeric() {
        end += 1;
    }
    let cut: String = chars[start..end].iter().collect();
    let mut out = highlight(&cut, terms);
    if start > 0 {
        out.insert(
            0,
            Piece {
                text: "…".into(),
                hit: false,
            },
        );
    }
    if end < chars.len() {
        out.push(Piece {
            text: "…".into(),
            hit: false,
        });
    }
    Some(out)
}

/// One call in the calls table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRow {
    pub id: uuid::Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub agent_id: Option<uuid::Uuid>,
    pub agent_name: Option<String>,
    pub provider: String,
    pub direction: String,
    pub phone_number: Option<String>,
    pub caller_name: Option<String>,
    pub duration_seconds: i32,
    pub status: String,
    pub outcome: Outcome,
    pub sentiment: Option<String>,
    /// What the workspace was charged.
    pub billed_cents: i64,
    pub is_test: bool,
    /// Where the search matched, when searching.
    pub snippet: Option<Vec<Piece>>,
}

/// Totals over every call the filters select (not just the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallStats {
    pub total: u64,
    pub answered: u64,
    pub total_seconds: i64,
    pub billed_minutes: i64,
    pub billed_cents: i64,
}

impl CallStats {
    /// Answered calls among those that have ended, in whole percent.
    pub fn answered_percent(&self) -> u64 {
        crate::text::percent(self.answered, self.total)
    }

    pub fn average_seconds(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.total_seconds / self.total as i64
        }
    }
}

/// A page of the calls table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallPage {
    pub rows: Vec<CallRow>,
    pub stats: CallStats,
    pub page: u32,
    pub total_pages: u32,
    /// The workspace's agents, for the agent filter.
    pub agents: Vec<(uuid::Uuid, String)>,
    /// Which search answered, when searching.
    pub searched_with: Option<SearchedWith>,
    /// The workspace has an Algolia integration.
    pub algolia: bool,
}

/// Which search found the calls shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchedWith {
    BuiltIn,
    Algolia,
    /// Algolia did not answer (the reason); the built-in search did.
    BuiltInInsteadOfAlgolia(String),
}

/// `m:ss` (or `h:mm:ss`) for a duration.
pub fn clock(seconds: i32) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_status_and_end_reason() {
        assert_eq!(
            Outcome::of("completed", Some("customer-ended-call")),
            Outcome::Answered
        );
        assert_eq!(
            Outcome::of("completed", Some("voicemail")),
            Outcome::Voicemail
        );
        assert_eq!(
            Outcome::of("completed", Some("machine_detected")),
            Outcome::Voicemail
        );
        assert_eq!(Outcome::of("no_answer", None), Outcome::NoAnswer);
        assert_eq!(Outcome::of("ringing", None), Outcome::InProgress);
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
    }

    #[test]
    fn filters_name_the_field_that_is_wrong() {
        let ok = CallFilter {
            status: "completed".into(),
            direction: "web".into(),
            outcome: "answered".into(),
            from: "2026-11-01".into(),
            to: "2026-11-24".into(),
            q: "Refund, please!".into(),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(ok.terms, ["refund", "please"]);
        assert_eq!(ok.outcome, Some(Outcome::Answered));
        let bad = CallFilter {
            status: "exploded".into(),
            direction: "sideways".into(),
            agent: "42".into(),
            outcome: "maybe".into(),
            from: "2026-11-30".into(),
            to: "2026-11-01".into(),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        for field in ["status", "direction", "agent", "outcome", "to"] {
            assert!(bad.field(field).is_some(), "{field}: {bad:?}");
        }
        let worse = CallFilter {
            from: "yesterday".into(),
            ..Default::default()
        };
        assert!(worse.check().unwrap_err().field("from").is_some());
    }

    #[test]
    fn filters_round_trip_through_the_address() {
        let f = CallFilter {
            q: "late fee".into(),
            status: "completed".into(),
            ..Default::default()
        };
        assert_eq!(f.to_query(1), "?status=completed&q=late%20fee");
        assert_eq!(f.to_query(3), "?status=completed&q=late%20fee&page=3");
        assert_eq!(CallFilter::default().to_query(1), "");
    }

    #[test]
    fn search_words_cannot_be_syntax() {
        assert_eq!(
            search_terms(r#"NEAR("a" OR b*) -c:d"#),
            ["near", "a", "or", "b", "c", "d"]
        );
        assert_eq!(search_terms("  "), Vec::<String>::new());
        assert_eq!(search_terms("a b c d e f g h i j").len(), 8);
        assert_eq!(search_terms("Zürich"), ["zürich"]);
    }

    #[test]
    fn matches_are_marked_by_word_beginnings() {
        let terms = search_terms("refund");
        let pieces = highlight("Refunds? No refund for prefund.", &terms);
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["Refunds", "refund"]);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "Refunds? No refund for prefund.");
    }

    #[test]
    fn snippets_centre_on_the_first_match() {
        let text = format!(
            "{} the invoice was wrong {}",
            "word ".repeat(50),
            "tail ".repeat(50)
        );
        let pieces = snippet(&text, &search_terms("invoice"), 60).unwrap();
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
        assert!(joined.contains("invoice"));
        assert!(joined.chars().count() < 90, "{joined}");
        assert!(snippet("nothing here", &search_terms("invoice"), 60).is_none());
    }

    #[test]
    fn durations_read_as_clocks() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(65), "1:05");
        assert_eq!(clock(3725), "1:02:05");
    }

    #[test]
    fn calls_only_move_forward() {
        assert!(stage("initiated") < stage("ringing"));
        assert!(stage("ringing") < stage("in_progress"));
        for s in ["completed", "failed", "no_answer", "busy"] {
            assert!(is_final(s));
            assert!(stage("in_progress") < stage(s));
        }
        assert_eq!(STATUSES.iter().filter(|s| is_final(s)).count(), 4);
        assert_eq!(stage("something new"), 0);
    }
}

/// Everything the call page shows about one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDetail {
    pub row: CallRow,
    pub external_id: String,
    pub transcript: Vec<Turn>,
    pub summary: Option<String>,
    pub end_reason: Option<String>,
    pub recording_url: Option<String>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    pub successful: Option<bool>,
    /// What the provider says the call cost us.
    pub provider_cost_cents: i64,
    pub billed_minutes: i32,
    /// `workspace` or `partner`, once charged.
    pub billed_to: Option<String>,
    /// The next newer and next older call of the workspace.
    pub newer: Option<uuid::Uuid>,
    pub older: Option<uuid::Uuid>,
}

/// What asking the providers about open calls found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepSummary {
    pub asked: u32,
    pub updated: u32,
    pub errors: u32,
}
