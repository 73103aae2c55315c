//! The function-tools editor inside the agent form: add a tool of any kind the agent's
//! provider runs, then fill the fields that kind uses. Messages from validation appear
//! beside each field (`tools.{i}.{field}`).

use leptos::prelude::*;

use super::model::{HTTP_METHODS, Tool, ToolCategory, ToolHeader, ToolKind, TransferMode};
use crate::agents::model::AgentDraft;
use crate::agents::ui::form::error_for;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::FieldErrors;

const CATEGORIES: [ToolCategory; 7] = [
    ToolCategory::CallControl,
    ToolCategory::Api,
    ToolCategory::Calendar,
    ToolCategory::Messaging,
    ToolCategory::Crm,
    ToolCategory::Data,
    ToolCategory::Code,
];

#[component]
pub fn ToolsEditor(draft: RwSignal<AgentDraft>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.config.tools.len()));
    let choice = RwSignal::new(String::new());
    let add = move |_| {
        let Some(kind) = ToolKind::parse(&choice.get_untracked()) else {
            return;
        };
        draft.update(|d| {
            let mut tool = Tool::new(kind);
            // Keep names unique: book_appointment, book_appointment_2, …
            let base = tool.name.clone();
            let mut n = 2;
            while d.config.tools.iter().any(|t| t.name == tool.name) {
                tool.name = format!("{base}_{n}");
                n += 1;
            }
            d.config.tools.push(tool);
        });
    };
    let menu = move || {
        let provider = draft.with(|d| d.provider);
        CATEGORIES
            .iter()
            .map(|category| {
                let kinds: Vec<ToolKind> = ToolKind::ALL
                    .into_iter()
                    .filter(|k| k.category() == *category && k.supports(provider))
                    .collect();
                (!kinds.is_empty()).then(|| {
                    view! {
                        <optgroup label=category.label()>
                            {kinds.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                        </optgroup>
                    }
                })
            })
            .collect_view()
    };
    view! {
        <div class="space-y-3" data-testid="tools-editor">
            {move || (0..count.get()).map(|i| view! { <ToolCard i draft errors/> }).collect_view()}
            <div class="flex flex-wrap items-end gap-2">
                <div class="space-y-1.5">
                    <label for="field-add-tool" class="block text-sm font-medium">"Add a tool"</label>
                    <select id="field-add-tool" class=crate::components::control_class(false)
                        on:change=move |ev| choice.set(event_target_value(&ev))>
                        <option value="">"Choose a kind…"</option>
                        {menu}
                    </select>
                </div>
                <Button variant=Variant::Secondary disabled=Signal::derive(move || choice.get().is_empty()) on_click=Callback::new(add)>"Add tool"</Button>
            </div>
        </div>
    }
}

#[component]
fn ToolCard(i: usize, draft: RwSignal<AgentDraft>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let tool = move || draft.with(|d| d.config.tools.get(i).cloned());
    let Some(initial) = tool() else {
        return ().into_any();
    };
    let kind = initial.kind;
    let err = move |f: &str| error_for(errors, format!("tools.{i}.{f}"));
    let text = move |f: fn(&Tool) -> String| {
        Signal::derive(move || tool().map(|t| f(&t)).unwrap_or_default())
    };
    let set = move |apply: fn(&mut Tool, String)| {
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(t) = d.config.tools.get_mut(i) {
                    apply(t, v);
                }
            })
        })
    };
    let supported = Signal::derive(move || draft.with(|d| kind.supports(d.provider)));
    let name_field = format!("tool-{i}");
    view! {
        <fieldset class="space-y-3 rounded-lg border border-line p-4" data-testid="tool-card" data-kind=kind.as_str()>
            <legend class="flex items-center gap-2 px-1 text-sm font-semibold">
                {kind.label()}
                <Show when=move || !supported.get()>
                    <Badge tone=Tone::Danger>"Not run by this provider"</Badge>
                </Show>
            </legend>
            <p class="text-xs text-muted">{kind.hint()}</p>
            {move || err("kind").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField label="Name" name=format!("{name_field}-name") hint="What the model calls it: letters, digits and _." value=text(|t| t.name.clone()) on_input=set(|t, v| t.name = v) error=err("name")/>
                <TextField label="When to use it" name=format!("{name_field}-description") value=text(|t| t.description.clone()) on_input=set(|t, v| t.description = v) error=err("description")/>
            </div>
            {kind.url_label().map(|label| view! {
                <TextField label=label name=format!("{name_field}-url") kind="url" placeholder="https://" value=text(|t| t.url.clone()) on_input=set(|t, v| t.url = v) error=err("url")/>
            })}
            {(kind == ToolKind::ApiRequest).then(|| view! {
                <Select label="Method" name=format!("{name_field}-method") options=HTTP_METHODS.iter().map(|m| ((*m).to_owned(), (*m).to_owned())).collect()
                    value=text(|t| t.method.clone()) on_change=set(|t, v| t.method = v) error=err("method")/>
                <HeadersEditor i draft/>
            })}
            {kind.has_parameters().then(|| view! {
                <div class="space-y-1.5">
                    <label for=format!("field-{name_field}-parameters") class="block text-sm font-medium">"Parameters (JSON schema)"</label>
                    <textarea id=format!("field-{name_field}-parameters") rows="6" spellcheck="false"
                        class=move || format!("{} font-mono text-xs", crate::components::control_class(err("parameters").get().is_some()))
                        prop:value=move || text(|t| t.parameters.clone()).get()
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(t) = d.config.tools.get_mut(i) { t.parameters = v }) }></textarea>
                    {move || err("parameters").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
                </div>
            })}
            {(kind == ToolKind::TransferCall).then(|| view! {
                <div class="grid gap-3 sm:grid-cols-2">
                    <TextField label="Transfer to" name=format!("{name_field}-number") kind="tel" placeholder="+14155550100" value=text(|t| t.transfer_number.clone()) on_input=set(|t, v| t.transfer_number = v) error=err("transfer_number")/>
                    <Select label="Transfer" name=format!("{name_field}-mode") options=vec![("cold".into(), "Put straight through".into()), ("warm".into(), "Brief the person first".into())]
                        value=text(|t| if t.transfer_mode == TransferMode::Warm { "warm".into() } else { "cold".into() })
                        on_change=set(|t, v| t.transfer_mode = if v == "warm" { TransferMode::Warm } else { TransferMode::Cold })/>
                </div>
            })}
            {(kind == ToolKind::Handoff).then(|| view! {
                <TextField label="VAPI assistant id" name=format!("{name_field}-assistant") value=text(|t| t.assistant_id.clone()) on_input=set(|t, v| t.assistant_id = v) error=err("assistant_id")/>
            })}
            {(kind == ToolKind::Code).then(|| view! {
                <div class="space-y-1.5">
                    <label for=format!("field-{name_field}-code") class="block text-sm font-medium">"Code (TypeScript; the arguments are in args)"</label>
                    <textarea id=format!("field-{name_field}-code") rows="6" spellcheck="false"
                        class=move || format!("{} font-mono text-xs", crate::components::control_class(err("code").get().is_some()))
                        prop:value=move || text(|t| t.code.clone()).get()
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(t) = d.config.tools.get_mut(i) { t.code = v }) }></textarea>
                    {move || err("code").get().map(|e| view! { <p class="text-xs font-medium text-danger" role="alert">{e}</p> })}
                </div>
            })}
            {(kind == ToolKind::Query).then(|| view! {
                <TextField label="Provider file ids" name=format!("{name_field}-files") hint="Separate with commas." value=text(|t| t.file_ids.clone()) on_input=set(|t, v| t.file_ids = v) error=err("file_ids")/>
            })}
            {matches!(kind, ToolKind::CalCheckAvailability | ToolKind::CalBookAppointment).then(|| view! {
                <div class="grid gap-3 sm:grid-cols-3">
                    <TextField label="Cal.com API key" name=format!("{name_field}-cal-key") kind="password" autocomplete="off" value=text(|t| t.cal_api_key.clone()) on_input=set(|t, v| t.cal_api_key = v) error=err("cal_api_key")/>
                    <TextField label="Event type id" name=format!("{name_field}-event") value=text(|t| t.event_type_id.clone()) on_input=set(|t, v| t.event_type_id = v) error=err("event_type_id")/>
                    <TextField label="Timezone" name=format!("{name_field}-tz") placeholder="America/New_York" value=text(|t| t.timezone.clone()) on_input=set(|t, v| t.timezone = v) error=err("timezone")/>
                </div>
            })}
            {(kind == ToolKind::Sms).then(|| view! {
                <TextField label="Text to send (leave empty to let the agent write it)" name=format!("{name_field}-sms") value=text(|t| t.sms_text.clone()) on_input=set(|t, v| t.sms_text = v) error=err("sms_text")/>
            })}
            {(!matches!(kind, ToolKind::Bash | ToolKind::Computer | ToolKind::TextEditor | ToolKind::Query | ToolKind::Mcp | ToolKind::Dtmf)).then(|| view! {
                <TextField label="Say while it runs (optional)" name=format!("{name_field}-message") placeholder="One moment while I check." value=text(|t| t.message.clone()) on_input=set(|t, v| t.message = v) error=err("message")/>
            })}
            <div class="flex items-center justify-between">
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" prop:checked=move || tool().is_some_and(|t| t.enabled)
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(t) = d.config.tools.get_mut(i) { t.enabled = on }) }/>
                    "Enabled"
                </label>
                <Button size=Size::Small variant=Variant::Ghost label=format!("Remove tool {}", i + 1)
                    on_click=Callback::new(move |_| draft.update(|d| { if i < d.config.tools.len() { d.config.tools.remove(i); } }))>
                    "Remove"
                </Button>
            </div>
        </fieldset>
    }
    .into_any()
}

#[component]
fn HeadersEditor(i: usize, draft: RwSignal<AgentDraft>) -> impl IntoView {
    let count = Memo::new(move |_| {
        draft.with(|d| d.config.tools.get(i).map(|t| t.headers.len()).unwrap_or(0))
    });
    let header = move |h: usize, value: bool| {
        Signal::derive(move || {
            draft.with(|d| {
                d.config
                    .tools
                    .get(i)
                    .and_then(|t| t.headers.get(h))
                    .map(|x| {
                        if value {
                            x.value.clone()
                        } else {
                            x.name.clone()
                        }
                    })
                    .unwrap_or_default()
            })
        })
    };
    let edit = move |h: usize, value: bool| {
        Callback::new(move |v: String| {
            draft.update(|d| {
                if let Some(x) = d.config.tools.get_mut(i).and_then(|t| t.headers.get_mut(h)) {
                    if value { x.value = v } else { x.name = v }
                }
            })
        })
    };
    view! {
        <div class="space-y-2">
            <p class="text-sm font-medium">"Headers"</p>
            {move || (0..count.get()).map(|h| view! {
                <div class="grid gap-2 sm:grid-cols-2">
                    <TextField label="Header" name=format!("tool-{i}-header-{h}") value=header(h, false) on_input=edit(h, false)/>
                    <TextField label="Value" name=format!("tool-{i}-header-{h}-value") value=header(h, true) on_input=edit(h, true)/>
                </div>
            }).collect_view()}
            <Button size=Size::Small variant=Variant::Ghost
                on_click=Callback::new(move |_| draft.update(|d| if let Some(t) = d.config.tools.get_mut(i) { t.headers.push(ToolHeader::default()) }))>
                "Add header"
            </Button>
        </div>
    }
}
