//! A client may name its request (`x-request-id`) so its logs and ours line up, but the id
//! goes into every log line of the request: only a short token of letters, digits, `-`,
//! `_` and `.` is kept. Anything else (newlines, quotes, kilobytes) is dropped and the
//! server makes its own.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// The longest id a client may choose.
pub const MAX_LEN: usize = 64;

/// Whether a client's request id may be kept.
pub fn is_safe(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub async fn sanitize(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    let ids: Vec<_> = headers.get_all("x-request-id").iter().collect();
    if ids.len() != 1 || !is_safe(ids[0].as_bytes()) {
        headers.remove("x-request-id");
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::is_safe;

    #[test]
    fn only_short_tokens_of_safe_characters_are_kept() {
        assert!(is_safe(b"0190f4a2-7c1e-7b3a-9d2e-1f2a3b4c5d6e"));
        assert!(is_safe(b"req_42.retry"));
        assert!(!is_safe(b""));
        assert!(!is_safe(b"a\nforged log line"));
        assert!(!is_safe(b"quote\"d"));
        assert!(!is_safe(&[b'a'; 65]));
    }
}
