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

#[cfg(test)]
mod tests {
    use super::*;

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
