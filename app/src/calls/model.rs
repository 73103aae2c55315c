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
