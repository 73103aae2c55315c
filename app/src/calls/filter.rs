//! The calls page's filters: as they travel in its address, and checked.

use serde::{Deserialize, Serialize};

use super::model::{CallDirection, CallStatus, Outcome};

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
    pub status: Option<CallStatus>,
    pub direction: Option<CallDirection>,
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
        use crate::error::AddFieldError;
        let mut fields = crate::error::FieldErrors::new();
        let status = fields.choice("status", &self.status, CallStatus::parse, |s| {
            format!("\"{s}\" is not a call status.")
        });
        let direction = fields.choice("direction", &self.direction, CallDirection::parse, |_| {
            "Direction is inbound, outbound or web.".into()
        });
        let agent_id = fields.choice(
            "agent",
            &self.agent,
            |a| uuid::Uuid::parse_str(a).ok(),
            |_| "That is not an agent of this workspace.".into(),
        );
        let outcome = fields.choice("outcome", &self.outcome, Outcome::parse, |o| {
            format!("\"{o}\" is not an outcome.")
        });
        let mut day = |field: &str, text: &str| {
            fields.choice(
                field,
                text,
                |t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
                |_| "Use a date like 2026-11-24.".into(),
            )
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            fields.add("to", "The last day comes before the first.");
        }
        if self.q.chars().count() > 200 {
            fields.add("q", "Search for at most 200 characters.");
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
        let query = crate::text::query_of(
            &[
                ("status", &self.status),
                ("direction", &self.direction),
                ("agent", &self.agent),
                ("outcome", &self.outcome),
                ("from", &self.from),
                ("to", &self.to),
                ("q", &self.q),
            ],
            page,
        );
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
