//! The banner every page of a workspace shows when its credit runs low or out.

use leptos::prelude::*;

use crate::billing::model::{Credits, dollars};

/// The red banner of a read-only workspace, or the amber one of a low balance.
#[component]
pub fn CreditBanner(slug: String, credits: Credits) -> impl IntoView {
    let href = format!("/w/{slug}/billing");
    if credits.paywalled {
        view! {
            <div
                role="alert"
                data-testid="paywall-banner"
                class="border-b border-danger/40 bg-danger/10 px-4 py-2 text-sm text-danger sm:px-6"
            >
                <strong>"Credits exhausted. "</strong>
                "This workspace is read-only: calls, agents and other changes are paused until credit is added. "
                <a href=href class="font-medium underline">
                    "Go to Billing"
                </a>
            </div>
        }
        .into_any()
    } else if credits.is_low() {
        view! {
            <div
                role="status"
                data-testid="low-balance-banner"
                class="border-b border-warning/40 bg-warning/10 px-4 py-2 text-sm text-fg sm:px-6"
            >
                {format!(
                    "Credit is running low: {} left, about {} minutes. ",
                    dollars(credits.balance_cents),
                    credits.minutes_left(),
                )}
                <a href=href class="font-medium text-brand-ink underline">
                    "Billing"
                </a>
            </div>
        }
        .into_any()
    } else {
        ().into_any()
    }
}
