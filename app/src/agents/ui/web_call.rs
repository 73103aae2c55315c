//! A browser test call through VAPI or Retell. The providers' SDKs live in
//! `frontend/js/web-calls.js`, bundled into `/js/web-calls.js` (our own static files, never a
//! CDN) and imported only when a call starts. The module reports what happens as JSON
//! events; the page shows them and tells the server when the provider has created the call
//! and when it ended, so the server can ask the provider and store it.

use leptos::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use crate::agents::api::UpdateTestCall;
use crate::agents::model::WebCallLaunch;
use crate::calls::model::Turn;
use crate::components::button::{Button, Size, Variant};
use crate::components::form::{FormAlert, form_error};

/// What the call module reports (see the top of `frontend/js/web-calls.js`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum CallEvent {
    Created {
        #[serde(rename = "callId")]
        call_id: String,
    },
    Live,
    Speaking {
        agent: bool,
    },
    Transcript {
        turns: Vec<SpokenTurn>,
    },
    Ended {
        #[serde(rename = "callId")]
        call_id: Option<String>,
    },
    Error {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SpokenTurn {
    pub role: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Connecting,
    Live,
    Ended,
}

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(inline_js = r#"
const load = () => import("/js/web-calls.js");
const failed = (emit, e) => {
  emit(JSON.stringify({ type: "error", message: `The call module could not load (${e}).` }));
  emit(JSON.stringify({ type: "ended", callId: null }));
};
export function start_web_call(session, emit) {
  load().then((m) => m.startWebCall(JSON.parse(session), emit), (e) => failed(emit, e));
}
export function stop_web_call() {
  load().then((m) => m.stopWebCall(), () => {});
}
export function mute_web_call(muted) {
  load().then((m) => m.muteWebCall(muted), () => {});
}
"#)]
    extern "C" {
        pub fn start_web_call(session: &str, emit: &JsValue);
        pub fn stop_web_call();
        pub fn mute_web_call(muted: bool);
    }
}

/// The live call: status, mute and hang-up, the transcript as it comes, and what was saved.
#[component]
pub fn BrowserCall(launch: WebCallLaunch, slug: String, id: Uuid) -> impl IntoView {
    let provider = launch.provider().label();
    let phase = RwSignal::new(Phase::Connecting);
    let failure = RwSignal::new(None::<String>);
    let turns = RwSignal::new(Vec::<Turn>::new());
    let agent_speaking = RwSignal::new(false);
    let muted = RwSignal::new(false);
    let report = ServerAction::<UpdateTestCall>::new();
    let show = {
        let slug = slug.clone();
        move |event: CallEvent| match event {
            CallEvent::Created { call_id } => {
                report.dispatch(UpdateTestCall {
                    slug: slug.clone(),
                    id,
                    call_id,
                });
            }
            CallEvent::Live => phase.set(Phase::Live),
            CallEvent::Speaking { agent } => agent_speaking.set(agent),
            CallEvent::Transcript { turns: spoken } => turns.set(
                spoken
                    .into_iter()
                    .map(|t| Turn {
                        role: t.role,
                        text: t.text,
                        seconds: 0.0,
                    })
                    .collect(),
            ),
            CallEvent::Ended { call_id } => {
                phase.set(Phase::Ended);
                agent_speaking.set(false);
                if let Some(call_id) = call_id {
                    report.dispatch(UpdateTestCall {
                        slug: slug.clone(),
                        id,
                        call_id,
                    });
                }
            }
            CallEvent::Error { message } => {
                let what = if phase.get_untracked() == Phase::Live {
                    "dropped the call"
                } else {
                    "could not connect the call"
                };
                failure.set(Some(format!("{provider} {what}: {message}")));
            }
        }
    };
    // The call module's events can arrive after the page is left (the SDK reports the end
    // of the call `hang_up` asked for, a late transcript): the component's signals are gone
    // then, and touching one would panic. Past cleanup only the news that the call ended
    // still goes to the server, directly, so it is stored either way.
    let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let on_event = {
        let alive = alive.clone();
        move |event: CallEvent| {
            if alive.load(std::sync::atomic::Ordering::Relaxed) {
                show(event);
            } else if let CallEvent::Ended {
                call_id: Some(call_id),
            } = event
            {
                report_after_leaving(slug.clone(), id, call_id);
            }
        }
    };
    start(&launch, on_event);
    on_cleanup(move || {
        alive.store(false, std::sync::atomic::Ordering::Relaxed);
        hang_up();
    });
    let status = move || match (phase.get(), failure.get().is_some()) {
        (Phase::Connecting, _) => {
            format!("Connecting to {provider}… allow the microphone when asked.")
        }
        (Phase::Live, _) if agent_speaking.get() => "Live. The agent is talking.".to_owned(),
        (Phase::Live, _) => "Live. Speak now.".to_owned(),
        (Phase::Ended, true) => "The call could not go on.".to_owned(),
        (Phase::Ended, false) => "Call ended.".to_owned(),
    };
    let saved = report.value();
    view! {
        <div class="space-y-3" data-testid="browser-call">
            <div class="flex flex-wrap items-center gap-3">
                <p class="text-sm" role="status" data-testid="web-call-status">{status}</p>
                <Show when=move || phase.get() != Phase::Ended>
                    <Button variant=Variant::Secondary size=Size::Small
                        on_click=Callback::new(move |_| { let m = !muted.get_untracked(); muted.set(m); mute(m); })>
                        {move || if muted.get() { "Unmute" } else { "Mute" }}
                    </Button>
                    <Button variant=Variant::Danger size=Size::Small on_click=Callback::new(move |_| hang_up())>"End call"</Button>
                </Show>
            </div>
            {move || failure.get().map(|message| view! {
                <p class="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger" role="alert" data-testid="web-call-error">
                    {message}
                </p>
            })}
            <ol class="space-y-2" aria-live="polite" data-testid="web-call-transcript">
                {move || turns.get().into_iter().map(|t| {
                    let (who, class) = super::detail::turn_style(&t.role);
                    view! {
                        <li data-testid="turn" data-role=t.role.clone() class=format!("rounded-lg px-3 py-2 text-sm {class}")>
                            <span class="block text-xs text-muted">{who}</span>
                            {t.text}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <FormAlert message=form_error(saved)/>
            {move || saved.get().and_then(Result::ok).map(|state| view! {
                <p class="text-sm text-muted" data-testid="web-call-saved" data-status=state.status.clone()>
                    {format!("Saved with this workspace's calls ({}).", state.status.replace('_', " "))}
                </p>
            })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn start(launch: &WebCallLaunch, on_event: impl Fn(CallEvent) + 'static) {
    use wasm_bindgen::prelude::*;
    let Ok(session) = serde_json::to_string(launch) else {
        return;
    };
    let emit = Closure::<dyn Fn(String)>::new(move |json: String| {
        if let Ok(event) = serde_json::from_str::<CallEvent>(&json) {
            on_event(event);
        }
    });
    js::start_web_call(&session, &emit.into_js_value());
}

#[cfg(not(feature = "hydrate"))]
fn start(_: &WebCallLaunch, _: impl Fn(CallEvent) + 'static) {}

/// Tells the server a call ended after its page was left: a plain request, owned by no
/// component.
fn report_after_leaving(slug: String, id: Uuid, call_id: String) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let _ = crate::agents::api::update_test_call(slug, id, call_id).await;
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, id, call_id);
}

fn hang_up() {
    #[cfg(feature = "hydrate")]
    js::stop_web_call();
}

fn mute(_muted: bool) {
    #[cfg(feature = "hydrate")]
    js::mute_web_call(_muted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_of_the_call_module_are_read() {
        let read = |json: &str| serde_json::from_str::<CallEvent>(json).expect(json);
        assert_eq!(
            read(r#"{"type":"created","callId":"c-1"}"#),
            CallEvent::Created {
                call_id: "c-1".into()
            }
        );
        assert_eq!(read(r#"{"type":"live"}"#), CallEvent::Live);
        assert_eq!(
            read(r#"{"type":"ended","callId":null}"#),
            CallEvent::Ended { call_id: None }
        );
        assert_eq!(
            read(r#"{"type":"transcript","turns":[{"role":"agent","text":"Hi"}]}"#),
            CallEvent::Transcript {
                turns: vec![SpokenTurn {
                    role: "agent".into(),
                    text: "Hi".into()
                }]
            }
        );
        assert!(serde_json::from_str::<CallEvent>(r#"{"type":"dance"}"#).is_err());
    }

    #[test]
    fn the_call_module_gets_the_shape_it_reads() {
        let vapi = WebCallLaunch::Vapi {
            public_key: "pk".into(),
            assistant_id: "a-1".into(),
            api_base_url: "https://api.vapi.ai".into(),
        };
        assert_eq!(
            serde_json::to_value(&vapi).expect("json"),
            serde_json::json!({"provider": "vapi", "publicKey": "pk", "assistantId": "a-1", "apiBaseUrl": "https://api.vapi.ai"})
        );
        let retell = WebCallLaunch::Retell {
            call_id: "c".into(),
            access_token: "t".into(),
            url: "wss://x".into(),
        };
        assert_eq!(
            serde_json::to_value(&retell).expect("json"),
            serde_json::json!({"provider": "retell", "callId": "c", "accessToken": "t", "url": "wss://x"})
        );
    }
}
