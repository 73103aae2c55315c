//! What can go wrong talking to a provider, in words a person can act on.

use std::fmt;

use crate::integrations::model::Provider;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderErrorKind {
    /// The key was refused (401/403).
    Unauthorized,
    /// The request was refused; the provider's own messages.
    Rejected(Vec<String>),
    /// Still rate limited after the retries.
    RateLimited,
    /// Not reachable, timed out, or 5xx after the retries.
    Unavailable(String),
    /// Any other status, or a body we could not read.
    Unexpected(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    pub provider: Provider,
    pub status: Option<u16>,
    pub kind: ProviderErrorKind,
}

impl ProviderError {
    /// Asked about an agent the provider has not been told of yet.
    pub fn not_synced(provider: Provider) -> Self {
        Self {
            provider,
            status: None,
            kind: ProviderErrorKind::Rejected(vec![
                "the agent has not been synced yet; save it or press Resync first".into(),
            ]),
        }
    }
}

impl ProviderError {
    /// Whether trying again later may succeed: rate limits, outages, timeouts and the
    /// provider's own failures (5xx), as opposed to a refusal of the request itself.
    pub fn is_transient(&self) -> bool {
        match &self.kind {
            ProviderErrorKind::RateLimited | ProviderErrorKind::Unavailable(_) => true,
            ProviderErrorKind::Unexpected(_) => self.status.is_none_or(|s| s >= 500),
            ProviderErrorKind::Unauthorized | ProviderErrorKind::Rejected(_) => false,
        }
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.provider.label();
        match &self.kind {
            ProviderErrorKind::Unauthorized => write!(
                f,
                "{name} refused the key. Check that you pasted the whole {} and that it is still active.",
                self.provider.secret_label().to_lowercase()
            ),
            ProviderErrorKind::Rejected(messages) => {
                write!(f, "{name} refused the request: {}", messages.join("; "))
            }
            ProviderErrorKind::RateLimited => write!(
                f,
                "{name} is limiting requests right now. Try again in a minute."
            ),
            ProviderErrorKind::Unavailable(why) => {
                write!(f, "{name} could not be reached ({why}). Try again shortly.")
            }
            ProviderErrorKind::Unexpected(why) => {
                write!(f, "{name} answered unexpectedly ({why}).")
            }
        }
    }
}

impl std::error::Error for ProviderError {}
