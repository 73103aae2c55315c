//! The agent page's test calls: in the browser, or "call me" on a phone, and the Sandbox conversation played back turn by turn.

use crate::agents::api::{CallMe, StartTestCall};
use crate::agents::model::AgentProvider;
use crate::calls::model::{CallDetail, Turn};
use crate::components::button::{Button, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub(super) fn TestCallCard(
    slug: String,
    id: Uuid,
    provider: AgentProvider,
    played: Option<CallDetail>,
    can_call: bool,
) -> impl IntoView {
    let start = ServerAction::<StartTestCall>::new();
    // VAPI and Retell calls run in the browser: the script takes the form over, and the
    // button waits for it (without JavaScript there is no call to place).
    let in_browser = provider != AgentProvider::Sandbox;
    view! {
        <Card
            title="Test call"
            description="Talk to the agent from your browser. Sandbox agents hold a simulated conversation."
        >
            <div class="space-y-4" id="test-call">
                {can_call
                    .then(|| {
                        view! {
                            <ActionForm
                                action=start
                                attr:data-web-call=in_browser.then_some(provider.label())
                            >
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="id" value=id.to_string() />
                                <Button kind="submit" disabled=in_browser>
                                    "Start web test call"
                                </Button>
                            </ActionForm>
                        }
                    })}
                <FormAlert message=form_error(start.value()) />
                {in_browser
                    .then(|| {
                        view! {
                            <noscript>
                                <p class="text-sm text-muted">
                                    "A test call through the provider runs in the browser, with JavaScript on. Call me works without it."
                                </p>
                            </noscript>
                            <BrowserCall />
                            <script type="module" src="/js/test-call.js"></script>
                        }
                    })}
                {played
                    .map(|call| {
                        view! {
                            <Transcript
                                turns=call.transcript
                                duration_seconds=call.row.duration_seconds
                            />
                        }
                    })}
            </div>
        </Card>
    }
}

/// Where `/js/test-call.js` shows a browser call: status, mute and hang-up, the transcript
/// as it comes, and what was saved. Hidden until a call starts.
#[component]
pub(super) fn BrowserCall() -> impl IntoView {
    let small = |variant| crate::components::button::button_class(variant, Size::Small);
    view! {
        <div class="hidden space-y-3" data-testid="browser-call">
            <div class="flex flex-wrap items-center gap-3">
                <p class="text-sm" role="status" data-testid="web-call-status"></p>
                <button type="button" data-call="mute" class=small(Variant::Secondary)>
                    "Mute"
                </button>
                <button type="button" data-call="end" class=small(Variant::Danger)>
                    "End call"
                </button>
            </div>
            <p
                class="hidden rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
                role="alert"
                data-testid="web-call-error"
            ></p>
            <ol class="space-y-2" aria-live="polite" data-testid="web-call-transcript"></ol>
            <template data-call="turn">
                <li data-testid="turn" class="rounded-lg px-3 py-2 text-sm">
                    <span class="block text-xs text-muted"></span>
                    <span></span>
                </li>
            </template>
            <p class="hidden text-sm text-muted" data-testid="web-call-saved"></p>
        </div>
    }
}

/// A Sandbox conversation played back one turn every 400 ms (at once when the visitor asks
/// for less motion), then the line saying it ended.
#[component]
pub(super) fn Transcript(turns: Vec<Turn>, duration_seconds: i32) -> impl IntoView {
    let reveal = |i: usize| {
        format!(
            "animation-delay: {}ms",
            u32::try_from(i).unwrap_or(u32::MAX).saturating_mul(400)
        )
    };
    let ended = reveal(turns.len());
    view! {
        <ol class="space-y-2" data-testid="test-call-transcript">
            {turns
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let (who, class) = turn_style(&t.role);
                    view! {
                        <li
                            data-testid="turn"
                            data-role=t.role.clone()
                            style=reveal(i)
                            class=format!("animate-turn rounded-lg px-3 py-2 text-sm {class}")
                        >
                            <span class="block text-xs text-muted">
                                {format!("{who} · {:.0}s", t.seconds)}
                            </span>
                            {t.text.clone()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <p
            class="animate-turn text-sm text-muted"
            role="status"
            style=ended
            data-testid="test-call-ended"
        >
            {format!(
                "Call ended after {}:{:02}. It is saved with this workspace's calls.",
                duration_seconds / 60,
                duration_seconds % 60,
            )}
        </p>
    }
}

#[component]
pub(super) fn CallMeCard(slug: String, id: Uuid, played: Option<CallDetail>) -> impl IntoView {
    let call_me = ServerAction::<CallMe>::new();
    let value = call_me.value();
    view! {
        <Card title="Call me" description="The agent phones you as it would phone a customer.">
            <div class="space-y-4" id="call-me" data-testid="call-me">
                <ActionForm action=call_me attr:class="space-y-4">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="id" value=id.to_string() />
                    <div class="grid gap-3 sm:grid-cols-2">
                        <TextField
                            label="Your number"
                            name="number"
                            kind="tel"
                            placeholder="+14155550100"
                            autocomplete="tel"
                            error=field_error(value, "number")
                        />
                        <TextField
                            label="Your name (optional)"
                            name="name"
                            autocomplete="name"
                            error=field_error(value, "name")
                        />
                    </div>
                    <Button kind="submit" variant=Variant::Secondary>
                        "Call me"
                    </Button>
                </ActionForm>
                <FormAlert message=form_error(value) />
                {played
                    .map(|call| {
                        view! {
                            <p class="text-sm text-muted">
                                {format!(
                                    "Sandbox call to {}:",
                                    call.row.phone_number.clone().unwrap_or_default(),
                                )}
                            </p>
                            <Transcript
                                turns=call.transcript
                                duration_seconds=call.row.duration_seconds
                            />
                        }
                    })}
            </div>
        </Card>
    }
}

/// Who said a turn, and how its bubble looks.
pub(super) fn turn_style(role: &str) -> (&'static str, &'static str) {
    match role {
        "agent" => ("Agent", "mr-12 bg-surface-2"),
        "user" => ("You", "ml-12 bg-brand/10"),
        _ => ("Tool", "mx-12 bg-warning/10 font-mono text-xs"),
    }
}
