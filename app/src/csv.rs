//! CSV downloads: one field and line writer (quoted, spreadsheet formulas defused), and
//! the two ways a download is answered: whole, when its text is at hand, or streamed a
//! batch at a time, so an export of any size holds one batch in memory and starts at once.

use std::future::Future;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

use crate::error::AppError;

/// Rows read at a time by streamed downloads.
pub const BATCH: u64 = 500;

/// A CSV field: quoted when it holds a comma, quote or line break, and guarded against
/// spreadsheet formulas (a leading `=`, `+`, `-`, `@` is prefixed with `'`).
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !looks_numeric(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Phone numbers (`+1415…`) and negative amounts are data, not formulas.
fn looks_numeric(text: &str) -> bool {
    let rest = &text[1..];
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// One line of fields, ended as CSV ends lines.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out: String = cells
        .iter()
        .map(|c| field(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// A download whose whole text is at hand, named `name`.
pub fn file(name: &str, text: String) -> Response {
    as_csv(text.into_response(), name)
}

/// A download of `header`, then of what `next` writes batch by batch: given the cursor
/// the previous batch ended on (none at first), it answers the batch's lines and the
/// cursor to go on from, or none when that was the last. A database error ends the
/// download as a failed body, so the browser shows it as failed rather than complete.
pub fn stream<K, F, Fut>(name: &str, header: String, mut next: F) -> Response
where
    K: Send + 'static,
    F: FnMut(Option<K>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(String, Option<K>), DbErr>> + Send,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(4);
    let what = name.to_owned();
    tokio::spawn(async move {
        if tx.send(Ok(header)).await.is_err() {
            return;
        }
        let mut after = None;
        loop {
            match next(after.take()).await {
                Ok((chunk, more)) => {
                    if !chunk.is_empty() && tx.send(Ok(chunk)).await.is_err() {
                        return;
                    }
                    match more {
                        Some(cursor) => after = Some(cursor),
                        None => return,
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, download = %what, "export stopped");
                    let _ = tx
                        .send(Err(std::io::Error::other("the export stopped")))
                        .await;
                    return;
                }
            }
        }
    });
    // Fused: a body may be polled again after it ended (compression does).
    let body = futures::StreamExt::fuse(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    as_csv(Body::from_stream(body).into_response(), name)
}

/// The cursor to go on from after a batch of `len` rows ending on `last`: none when the
/// batch was not full (it was the last).
pub fn more<K>(len: usize, last: Option<K>) -> Option<K> {
    if (len as u64) < BATCH { None } else { last }
}

/// A download refused: its status and the error's words as plain text.
pub fn refused(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.to_string()).into_response()
}

fn as_csv(mut response: Response, name: &str) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::{field, line};

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("+14155550123"), "+14155550123");
        assert_eq!(field("-1.20"), "-1.20");
        assert_eq!(line(&["a", "=b"]), "a,'=b\r\n");
    }
}
