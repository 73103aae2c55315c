//! The wizard's five steps, each a plain form.

use leptos::prelude::*;
use uuid::Uuid;

use super::super::api::{AddRecipient, LaunchCampaign, SaveDetails, SaveSchedule, SaveVariables};
use super::super::model::{CampaignSettings, DAY_NAMES, WizardData, clock};
use crate::components::button::{Button, LinkButton, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::select::Select;
use crate::components::textarea::TextArea;
use crate::tenancy::model::COMMON_ZONES;

const COUNTRIES: &[(&str, &str)] = &[
    ("US", "United States"),
    ("CA", "Canada"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("ES", "Spain"),
    ("IT", "Italy"),
    ("NL", "Netherlands"),
    ("MX", "Mexico"),
    ("BR", "Brazil"),
    ("IN", "India"),
    ("SG", "Singapore"),
    ("AE", "United Arab Emirates"),
    ("ZA", "South Africa"),
];

fn settings(data: &WizardData) -> CampaignSettings {
    data.detail
        .as_ref()
        .map(|d| d.settings.clone())
        .unwrap_or_else(|| CampaignSettings {
            time_zone: data.default_time_zone.clone(),
            ..Default::default()
        })
}

fn hidden(slug: String, id: Option<Uuid>) -> impl IntoView {
    view! {
        <input type="hidden" name="slug" value=slug />
        {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
    }
}

#[component]
pub fn DetailsStep(slug: String, data: WizardData) -> impl IntoView {
    let save = ServerAction::<SaveDetails>::new();
    let s = settings(&data);
    let id = data.detail.as_ref().map(|d| d.id);
    let mut agents: Vec<(String, String)> = vec![(String::new(), "Choose an agent".into())];
    agents.extend(data.agents.iter().map(|a| {
        let label = match &a.problem {
            Some(p) => format!("{} ({}, {p})", a.name, a.provider),
            None => format!("{} ({})", a.name, a.provider),
        };
        (a.id.to_string(), label)
    }));
    let mut zones: Vec<(String, String)> = COMMON_ZONES
        .iter()
        .map(|z| ((*z).to_owned(), z.replace('_', " ")))
        .collect();
    if !COMMON_ZONES.contains(&s.time_zone.as_str()) {
        zones.insert(0, (s.time_zone.clone(), s.time_zone.clone()));
    }
    let countries = COUNTRIES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), format!("{name} (+{code})")))
        .collect();
    let error = move |field: &'static str| field_error(save.value(), field);
    view! {
        <Card>
            <ActionForm action=save attr:class="space-y-4" attr:data-testid="details-form">
                {hidden(slug.clone(), id)}
                <FormAlert message=form_error(save.value()) />
                <TextField
                    label="Name"
                    name="name"
                    value=s.name.clone()
                    required=true
                    placeholder="Spring check-up reminders"
                    error=error("name")
                />
                <TextArea
                    label="Description"
                    name="description"
                    value=s.description.clone()
                    rows=2
                    error=error("description")
                />
                <Select
                    label="Agent that makes the calls"
                    name="agent_id"
                    options=agents
                    value=s.agent_id.map(|a| a.to_string()).unwrap_or_default()
                    error=error("agent_id")
                />
                <div class="grid gap-4 sm:grid-cols-2">
                    <Select
                        label="Campaign time zone"
                        name="time_zone"
                        options=zones
                        value=s.time_zone.clone()
                        error=error("time_zone")
                    />
                    <Select
                        label="Numbers without a country code are in"
                        name="default_country"
                        options=countries
                        value=s.default_country.clone()
                        error=error("default_country")
                    />
                </div>
                <p class="text-xs text-muted">
                    "Each person is called in their own time: their list's time-zone column, else their number's country; the campaign's zone is for anyone else."
                </p>
                <Button kind="submit">"Save and continue"</Button>
            </ActionForm>
        </Card>
    }
}

#[component]
pub fn RecipientsStep(
    slug: String,
    id: Uuid,
    /// The campaign's figures (none only for a new campaign, which has no list yet).
    detail: Option<super::super::model::CampaignDetail>,
    data: WizardData,
    error: Option<String>,
) -> impl IntoView {
    let add = ServerAction::<AddRecipient>::new();
    let import_to = format!("/w/{slug}/campaigns/{id}/import");
    let rejects_csv = format!("/w/{slug}/campaigns/{id}/rejects.csv");
    let next = format!("/w/{slug}/campaigns/{id}/edit?step=3");
    let template = format!("/w/{slug}/campaigns/{id}/template.csv");
    let form_slug = slug.clone();
    let (total, rejected) = detail
        .as_ref()
        .map_or((0, 0), |d| (d.progress.total, d.rejected));
    let rejects = data.rejects.clone();
    view! {
        <Card>
            <form
                method="post"
                action=import_to
                enctype="multipart/form-data"
                class="space-y-3"
                data-testid="import-form"
                data-slug=form_slug
                data-id=id.to_string()
            >
                <h2 class="font-semibold">"Import a list"</h2>
                <p class="text-sm text-muted">
                    "A CSV file with a header row, up to 100,000 rows. Columns are recognised by their headers (phone, first name, last name, email, company, time zone); any other column becomes a variable for your agent. "
                    <a href=template class="text-brand-ink hover:underline" download="">
                        "Download a template"
                    </a>
                </p>
                {error.map(|e| view! { <FormAlert message=Some(e) /> })}
                <label class="block text-sm font-medium" for="list-file">
                    "List (.csv)"
                </label>
                <input
                    id="list-file"
                    name="file"
                    type="file"
                    accept=".csv,text/csv"
                    required
                    class="block text-sm"
                />
                // Filled by /js/campaign-list.js once a file is chosen: what each column
                // holds, changeable, and the upload's progress.
                <div data-columns hidden></div>
                <div data-progress hidden class="space-y-1" role="status">
                    <progress max="100" value="0" class="w-full"></progress>
                    <p class="text-xs text-muted"></p>
                </div>
                <Button kind="submit" variant=Variant::Secondary>
                    "Import"
                </Button>
            </form>
            <script type="module" src="/js/campaign-list.js"></script>
        </Card>
        <Card>
            <ActionForm action=add attr:class="grid items-end gap-3 sm:grid-cols-[1fr_1fr_auto]">
                {hidden(slug.clone(), Some(id))}
                <TextField label="Phone" name="phone" placeholder="+1 415 555 0100" />
                <TextField label="Name" name="name" />
                <Button kind="submit" variant=Variant::Secondary>
                    "Add one"
                </Button>
            </ActionForm>
            <FormAlert message=form_error(add.value()) />
        </Card>
        <div class="space-y-2" data-testid="recipient-count">
            <p class="text-sm">
                {format!("{total} recipients on the list; {rejected} rows could not be used.")}
            </p>
            {(!rejects.is_empty())
                .then(|| {
                    view! {
                        <a href=rejects_csv.clone() class="text-sm text-brand-ink hover:underline">
                            "Download the rows not used (CSV)"
                        </a>
                        <ul class="space-y-1 text-xs text-muted" data-testid="rejects">
                            {rejects
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <li>
                                            {format!("Row {}: {} {}", r.row, r.phone, r.detail)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </div>
        {(total > 0)
            .then(|| {
                view! { <LinkButton href=next>"Continue"</LinkButton> }
            })}
    }
}

#[component]
pub fn VariablesStep(slug: String, id: Uuid, data: WizardData) -> impl IntoView {
    let save = ServerAction::<SaveVariables>::new();
    let s = settings(&data);
    let columns: Vec<(String, String)> = std::iter::once((String::new(), "No column".into()))
        .chain(
            data.columns
                .iter()
                .filter_map(|c| c.variable.clone().map(|v| (v, c.header.clone()))),
        )
        .collect();
    let rows = data
        .placeholders
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let current = s.variables.iter().find(|v| &v.name == name);
            let column = current
                .and_then(|v| v.column.clone())
                .or_else(|| {
                    data.columns
                        .iter()
                        .find(|c| c.variable.as_deref() == Some(name))
                        .and_then(|c| c.variable.clone())
                })
                .unwrap_or_default();
            let default = current.map(|v| v.default.clone()).unwrap_or_default();
            view! {
                <div class="grid items-end gap-3 sm:grid-cols-3">
                    <input type="hidden" name=format!("variables[{i}][name]") value=name.clone() />
                    <p class="pb-2 font-mono text-sm">{format!("{{{{{name}}}}}")}</p>
                    <Select
                        label="From column"
                        name=format!("variables[{i}][column]")
                        id=format!("variable-{i}-column")
                        options=columns.clone()
                        value=column
                    />
                    <TextField
                        label="Otherwise"
                        name=format!("variables[{i}][default]")
                        id=format!("variable-{i}-default")
                        value=default
                    />
                </div>
            }
        })
        .collect_view();
    view! {
        <Card>
            <ActionForm action=save attr:class="space-y-4" attr:data-testid="variables-form">
                {hidden(slug.clone(), Some(id))}
                <FormAlert message=form_error(save.value()) />
                <p class="text-sm text-muted">
                    "Each of your agent's placeholders takes the recipient's column when it has a value there, otherwise the value given here."
                </p>
                {rows}
                {data
                    .placeholders
                    .is_empty()
                    .then(|| {
                        view! {
                            <p class="text-sm text-muted">
                                "The agent's greeting and prompt use no placeholders."
                            </p>
                        }
                    })}
                <Button kind="submit">"Save and continue"</Button>
            </ActionForm>
        </Card>
        {data
            .preview_recipient
            .clone()
            .map(|who| {
                view! {
                    <Card>
                        <h2 class="font-semibold">{format!("What {who} hears")}</h2>
                        <p class="mt-2 text-sm" data-testid="preview-greeting">
                            {data.preview_greeting.clone()}
                        </p>
                        <pre
                            class="mt-2 whitespace-pre-wrap text-xs text-muted"
                            data-testid="preview-prompt"
                        >
                            {data.preview_prompt.clone()}
                        </pre>
                    </Card>
                }
            })}
    }
}

#[component]
pub fn ScheduleStep(slug: String, id: Uuid, data: WizardData) -> impl IntoView {
    let save = ServerAction::<SaveSchedule>::new();
    let s = settings(&data);
    let local = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    };
    let days = (0..7u8)
        .map(|day| {
            let window = s.windows.iter().find(|w| w.day == day);
            let on = window.is_some();
            let (start, end) = window.map_or(("09:00".to_owned(), "17:00".to_owned()), |w| {
                (clock(w.start), clock(w.end))
            });
            let i = usize::from(day);
            view! {
                <div class="grid grid-cols-[8rem_1fr_1fr] items-center gap-3">
                    <input type="hidden" name=format!("days[{i}][day]") value=day.to_string() />
                    <label class="flex items-center gap-2 text-sm">
                        <input
                            type="checkbox"
                            name=format!("days[{i}][on]")
                            value="on"
                            checked=on
                        />
                        {DAY_NAMES[i]}
                    </label>
                    <input
                        type="time"
                        name=format!("days[{i}][start]")
                        value=start
                        min="08:00"
                        max="21:00"
                        aria-label=format!("{} from", DAY_NAMES[i])
                        class="rounded-md border border-line bg-surface px-2 py-1 text-sm"
                    />
                    <input
                        type="time"
                        name=format!("days[{i}][end]")
                        value=end
                        min="08:00"
                        max="21:00"
                        aria-label=format!("{} until", DAY_NAMES[i])
                        class="rounded-md border border-line bg-surface px-2 py-1 text-sm"
                    />
                </div>
            }
        })
        .collect_view();
    let error = move |field: &'static str| field_error(save.value(), field);
    let scheduled = s.starts_at.is_some();
    view! {
        <Card>
            <ActionForm action=save attr:class="space-y-5" attr:data-testid="schedule-form">
                {hidden(slug.clone(), Some(id))}
                <FormAlert message=form_error(save.value()) />
                <fieldset class="space-y-2">
                    <legend class="text-sm font-medium">"Start"</legend>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="radio" name="start" value="now" checked=!scheduled />
                        "When launched"
                    </label>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="radio" name="start" value="at" checked=scheduled />
                        "At a time (the campaign's zone)"
                    </label>
                    <input
                        type="datetime-local"
                        name="starts_at"
                        value=local(s.starts_at)
                        aria-label="Start at"
                        class="rounded-md border border-line bg-surface px-2 py-1 text-sm"
                    />
                </fieldset>
                <TextField
                    label="End (optional; nobody is called after it)"
                    name="ends_at"
                    kind="datetime-local"
                    value=local(s.ends_at)
                    error=error("ends_at")
                />
                <fieldset class="space-y-2">
                    <legend class="text-sm font-medium">
                        "Calling windows, in each person's own time (08:00–21:00)"
                    </legend>
                    {days}
                </fieldset>
                <TextField
                    label="Calls at once"
                    name="concurrency"
                    kind="number"
                    value=s.concurrency.to_string()
                    error=error("concurrency")
                />
                <div class="grid gap-3 sm:grid-cols-3">
                    {[
                        ("no_answer", "No answer", s.retry.no_answer),
                        ("busy", "Busy", s.retry.busy),
                        ("voicemail", "Voicemail", s.retry.voicemail),
                    ]
                        .into_iter()
                        .map(|(key, label, r)| {
                            let (attempts_field, delay_field) = retry_fields(key);
                            view! {
                                <fieldset class="space-y-2 rounded-lg border border-line p-3">
                                    <legend class="px-1 text-sm font-medium">{label}</legend>
                                    <TextField
                                        label="Calls at most"
                                        name=format!("{key}_attempts")
                                        kind="number"
                                        value=r.attempts.to_string()
                                        error=error(attempts_field)
                                    />
                                    <TextField
                                        label="Minutes between"
                                        name=format!("{key}_delay")
                                        kind="number"
                                        value=r.delay_minutes.to_string()
                                        error=error(delay_field)
                                    />
                                </fieldset>
                            }
                        })
                        .collect_view()}
                </div>
                <Button kind="submit">"Save and continue"</Button>
            </ActionForm>
        </Card>
    }
}

/// The error fields of an outcome's retry rule.
fn retry_fields(key: &str) -> (&'static str, &'static str) {
    match key {
        "no_answer" => ("retry.no_answer.attempts", "retry.no_answer.delay_minutes"),
        "busy" => ("retry.busy.attempts", "retry.busy.delay_minutes"),
        _ => ("retry.voicemail.attempts", "retry.voicemail.delay_minutes"),
    }
}

#[component]
pub fn ReviewStep(slug: String, id: Uuid, data: WizardData) -> impl IntoView {
    let launch = ServerAction::<LaunchCampaign>::new();
    let p = data.launch.clone().unwrap_or_default();
    let ready = p.problems.is_empty();
    // Each group with the people in it, as CSV, when there are any.
    let base = format!("/w/{slug}/campaigns/{id}");
    let line = move |label: &'static str, n: u64, download: Option<&'static str>| {
        let link = download.filter(|_| n > 0).map(|path| {
            view! {
                <a
                    href=format!("{base}/{path}")
                    class="ml-3 text-xs text-brand-ink hover:underline"
                >
                    "CSV"
                </a>
            }
        });
        view! {
            <div class="flex justify-between gap-4 py-1 text-sm">
                <dt class="text-muted">{label}</dt>
                <dd class="tabular-nums">{n} {link}</dd>
            </div>
        }
    };
    view! {
        <Card>
            <h2 class="font-semibold" data-testid="compliance-summary">
                {format!(
                    "{} of {} will be called; {} skipped.",
                    p.will_call,
                    p.recipients,
                    p.recipients - p.will_call,
                )}
            </h2>
            <dl class="mt-3 divide-y divide-line" data-testid="compliance-preview">
                {line(
                    "On a do-not-call list",
                    p.do_not_call,
                    Some("skipped.csv?group=do_not_call"),
                )}
                {line(
                    "No calling window before the end",
                    p.no_window,
                    Some("skipped.csv?group=no_window"),
                )}
                {line("Rows with no valid number", p.invalid, Some("rejects.csv?reason=invalid"))}
                {line("Duplicate rows merged", p.duplicate, Some("rejects.csv?reason=duplicate"))}
                {line("Other rows not used", p.other_rejects, None)}
            </dl>
            <p class="mt-3 text-sm text-muted">
                {format!(
                    "About {} minutes to call everyone once, about {} at the workspace's rate.",
                    p.estimated_minutes,
                    crate::billing::model::dollars(p.estimated_cents),
                )}
            </p>
        </Card>
        {(!ready)
            .then(|| {
                view! {
                    <div role="alert" class="rounded-xl border border-danger/40 p-4 text-sm">
                        <p class="font-medium">"Before it can launch:"</p>
                        <ul class="mt-1 list-disc pl-5">
                            {p
                                .problems
                                .iter()
                                .map(|m| view! { <li>{m.clone()}</li> })
                                .collect_view()}
                        </ul>
                    </div>
                }
            })}
        <ActionForm action=launch>
            {hidden(slug.clone(), Some(id))} <FormAlert message=form_error(launch.value()) />
            <Button kind="submit" disabled=!ready>
                "Launch campaign"
            </Button>
        </ActionForm>
    }
}
