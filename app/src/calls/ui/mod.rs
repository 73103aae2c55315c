//! The calls pages: `/w/{slug}/calls` (`list`) and `/w/{slug}/calls/{id}` (`detail`).

pub mod detail;
pub mod list;

pub use detail::CallDetailPage;
pub use list::CallsPage;

use super::model::Outcome;
use crate::components::badge::Tone;

pub(super) fn outcome_tone(outcome: Outcome) -> Tone {
    match outcome {
        Outcome::Answered => Tone::Success,
        Outcome::Voicemail | Outcome::InProgress => Tone::Info,
        Outcome::NoAnswer | Outcome::Busy => Tone::Warning,
        Outcome::Failed => Tone::Danger,
    }
}
