//! Search matches in a call's text: the pieces a page marks, and the snippet around the
//! first match.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::filter::search_terms;

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
}
