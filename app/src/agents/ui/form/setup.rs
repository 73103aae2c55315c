//! Step 1 of the wizard: name, provider, direction, voice and knowledge.

use super::*;

#[component]
pub(super) fn SetupStep(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
    editing: bool,
) -> impl IntoView {
    let err = move |f: &str| error_for(errors, f.to_owned());
    let provider = Signal::derive(move || draft.with(|d| d.provider));
    let choose_provider = move |p: AgentProvider| {
        if editing {
            return;
        }
        let voice = options.with_value(|o| default_voice(o, p));
        draft.update(|d| {
            d.provider = p;
            d.config.voice_id = voice;
        });
    };
    let languages: Vec<(String, String)> = LANGUAGES
        .iter()
        .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
        .collect();
    let speeds = vec![
        ("0.85".to_owned(), "Slow".to_owned()),
        ("1".to_owned(), "Balanced".to_owned()),
        ("1.15".to_owned(), "Fast".to_owned()),
    ];
    view! {
        <Card title="Basic information">
            <div class="space-y-4">
                <TextField label="Agent name" name="name" required=true hint="Up to 40 characters."
                    value=Signal::derive(move || draft.with(|d| d.name.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.name = v)) error=err("name")/>
                <TextField label="Description" name="description"
                    value=Signal::derive(move || draft.with(|d| d.description.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.description = v)) error=err("description")/>
                <fieldset>
                    <legend class="text-sm font-medium">"Provider"</legend>
                    {editing.then(|| view! { <p class="text-xs text-muted">"An agent stays with its provider; duplicate it to try another."</p> })}
                    <div class="mt-2 grid gap-3 sm:grid-cols-3" role="radiogroup">
                        {AgentProvider::ALL.into_iter().map(|p| {
                            let has_key = options.with_value(|o| o.providers.iter().any(|x| x.provider == p && x.has_key));
                            view! {
                                <button type="button" role="radio" data-testid=format!("provider-{}", p.as_str())
                                    aria-checked=move || if provider.get() == p { "true" } else { "false" }
                                    disabled=editing
                                    on:click=move |_| choose_provider(p)
                                    class=move || format!("rounded-xl border p-4 text-left transition disabled:opacity-60 {}", if provider.get() == p { "border-brand ring-2 ring-brand/30" } else { "border-line hover:border-brand" })>
                                    <span class="block font-semibold">{p.label()}</span>
                                    <span class="mt-1 block text-xs text-muted">{p.blurb()}</span>
                                    {(!has_key).then(|| view! { <span class="mt-2 block text-xs text-warning">"No key assigned: the agent is saved but not synced."</span> })}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset>
                    <legend class="text-sm font-medium">"Direction"</legend>
                    <div class="mt-2 flex flex-wrap gap-4">
                        {[(Direction::Inbound, "Receives incoming calls and greets the caller."), (Direction::Outbound, "Places calls and waits for the person to speak.")].into_iter().map(|(dir, hint)| view! {
                            <label class="flex max-w-xs items-start gap-2 text-sm">
                                <input type="radio" name="direction" value=dir.as_str()
                                    prop:checked=move || draft.with(|d| d.direction == dir)
                                    on:change=move |_| draft.update(|d| d.direction = dir)/>
                                <span><span class="font-medium">{dir.label()}</span><span class="block text-xs text-muted">{hint}</span></span>
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <Show when=move || draft.with(|d| d.direction == Direction::Inbound)>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" prop:checked=move || draft.with(|d| d.allow_outbound)
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.allow_outbound = on) }/>
                        "Also allow this agent in outbound campaigns"
                    </label>
                </Show>
                <Select label="Language" name="language" options=languages
                    value=Signal::derive(move || draft.with(|d| d.config.language.clone()))
                    on_change=Callback::new(move |v| draft.update(|d| d.config.language = v)) error=err("config.language")/>
            </div>
        </Card>
        <VoicePicker draft errors options/>
        <Card title="Voice speed">
            <Select label="Speed" name="voice_speed" options=speeds
                value=Signal::derive(move || draft.with(|d| format_speed(d.config.voice_speed)))
                on_change=Callback::new(move |v: String| { if let Ok(s) = v.parse() { draft.update(|d| d.config.voice_speed = s) } })
                error=err("config.voice_speed")/>
        </Card>
        <KnowledgePicker draft errors options/>
    }
}

fn format_speed(speed: f32) -> String {
    match speed {
        s if (s - 0.85).abs() < 0.01 => "0.85".into(),
        s if (s - 1.15).abs() < 0.01 => "1.15".into(),
        _ => "1".into(),
    }
}

#[component]
fn VoicePicker(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let gender = RwSignal::new(String::new());
    let error = error_for(errors, "config.voice_id".into());
    let voices = move || {
        let provider = draft.with(|d| d.provider);
        options.with_value(|o| voices_of(o, provider))
    };
    let voices_error = move || {
        let provider = draft.with(|d| d.provider);
        options.with_value(|o| {
            o.providers
                .iter()
                .find(|p| p.provider == provider)
                .and_then(|p| p.voices_error.clone())
        })
    };
    view! {
        <Card title="Voice" description="Pick how the agent sounds. Preview plays a sample in your browser.">
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField label="Find a voice" name="voice-search" kind="search" placeholder="Name, accent or style" on_input=Callback::new(move |v| search.set(v))/>
                <Select label="Gender" name="voice-gender" value=String::new() on_change=Callback::new(move |v| gender.set(v))
                    options=vec![(String::new(), "Any".into()), ("female".into(), "Female".into()), ("male".into(), "Male".into())]/>
            </div>
            {move || voices_error().map(|e| view! { <p class="mt-3 text-sm text-danger">{e}</p> })}
            {move || error.get().map(|e| view! { <p class="mt-3 text-sm text-danger" role="alert">{e}</p> })}
            <div class="mt-4 grid max-h-96 gap-2 overflow-y-auto sm:grid-cols-2" role="radiogroup" aria-label="Voices" data-testid="voice-list">
                {move || {
                    let needle = search.get().to_lowercase();
                    let g = gender.get();
                    voices().into_iter()
                        .filter(|v| g.is_empty() || v.gender == g)
                        .filter(|v| needle.is_empty() || format!("{} {} {}", v.name, v.accent, v.description).to_lowercase().contains(&needle))
                        .map(|v| {
                            let id = v.id.clone();
                            let chosen = { let id = id.clone(); Signal::derive(move || draft.with(|d| d.config.voice_id == id)) };
                            let pick = { let id = id.clone(); move |_| draft.update(|d| d.config.voice_id = id.clone()) };
                            let sample = v.clone();
                            view! {
                                <div class=move || format!("flex items-center gap-3 rounded-lg border p-3 {}", if chosen.get() { "border-brand bg-brand/5" } else { "border-line" })>
                                    <button type="button" role="radio" aria-checked=move || if chosen.get() { "true" } else { "false" } on:click=pick
                                        data-testid="voice-option" data-voice=id.clone() class="min-w-0 flex-1 text-left">
                                        <span class="block text-sm font-medium">{v.name.clone()}</span>
                                        <span class="block truncate text-xs text-muted">{format!("{} · {} · {}", v.gender, v.accent, v.description)}</span>
                                    </button>
                                    <button type="button" class="text-xs text-brand-ink underline underline-offset-2" aria-label=format!("Preview {}", v.name)
                                        on:click=move |_| preview(&sample, draft.with_untracked(|d| d.config.voice_speed))>
                                        "Preview"
                                    </button>
                                </div>
                            }
                        }).collect_view()
                }}
            </div>
        </Card>
    }
}

/// Plays the provider's sample when it has one, else speaks a line with the browser's
/// own speech synthesis (pitched by gender), so a preview works offline.
fn preview(voice: &Voice, speed: f32) {
    #[cfg(feature = "hydrate")]
    {
        if let Some(url) = &voice.preview_url
            && let Ok(audio) = web_sys::HtmlAudioElement::new_with_src(url)
        {
            let _ = audio.play();
            return;
        }
        let Some(synth) = window().speech_synthesis().ok() else {
            return;
        };
        let text = format!("Hi, I'm {}. How can I help you today?", voice.name);
        if let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) {
            utterance.set_rate(speed);
            utterance.set_pitch(if voice.gender == "female" { 1.3 } else { 0.8 });
            synth.cancel();
            synth.speak(&utterance);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (voice, speed);
    }
}

#[component]
fn KnowledgePicker(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let documents = options.with_value(|o| o.documents.clone());
    let error = error_for(errors, "knowledge_document_ids".into());
    let slug_hint =
        "Add documents in the Knowledge Base; active ones are given to the agent with its prompt.";
    view! {
        <Card title="Knowledge" description=slug_hint>
            {if documents.is_empty() {
                view! { <p class="text-sm text-muted" data-testid="no-documents">"No documents yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-2" data-testid="document-choices">
                        {documents.into_iter().map(|doc| {
                            let id = doc.id;
                            view! {
                                <li>
                                    <label class="flex items-center gap-2 text-sm">
                                        <input type="checkbox" data-testid="document-choice"
                                            prop:checked=move || draft.with(|d| d.knowledge_document_ids.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                draft.update(|d| {
                                                    d.knowledge_document_ids.retain(|x| *x != id);
                                                    if on { d.knowledge_document_ids.push(id); }
                                                });
                                            }/>
                                        <span>{doc.title.clone()}</span>
                                        <Badge>{doc.document_type.replace('_', " ")}</Badge>
                                        {(!doc.is_active).then(|| view! { <Badge tone=Tone::Warning>"Not active: not given to the agent"</Badge> })}
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || error.get().map(|e| view! { <p class="mt-2 text-sm text-danger" role="alert">{e}</p> })}
        </Card>
    }
}
