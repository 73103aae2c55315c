//! A circuit breaker per provider credential: after `THRESHOLD` failures in a row where
//! the provider could not be reached (or answered 5xx), calls with that key fail at once
//! for `COOL_DOWN`, so an outage costs one fast error per request instead of a timeout
//! each. One probe is let through after the cool-down; its success closes the circuit.
//! Keyed by credential, so one tenant's failing key never pauses everyone else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const THRESHOLD: u32 = 5;
pub const COOL_DOWN: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
struct State {
    failures: u32,
    open_until: Option<Instant>,
}

#[derive(Debug, Clone, Default)]
pub struct Breaker {
    state: Arc<Mutex<State>>,
}

/// The breakers of one provider, one per credential (found by a hash of the key, so no
/// key is kept in memory here). Bounded: past `MAX_KEYS` credentials the map starts over.
#[derive(Debug, Clone, Default)]
pub struct Breakers {
    by_key: Arc<Mutex<HashMap<[u8; 16], Breaker>>>,
}

const MAX_KEYS: usize = 10_000;

impl Breakers {
    pub fn of(&self, key: &str) -> Breaker {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(key.as_bytes());
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        let mut map = self.by_key.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS && !map.contains_key(&id) {
            map.clear();
        }
        map.entry(id).or_default().clone()
    }
}

impl Breaker {
    /// How long calls are still refused, or `None` when a call may go out.
    pub fn refusing_for(&self) -> Option<Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let until = state.open_until?;
        let now = Instant::now();
        if now >= until {
            // Half-open: let this call probe; one more failure re-opens at once.
            state.open_until = None;
            state.failures = THRESHOLD - 1;
            return None;
        }
        Some(until - now)
    }

    pub fn succeeded(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.failures = 0;
        state.open_until = None;
    }

    pub fn failed(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.failures += 1;
        if state.failures >= THRESHOLD {
            state.open_until = Some(Instant::now() + COOL_DOWN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_keys_failures_do_not_pause_another_key() {
        let breakers = Breakers::default();
        for _ in 0..THRESHOLD {
            breakers.of("key_failing").failed();
        }
        assert!(breakers.of("key_failing").refusing_for().is_some());
        assert!(breakers.of("key_healthy").refusing_for().is_none());
    }

    #[test]
    fn opens_after_the_threshold_and_closes_on_success() {
        let breaker = Breaker::default();
        for _ in 0..THRESHOLD - 1 {
            breaker.failed();
        }
        assert!(breaker.refusing_for().is_none());
        breaker.failed();
        assert!(breaker.refusing_for().is_some());
        breaker.succeeded();
        assert!(breaker.refusing_for().is_none());
    }
}
