//! Recordings of Sandbox calls, made here: a WAV file in which each turn of the transcript
//! is heard at its time, the agent and the caller in different voices (buzzing vowels
//! with syllable rhythm, not words). It lets the call page's player, its seeking and its
//! transcript-following be tried without any provider.
//!
//! `GET /w/{slug}/calls/{id}/recording.wav`, for anyone who may read the workspace's calls.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::Turn;
use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::db::entity::conversation;
use crate::error::AppError;
use crate::state::AppState;

pub const SAMPLE_RATE: u32 = 8_000;
/// Longest recording made (15 minutes).
const MAX_SECONDS: f32 = 900.0;

/// The address of a Sandbox call's recording.
pub fn url(slug: &str, id: Uuid) -> String {
    format!("/w/{slug}/calls/{id}/recording.wav")
}

/// 16-bit mono PCM WAV of `turns` over `duration_seconds`.
pub fn render(turns: &[Turn], duration_seconds: f32) -> Vec<u8> {
    let last = turns
        .last()
        .map_or(0.0, |t| t.seconds + speaking_time(&t.text) + 1.0);
    let seconds = duration_seconds.max(last).clamp(1.0, MAX_SECONDS);
    let total = (seconds * SAMPLE_RATE as f32) as usize;
    let mut samples = vec![0i16; total];
    for (i, turn) in turns.iter().enumerate() {
        let start = turn.seconds.max(0.0);
        // A turn lasts as long as its words would, and ends before the next one starts.
        let next = turns.get(i + 1).map_or(seconds, |n| n.seconds);
        let end = (start + speaking_time(&turn.text))
            .min(next - 0.3)
            .min(seconds);
        if end <= start {
            continue;
        }
        let pitch = match turn.role.as_str() {
            "agent" => 190.0,
            "tool" => 440.0,
            _ => 125.0,
        };
        let (from, to) = (
            (start * SAMPLE_RATE as f32) as usize,
            ((end * SAMPLE_RATE as f32) as usize).min(total),
        );
        for (n, sample) in samples[from..to].iter_mut().enumerate() {
            let t = n as f32 / SAMPLE_RATE as f32;
            let left = (to - from - n) as f32 / SAMPLE_RATE as f32;
            // Syllables: a 4–5 Hz swell; soft edges so nothing clicks.
            let syllable =
                0.55 + 0.45 * (std::f32::consts::TAU * (4.3 + i as f32 % 3.0 * 0.4) * t).sin();
            let fade = (t / 0.03).min(1.0) * (left / 0.03).min(1.0);
            // A gently wandering pitch with a few harmonics, like a voiced vowel.
            let f = pitch * (1.0 + 0.04 * (std::f32::consts::TAU * 0.7 * t).sin());
            let phase = std::f32::consts::TAU * f * t;
            let voice = phase.sin() + 0.5 * (2.0 * phase).sin() + 0.25 * (3.0 * phase).sin();
            *sample = (voice / 1.75 * syllable * fade * 9_000.0) as i16;
        }
    }
    wav(&samples)
}

/// Seconds the words of `text` take to say, at about two and a half words a second.
fn speaking_time(text: &str) -> f32 {
    (text.split_whitespace().count() as f32 / 2.5).clamp(0.6, 30.0)
}

fn wav(samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

pub async fn handler(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    match recording(&state, &parts, &slug, &id).await {
        Ok(bytes) => {
            let range = parts
                .headers
                .get(header::RANGE)
                .and_then(|v| v.to_str().ok())
                .map(|v| byte_range(v, bytes.len()));
            let mut response = match range {
                // Players seek by asking for the part they need.
                Some(Some((start, end))) => {
                    let mut r =
                        (StatusCode::PARTIAL_CONTENT, bytes[start..=end].to_vec()).into_response();
                    if let Ok(v) =
                        HeaderValue::from_str(&format!("bytes {start}-{end}/{}", bytes.len()))
                    {
                        r.headers_mut().insert(header::CONTENT_RANGE, v);
                    }
                    r
                }
                Some(None) => {
                    let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                    if let Ok(v) = HeaderValue::from_str(&format!("bytes */{}", bytes.len())) {
                        r.headers_mut().insert(header::CONTENT_RANGE, v);
                    }
                    return r;
                }
                None => axum::body::Bytes::from_owner(bytes).into_response(),
            };
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("audio/wav"));
            headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            // Sent as is: a compressed body could not be read by byte ranges.
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static("identity"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            response
        }
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}

/// The inclusive byte range a `Range: bytes=…` header asks of a body of `len` bytes (one
/// range: `a-b`, `a-` or `-n`); `None` when it cannot be served.
pub fn byte_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: usize = n.parse().ok().filter(|n| *n > 0)?;
            (len.saturating_sub(n), len - 1)
        }
        (a, "") => (a.parse().ok()?, len - 1),
        (a, b) => (a.parse().ok()?, b.parse::<usize>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

async fn recording(
    state: &AppState,
    parts: &axum::http::request::Parts,
    slug: &str,
    id: &str,
) -> Result<Arc<[u8]>, AppError> {
    let ctx =
        workspace_for_request(state, parts, slug, WorkspacePermission::ConversationsRead).await?;
    let id = Uuid::parse_str(id).map_err(|_| AppError::not_found("The recording"))?;
    let call = conversation::Entity::find_by_id(id)
        .filter(conversation::Column::WorkspaceId.eq(ctx.id()))
        .filter(conversation::Column::Provider.eq("sandbox"))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::not_found("The recording"))?;
    if let Some(cached) = cache::get(call.id) {
        return Ok(cached);
    }
    let turns: Vec<Turn> = serde_json::from_value(call.transcript).unwrap_or_default();
    if turns.is_empty() {
        return Err(AppError::not_found("The recording"));
    }
    // Synthesis is CPU work (up to 15 minutes of samples): off the async threads.
    let seconds = call.duration_seconds as f32;
    let bytes: Arc<[u8]> = tokio::task::spawn_blocking(move || render(&turns, seconds).into())
        .await
        .map_err(AppError::internal)?;
    cache::put(call.id, bytes.clone());
    Ok(bytes)
}

/// The recordings made last, so a player seeking through one (a request per seek) does not
/// synthesise it again each time. A finished call's recording never changes. Bounded by
/// bytes; the oldest goes first.
mod cache {
    use std::collections::VecDeque;
    use std::sync::{Arc, LazyLock, Mutex};

    use uuid::Uuid;

    /// The most bytes kept (a 15-minute recording is 14.4 MB).
    const MAX_BYTES: usize = 64 * 1024 * 1024;

    /// Recordings, oldest first.
    type Recent = VecDeque<(Uuid, Arc<[u8]>)>;

    static RECENT: LazyLock<Mutex<Recent>> = LazyLock::new(|| Mutex::new(VecDeque::new()));

    pub fn get(id: Uuid) -> Option<Arc<[u8]>> {
        let recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
        recent
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v.clone())
    }

    pub fn put(id: Uuid, bytes: Arc<[u8]>) {
        let mut recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
        if recent.iter().any(|(k, _)| *k == id) {
            return;
        }
        recent.push_back((id, bytes));
        while recent.iter().map(|(_, v)| v.len()).sum::<usize>() > MAX_BYTES && recent.len() > 1 {
            recent.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(role: &str, seconds: f32, text: &str) -> Turn {
        Turn {
            role: role.into(),
            text: text.into(),
            seconds,
        }
    }

    #[test]
    fn turns_are_heard_at_their_times_and_silence_between() {
        let turns = [
            turn("agent", 0.5, "Thanks for calling, how can I help?"),
            turn("user", 5.0, "I need to move my appointment."),
        ];
        let bytes = render(&turns, 10.0);
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..16], b"WAVEfmt ");
        let samples: Vec<i16> = bytes[44..]
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        assert_eq!(samples.len(), 10 * SAMPLE_RATE as usize);
        let loud = |from: f32, to: f32| {
            let range = (from * 8000.0) as usize..(to * 8000.0) as usize;
            samples[range]
                .iter()
                .map(|s| s.unsigned_abs() as u64)
                .max()
                .unwrap_or(0)
        };
        assert_eq!(loud(0.0, 0.45), 0, "quiet before the first turn");
        assert!(loud(1.0, 2.0) > 2_000, "the agent speaks");
        assert_eq!(loud(4.6, 4.95), 0, "a pause before the caller");
        assert!(loud(5.5, 6.5) > 2_000, "the caller speaks");
        assert_eq!(loud(9.0, 10.0), 0, "quiet at the end");
    }

    #[test]
    fn byte_ranges_are_read_like_http_says() {
        assert_eq!(byte_range("bytes=0-", 100), Some((0, 99)));
        assert_eq!(byte_range("bytes=10-19", 100), Some((10, 19)));
        assert_eq!(byte_range("bytes=90-500", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=100-", 100), None);
        assert_eq!(byte_range("bytes=5-1", 100), None);
        assert_eq!(byte_range("bytes=0-1,5-6", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
    }

    #[test]
    fn recordings_are_bounded() {
        let turns = [turn("agent", 0.0, "Hello.")];
        assert_eq!(
            render(&turns, 100_000.0).len(),
            44 + 2 * 900 * SAMPLE_RATE as usize
        );
        assert!(render(&turns, 0.0).len() > 44);
    }
}
