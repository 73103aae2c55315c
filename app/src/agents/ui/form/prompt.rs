//! Step 2 of the wizard: prompts, model settings, tools and variables.

use super::*;

#[component]
pub(super) fn PromptStep(
    draft: RwSignal<AgentDraft>,
    errors: RwSignal<FieldErrors>,
    options: StoredValue<AgentFormOptions>,
) -> impl IntoView {
    let err = move |f: &str| error_for(errors, f.to_owned());
    let models: Vec<(String, String)> = MODELS
        .iter()
        .map(|m| (m.id.to_owned(), m.label.to_owned()))
        .collect();
    let prompt_ref = NodeRef::<leptos::html::Textarea>::new();
    let insert = move |name: String| {
        let token = format!("{{{{{name}}}}}");
        #[cfg(feature = "hydrate")]
        let at = prompt_ref
            .get_untracked()
            .and_then(|t| t.selection_start().ok().flatten())
            .map(|p| p as usize);
        #[cfg(not(feature = "hydrate"))]
        let at: Option<usize> = None;
        draft.update(|d| {
            let prompt = &mut d.config.system_prompt;
            // selectionStart counts UTF-16 units; map it back to a char boundary.
            let byte = at
                .and_then(|units| {
                    let mut seen = 0;
                    prompt.char_indices().find_map(|(i, c)| {
                        if seen >= units {
                            return Some(i);
                        }
                        seen += c.len_utf16();
                        None
                    })
                })
                .unwrap_or(prompt.len());
            prompt.insert_str(byte, &token);
        });
    };
    let webhook_base = options.with_value(|o| o.webhook_base.clone());
    view! {
        <Card title="System prompt" description="Who the agent is, what it knows and how it behaves. Click a variable to insert it where the cursor is.">
            <div class="space-y-3">
                <div class="space-y-1.5">
                    <label for="field-system-prompt" class="block text-sm font-medium">"Prompt" <span class="text-danger" aria-hidden="true">" *"</span></label>
                    <textarea id="field-system-prompt" name="system_prompt" rows="10" node_ref=prompt_ref
                        aria-invalid=move || err("config.system_prompt").get().is_some().then_some("true")
                        class=move || crate::components::control_class(err("config.system_prompt").get().is_some())
                        prop:value=move || draft.with(|d| d.config.system_prompt.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.config.system_prompt = v) }></textarea>
                    {move || err("config.system_prompt").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
                </div>
                <VariablePalette draft options on_pick=Callback::new(insert)/>
            </div>
        </Card>
        <Show when=move || draft.with(|d| d.direction == Direction::Inbound)
            fallback=|| view! { <p class="rounded-lg bg-surface-2 px-4 py-3 text-sm text-muted">"Outbound agents have no greeting: they wait for the person who answers to speak first."</p> }>
            <Card title="Greeting">
                <TextField label="First message" name="first_message" required=true hint="What the agent says when it answers. Variables work here too."
                    value=Signal::derive(move || draft.with(|d| d.config.first_message.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.config.first_message = v)) error=err("config.first_message")/>
            </Card>
        </Show>
        <Card title="Model and limits">
            <div class="grid gap-4 sm:grid-cols-2">
                <Select label="Model" name="model" options=models
                    value=Signal::derive(move || draft.with(|d| d.config.model.clone()))
                    on_change=Callback::new(move |v| draft.update(|d| d.config.model = v)) error=err("config.model")/>
                <NumberField label="Temperature (0–2)" name="temperature" step="0.1" error=err("config.temperature")
                    value=Signal::derive(move || draft.with(|d| d.config.temperature.to_string()))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.temperature = v.parse().unwrap_or(f32::NAN)))/>
                <NumberField label="Max tokens per reply (1–4096)" name="max_tokens" step="1" error=err("config.max_tokens")
                    value=Signal::derive(move || draft.with(|d| d.config.max_tokens.to_string()))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.max_tokens = v.parse().unwrap_or(0)))/>
                <NumberField label="Longest call in seconds (60–3600)" name="max_duration_seconds" step="30" error=err("config.max_duration_seconds")
                    value=Signal::derive(move || draft.with(|d| d.config.max_duration_seconds.to_string()))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.max_duration_seconds = v.parse().unwrap_or(0)))/>
            </div>
            <div class="mt-4">
                <TextField label="End-call phrases" name="end_call_phrases" hint="Separate with commas, like: goodbye, talk soon" error=err("config.end_call_phrases")
                    value=Signal::derive(move || draft.with(|d| d.config.end_call_phrases.join(", ")))
                    on_input=Callback::new(move |v: String| draft.update(|d| d.config.end_call_phrases = v.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect()))/>
            </div>
        </Card>
        <Card title="Tools" description="What the agent can do during a call.">
            <div class="space-y-4">
                <TextField label="Tools server URL" name="tools_server_url" kind="url" hint="Custom functions send their arguments here unless a tool names its own URL."
                    placeholder="https://example.com/tools" error=err("config.tools_server_url")
                    value=Signal::derive(move || draft.with(|d| d.config.tools_server_url.clone()))
                    on_input=Callback::new(move |v| draft.update(|d| d.config.tools_server_url = v))/>
                <ToolsEditor draft errors/>
                <p class="text-xs text-muted">{format!("Call events arrive at {webhook_base}/{{provider}}.")}</p>
            </div>
        </Card>
        <AgentVariables draft errors/>
    }
}

#[component]
fn NumberField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(into)] step: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    on_input: Callback<String>,
) -> impl IntoView {
    let id = crate::components::control_id(&name);
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium">{label}</label>
            <input id=id name=name type="number" step=step inputmode="decimal"
                aria-invalid=move || error.get().is_some().then_some("true")
                class=move || crate::components::control_class(error.get().is_some())
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
            {move || error.get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
        </div>
    }
}

#[component]
fn VariablePalette(
    draft: RwSignal<AgentDraft>,
    options: StoredValue<AgentFormOptions>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let groups = move || {
        let mut all: Vec<Variable> = standard_variables();
        options.with_value(|o| all.extend(o.workspace_variables.iter().cloned()));
        draft.with(|d| {
            all.extend(
                d.config
                    .variables
                    .iter()
                    .filter(|v| crate::variables::model::is_variable_name(&v.name))
                    .cloned(),
            )
        });
        all
    };
    view! {
        <div class="flex flex-wrap gap-1.5" aria-label="Variables" data-testid="variable-palette">
            {move || groups().into_iter().map(|v| {
                let name = v.name.clone();
                let tone = match v.category { VariableCategory::Standard => Tone::Neutral, VariableCategory::Agent => Tone::Brand, _ => Tone::Info };
                view! {
                    <button type="button" title=v.description.clone() on:click=move |_| on_pick.run(name.clone())
                        class="rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand">
                        <Badge tone>{format!("{{{{{}}}}}", v.name)}</Badge>
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn AgentVariables(draft: RwSignal<AgentDraft>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.config.variables.len()));
    let add = move |_| {
        draft.update(|d| {
            d.config.variables.push(Variable {
                name: String::new(),
                description: String::new(),
                default_value: String::new(),
                is_required: false,
                category: VariableCategory::Agent,
            })
        })
    };
    view! {
        <Card title="Agent variables" description="Values this agent expects per call, like appointment_time. Campaigns fill them from their lists; the default is used otherwise.">
            <div class="space-y-3">
                {move || (0..count.get()).map(|i| {
                    let field = move |f: &str| error_for(errors, format!("variables.{i}.{f}"));
                    let get = move |f: fn(&Variable) -> String| Signal::derive(move || draft.with(|d| d.config.variables.get(i).map(f).unwrap_or_default()));
                    view! {
                        <div class="grid items-start gap-3 rounded-lg border border-line p-3 sm:grid-cols-[1fr_1fr_1fr_auto]" data-testid="agent-variable">
                            <TextField label="Name" name=format!("variable-{i}-name") placeholder="appointment_time" error=field("name")
                                value=get(|v| v.name.clone())
                                on_input=Callback::new(move |x| draft.update(|d| if let Some(v) = d.config.variables.get_mut(i) { v.name = x }))/>
                            <TextField label="Description" name=format!("variable-{i}-description") error=field("description")
                                value=get(|v| v.description.clone())
                                on_input=Callback::new(move |x| draft.update(|d| if let Some(v) = d.config.variables.get_mut(i) { v.description = x }))/>
                            <TextField label="Default value" name=format!("variable-{i}-default") error=field("default_value")
                                value=get(|v| v.default_value.clone())
                                on_input=Callback::new(move |x| draft.update(|d| if let Some(v) = d.config.variables.get_mut(i) { v.default_value = x }))/>
                            <div class="pt-7">
                                <Button variant=Variant::Ghost label=format!("Remove variable {}", i + 1)
                                    on_click=Callback::new(move |_| draft.update(|d| { if i < d.config.variables.len() { d.config.variables.remove(i); } }))>
                                    "Remove"
                                </Button>
                            </div>
                        </div>
                    }
                }).collect_view()}
                <Button variant=Variant::Secondary on_click=Callback::new(add)>"Add variable"</Button>
            </div>
        </Card>
    }
}
