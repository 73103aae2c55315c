//! Reading a do-not-call list from a CSV file: one number per row, with or without a
//! header row. With a header, the number is the column a campaign list would take for it
//! (`phone`, `mobile`, …) and a `reason` (or `note`, `comment`) column is kept; without
//! one, the first column. Numbers are read as campaign lists' are (international, or
//! national for a default country); rows that are not numbers are counted, with the first
//! few named.

use super::import::{ColumnUse, guess, read_number};
use crate::error::AppError;

/// The most rows a do-not-call file may have.
pub const MAX_ROWS: usize = 200_000;
/// Rows not read that a summary names.
const NAMED: usize = 5;

/// A list read: its numbers (E.164, each once, with the row's reason) and what was not.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DncFile {
    pub numbers: Vec<(String, Option<String>)>,
    /// Rows that held no number we could read.
    pub unreadable: usize,
    /// "Row 4 (\"12\")", for the first few of them.
    pub examples: Vec<String>,
}

/// Reads `bytes` as a do-not-call list, national numbers in `country`.
pub fn read(bytes: &[u8], country: phonenumber::country::Id) -> Result<DncFile, AppError> {
    let bad = |why: String| AppError::invalid("file", why);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        bad("The file is not UTF-8 text; save it as \"CSV UTF-8\" and try again.".into())
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows = reader.records();
    let Some(first) = rows.next() else {
        return Err(bad("The file is empty.".into()));
    };
    let first = first.map_err(|e| bad(format!("Row 1 cannot be read as CSV ({e}).")))?;
    let header = first.iter().position(|h| guess(h) == ColumnUse::Phone);
    let (phone_at, reason_at) = match header {
        Some(at) => (
            at,
            first.iter().position(|h| {
                matches!(
                    h.trim().to_ascii_lowercase().as_str(),
                    "reason" | "note" | "notes" | "comment" | "comments"
                )
            }),
        ),
        None => (0, None),
    };
    let mut out = DncFile::default();
    let mut seen = std::collections::HashSet::new();
    let body = header
        .is_none()
        .then_some(Ok(first))
        .into_iter()
        .chain(rows);
    for (i, record) in body.enumerate() {
        let row = i + if header.is_some() { 2 } else { 1 };
        if i >= MAX_ROWS {
            return Err(bad(format!(
                "The file has more than {MAX_ROWS} rows; split it into smaller files."
            )));
        }
        let record = record.map_err(|e| bad(format!("Row {row} cannot be read as CSV ({e}).")))?;
        let cell = record.get(phone_at).unwrap_or_default().trim();
        if cell.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match read_number(cell, country) {
            Some((number, _)) => {
                let number = String::from(number);
                if seen.insert(number.clone()) {
                    let reason = reason_at
                        .and_then(|at| record.get(at))
                        .map(|r| r.trim().chars().take(500).collect::<String>())
                        .filter(|r| !r.is_empty());
                    out.numbers.push((number, reason));
                }
            }
            None => {
                out.unreadable += 1;
                if out.examples.len() < NAMED {
                    let shown: String = cell.chars().take(30).collect();
                    out.examples.push(format!("row {row} ({shown:?})"));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::country::Id::US;

    #[test]
    fn a_headed_list_takes_its_phone_and_reason_columns() {
        let file = read(
            b"\xef\xbb\xbfName,Mobile,Reason\nAda,(415) 555-0101,Asked by letter\nBad,12,\nAgain,+1 415 555 0101,\n,,\n",
            US,
        )
        .unwrap();
        assert_eq!(
            file.numbers,
            [(
                "+14155550101".to_owned(),
                Some("Asked by letter".to_owned())
            )]
        );
        assert_eq!(file.unreadable, 1);
        assert_eq!(file.examples, ["row 3 (\"12\")"]);
    }

    #[test]
    fn a_bare_column_of_numbers_needs_no_header() {
        let file = read(b"4155550102\n+44 20 7946 0958\nnot a number\n", US).unwrap();
        let numbers: Vec<_> = file.numbers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(numbers, ["+14155550102", "+442079460958"]);
        assert_eq!(file.examples, ["row 3 (\"not a number\")"]);
    }

    #[test]
    fn files_that_are_not_lists_are_refused_by_name() {
        for (bytes, why) in [(&b""[..], "empty"), (&b"\xff\xfe1\n"[..], "UTF-8")] {
            let error = read(bytes, US).unwrap_err();
            let message = error.field("file").unwrap()[0].clone();
            assert!(message.contains(why), "{message}");
        }
    }
}
