//! The interface kit on one page: every component in its states, so designers and tests
//! can see them in a real browser.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::card::Card;
use crate::components::checkbox::{Checkbox, Switch};
use crate::components::dialog::Dialog;
use crate::components::icon::IconName;
use crate::components::input::TextField;
use crate::components::pagination::Pagination;
use crate::components::select::Select;
use crate::components::spinner::{Skeleton, Spinner};
use crate::components::stat_card::StatCard;
use crate::components::table::{EmptyState, Table};
use crate::components::tabs::{TabPanel, Tabs};
use crate::components::textarea::TextArea;
use crate::components::theme::ThemeToggle;
use crate::components::toast::{ToastKind, use_toasts};

#[component]
pub fn DesignSystemPage() -> impl IntoView {
    view! {
        <Title text="Interface kit"/>
        <InterfaceKit/>
    }
}

/// The whole kit is one island: every control on it is there to be clicked.
#[island(lazy)]
fn InterfaceKit() -> impl IntoView {
    let toasts = use_toasts();
    let dialog_open = RwSignal::new(false);
    let agreed = RwSignal::new(false);
    let active = RwSignal::new(true);
    let tab = RwSignal::new("overview");
    let clicks = RwSignal::new(0u32);
    let name = RwSignal::new(String::new());
    let name_error = Signal::derive(move || {
        let n = name.get();
        (!n.is_empty() && n.chars().count() > 40).then(|| "Use at most 40 characters.".to_owned())
    });

    view! {
        <div class="mx-auto max-w-5xl space-y-8 px-6 py-10">
            <div class="flex items-center justify-between">
                <div>
                    <h1 class="text-3xl font-bold tracking-tight">"Interface kit"</h1>
                    <p class="mt-1 text-muted">"The components every page is built from."</p>
                </div>
                <ThemeToggle/>
            </div>

            <Card title="Buttons">
                <div class="flex flex-wrap items-center gap-3">
                    <Button on_click=Callback::new(move |_| clicks.update(|c| *c += 1))>
                        "Clicked " <span data-testid="click-count">{clicks}</span> " times"
                    </Button>
                    <Button variant=Variant::Secondary>"Secondary"</Button>
                    <Button variant=Variant::Ghost>"Ghost"</Button>
                    <Button variant=Variant::Danger>"Delete"</Button>
                    <Button loading=Signal::stored(true)>"Saving"</Button>
                    <Button size=Size::Small disabled=Signal::stored(true)>"Disabled"</Button>
                    <LinkButton href="/" variant=Variant::Secondary size=Size::Small>"A link"</LinkButton>
                </div>
            </Card>

            <Card title="Form controls" description="Labels, hints and errors are tied to their inputs.">
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Agent name"
                        name="agent_name"
                        hint="At most 40 characters."
                        required=true
                        error=name_error
                        on_input=Callback::new(move |v| name.set(v))
                    />
                    <TextField label="Email" name="email" kind="email" autocomplete="email" error="Enter an email address like name@example.com."/>
                    <Select
                        label="Direction"
                        name="direction"
                        options=vec![("inbound".into(), "Inbound".into()), ("outbound".into(), "Outbound".into())]
                        value="inbound"
                    />
                    <TextArea label="Greeting" name="greeting" placeholder="Hi! How can I help you today?" max_length=500/>
                    <Checkbox label="Allow outbound campaigns" name="allow_outbound" checked=agreed description="Lets campaigns use this inbound agent."/>
                    <Switch label="Active" name="active" checked=active/>
                </div>
            </Card>

            <Card title="Badges and figures">
                <div class="flex flex-wrap gap-2">
                    <Badge>"Draft"</Badge>
                    <Badge tone=Tone::Brand>"Inbound"</Badge>
                    <Badge tone=Tone::Success>"Synced"</Badge>
                    <Badge tone=Tone::Warning>"Pending"</Badge>
                    <Badge tone=Tone::Danger>"Error"</Badge>
                    <Badge tone=Tone::Info>"Web call"</Badge>
                </div>
                <div class="mt-4 grid gap-4 sm:grid-cols-3">
                    <StatCard label="Calls" value=Signal::stored("1,284".to_owned()) icon=IconName::Phone note="Last 30 days"/>
                    <StatCard label="Minutes" value=Signal::stored("3,902".to_owned()) icon=IconName::Chart/>
                    <StatCard label="Credits" value=Signal::stored("$48.20".to_owned()) icon=IconName::Billing/>
                </div>
            </Card>

            <Card title="Tabs">
                <Tabs label="Agent settings" tabs=vec![("overview", "Overview"), ("prompt", "Prompt"), ("tools", "Tools")] selected=tab/>
                <TabPanel id="overview" selected=tab>"Name, provider and direction."</TabPanel>
                <TabPanel id="prompt" selected=tab>"The system prompt and greeting."</TabPanel>
                <TabPanel id="tools" selected=tab>"Function tools the agent may call."</TabPanel>
            </Card>

            <Card title="Dialog and toast">
                <div class="flex flex-wrap gap-3">
                    <Button on_click=Callback::new(move |_| dialog_open.set(true))>"Open dialog"</Button>
                    <Button
                        variant=Variant::Secondary
                        on_click=Callback::new(move |_| toasts.push(ToastKind::Success, "Agent saved."))
                    >
                        "Show toast"
                    </Button>
                </div>
                <Dialog open=dialog_open title="Delete agent?" description="The agent is also removed at its provider.">
                    <div class="flex justify-end gap-2">
                        <Button variant=Variant::Secondary on_click=Callback::new(move |_| dialog_open.set(false))>"Cancel"</Button>
                        <Button
                            variant=Variant::Danger
                            on_click=Callback::new(move |_| {
                                dialog_open.set(false);
                                toasts.push(ToastKind::Info, "Nothing was deleted: this is the interface kit.");
                            })
                        >
                            "Delete"
                        </Button>
                    </div>
                </Dialog>
            </Card>

            <Card title="Table">
                <Table caption="Recent calls" headers=vec!["Caller", "Agent", "Duration"]>
                    <tr>
                        <td class="px-4 py-3">"+1 415 555 0100"</td>
                        <td class="px-4 py-3">"Reception"</td>
                        <td class="px-4 py-3">"2:14"</td>
                    </tr>
                </Table>
                <div class="mt-4">
                    <Table
                        caption="Campaigns"
                        headers=vec!["Name", "Status"]
                        empty=Signal::stored(true)
                        empty_title="No campaigns yet"
                        empty_message="Create a campaign to call a list of contacts."
                    >
                        <tr></tr>
                    </Table>
                </div>
                <Pagination
                    page=Signal::stored(2)
                    total_pages=Signal::stored(5)
                    href=Callback::new(|p: u32| format!("/design-system?page={p}"))
                />
            </Card>

            <Card title="Loading">
                <div class="flex items-center gap-4">
                    <Spinner/>
                    <div class="flex-1 space-y-2">
                        <Skeleton/>
                        <Skeleton class="h-4 w-2/3"/>
                    </div>
                </div>
                <div class="mt-4">
                    <EmptyState title="No agents yet" message="Agents you create appear here."/>
                </div>
            </Card>
        </div>
    }
}
