//! The function-tools editor inside the agent form: add a tool of any kind the agent's
//! provider runs, then fill the fields that kind uses. Server-rendered: each tool's fields
//! post as `tool.{i}.{field}`, and adding or removing a tool or header is a submit button
//! of the wizard (`agents::wizard`). Messages from validation appear beside each field
//! (`tools.{i}.{field}`).

use leptos::prelude::*;

use super::{IntentButton, error_of};
use crate::agents::model::AgentProvider;
use crate::agents::wizard::Intent;
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Size, Variant};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::error::FieldErrors;
use crate::tools::kind::{ToolCategory, ToolKind};
use crate::tools::model::{HTTP_METHODS, Tool, TransferMode};

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
pub fn ToolsEditor(
    provider: AgentProvider,
    tools: Vec<Tool>,
    errors: FieldErrors,
) -> impl IntoView {
    let menu = CATEGORIES
        .iter()
        .filter_map(|category| {
            let kinds: Vec<ToolKind> = ToolKind::ALL
                .into_iter()
                .filter(|k| k.category() == *category && k.supports(provider))
                .collect();
            (!kinds.is_empty()).then(|| {
                view! {
                    <optgroup label=category
                        .label()>
                        {kinds
                            .into_iter()
                            .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                            .collect_view()}
                    </optgroup>
                }
            })
        })
        .collect_view();
    view! {
        <div class="space-y-3" data-testid="tools-editor">
            {tools
                .into_iter()
                .enumerate()
                .map(|(i, tool)| view! { <ToolCard i tool provider errors=errors.clone() /> })
                .collect_view()}
            <div class="flex flex-wrap items-end gap-2">
                <div class="space-y-1.5">
                    <label for="field-add-tool" class="block text-sm font-medium">
                        "Add a tool"
                    </label>
                    <select
                        id="field-add-tool"
                        name="add_tool_kind"
                        class=crate::components::control_class(false)
                    >
                        <option value="">"Choose a kind…"</option>
                        {menu}
                    </select>
                </div>
                <IntentButton intent=Intent::AddTool variant=Variant::Secondary anchor="#tools">
                    "Add tool"
                </IntentButton>
            </div>
        </div>
    }
}

#[component]
fn ToolCard(i: usize, tool: Tool, provider: AgentProvider, errors: FieldErrors) -> impl IntoView {
    let kind = tool.kind;
    let err = |f: &str| error_of(&errors, &format!("tools.{i}.{f}"));
    let name = |f: &str| format!("tool.{i}.{f}");
    let code_area = |field: &'static str, label: &'static str, value: String| {
        let id = crate::components::control_id(&name(field));
        let error = err(field);
        view! {
            <div class="space-y-1.5">
                <label for=id.clone() class="block text-sm font-medium">
                    {label}
                </label>
                <textarea
                    id=id
                    name=name(field)
                    rows="6"
                    spellcheck="false"
                    aria-invalid=error.is_some().then_some("true")
                    class=format!(
                        "{} font-mono text-xs",
                        crate::components::control_class(error.is_some()),
                    )
                >
                    {value}
                </textarea>
                {error
                    .map(|e| {
                        view! {
                            <p class="text-xs font-medium text-danger" role="alert">
                                {e}
                            </p>
                        }
                    })}
            </div>
        }
    };
    view! {
        <fieldset
            class="space-y-3 rounded-lg border border-line p-4"
            data-testid="tool-card"
            data-kind=kind.as_str()
        >
            <input type="hidden" name=name("shown") value="1" />
            <legend class="flex items-center gap-2 px-1 text-sm font-semibold">
                {kind.label()}
                {(!kind.supports(provider))
                    .then(|| view! { <Badge tone=Tone::Danger>"Not run by this provider"</Badge> })}
            </legend>
            <p class="text-xs text-muted">{kind.hint()}</p>
            {err("kind")
                .map(|e| {
                    view! {
                        <p class="text-xs font-medium text-danger" role="alert">
                            {e}
                        </p>
                    }
                })}
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField
                    label="Name"
                    name=name("name")
                    hint="What the model calls it: letters, digits and _."
                    value=tool.name.clone()
                    error=err("name")
                />
                <TextField
                    label="When to use it"
                    name=name("description")
                    value=tool.description.clone()
                    error=err("description")
                />
            </div>
            {kind
                .url_label()
                .map(|label| {
                    view! {
                        <TextField
                            label=label
                            name=name("url")
                            kind="url"
                            placeholder="https://"
                            value=tool.url.clone()
                            error=err("url")
                        />
                    }
                })}
            {(kind == ToolKind::ApiRequest)
                .then(|| {
                    view! {
                        <Select
                            label="Method"
                            name=name("method")
                            options=HTTP_METHODS
                                .iter()
                                .map(|m| ((*m).to_owned(), (*m).to_owned()))
                                .collect()
                            value=tool.method.clone()
                            error=err("method")
                        />
                        <div class="space-y-2">
                            <p class="text-sm font-medium">"Headers"</p>
                            {tool
                                .headers
                                .iter()
                                .enumerate()
                                .map(|(h, header)| {
                                    view! {
                                        <div class="grid gap-2 sm:grid-cols-2">
                                            <TextField
                                                label="Header"
                                                name=name(&format!("header.{h}.name"))
                                                value=header.name.clone()
                                            />
                                            <TextField
                                                label="Value"
                                                name=name(&format!("header.{h}.value"))
                                                value=header.value.clone()
                                            />
                                        </div>
                                    }
                                })
                                .collect_view()}
                            <IntentButton
                                intent=Intent::AddHeader(i)
                                size=Size::Small
                                variant=Variant::Ghost
                                anchor="#tools"
                            >
                                "Add header"
                            </IntentButton>
                        </div>
                    }
                })}
            {kind
                .has_parameters()
                .then(|| code_area(
                    "parameters",
                    "Parameters (JSON schema)",
                    tool.parameters.clone(),
                ))}
            {(kind == ToolKind::TransferCall)
                .then(|| {
                    view! {
                        <div class="grid gap-3 sm:grid-cols-2">
                            <TextField
                                label="Transfer to"
                                name=name("transfer_number")
                                kind="tel"
                                placeholder="+14155550100"
                                value=tool.transfer_number.clone()
                                error=err("transfer_number")
                            />
                            <Select
                                label="Transfer"
                                name=name("transfer_mode")
                                options=vec![
                                    ("cold".into(), "Put straight through".into()),
                                    ("warm".into(), "Brief the person first".into()),
                                ]
                                value=if tool.transfer_mode == TransferMode::Warm {
                                    "warm".to_owned()
                                } else {
                                    "cold".to_owned()
                                }
                            />
                        </div>
                    }
                })}
            {(kind == ToolKind::Handoff)
                .then(|| {
                    view! {
                        <TextField
                            label="VAPI assistant id"
                            name=name("assistant_id")
                            value=tool.assistant_id.clone()
                            error=err("assistant_id")
                        />
                    }
                })}
            {(kind == ToolKind::Code)
                .then(|| code_area(
                    "code",
                    "Code (TypeScript; the arguments are in args)",
                    tool.code.clone(),
                ))}
            {(kind == ToolKind::Query)
                .then(|| {
                    view! {
                        <TextField
                            label="Provider file ids"
                            name=name("file_ids")
                            hint="Separate with commas."
                            value=tool.file_ids.clone()
                            error=err("file_ids")
                        />
                    }
                })}
            {matches!(kind, ToolKind::CalCheckAvailability | ToolKind::CalBookAppointment)
                .then(|| {
                    view! {
                        <div class="grid gap-3 sm:grid-cols-3">
                            <TextField
                                label="Cal.com API key"
                                name=name("cal_api_key")
                                kind="password"
                                autocomplete="off"
                                value=tool.cal_api_key.clone()
                                error=err("cal_api_key")
                            />
                            <TextField
                                label="Event type id"
                                name=name("event_type_id")
                                value=tool.event_type_id.clone()
                                error=err("event_type_id")
                            />
                            <TextField
                                label="Timezone"
                                name=name("timezone")
                                placeholder="America/New_York"
                                value=tool.timezone.clone()
                                error=err("timezone")
                            />
                        </div>
                    }
                })}
            {(kind == ToolKind::Sms)
                .then(|| {
                    view! {
                        <TextField
                            label="Text to send (leave empty to let the agent write it)"
                            name=name("sms_text")
                            value=tool.sms_text.clone()
                            error=err("sms_text")
                        />
                    }
                })}
            {(!matches!(
                kind,
                ToolKind::Bash
                | ToolKind::Computer
                | ToolKind::TextEditor
                | ToolKind::Query
                | ToolKind::Mcp
                | ToolKind::Dtmf
            ))
                .then(|| {
                    view! {
                        <TextField
                            label="Say while it runs (optional)"
                            name=name("message")
                            placeholder="One moment while I check."
                            value=tool.message.clone()
                            error=err("message")
                        />
                    }
                })}
            <div class="flex items-center justify-between">
                <label class="flex items-center gap-2 text-sm">
                    <input type="checkbox" name=name("enabled") checked=tool.enabled />
                    "Enabled"
                </label>
                <IntentButton
                    intent=Intent::RemoveTool(i)
                    size=Size::Small
                    variant=Variant::Ghost
                    anchor="#tools"
                    label=format!("Remove tool {}", i + 1)
                >
                    "Remove"
                </IntentButton>
            </div>
        </fieldset>
    }
}
