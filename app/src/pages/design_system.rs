//! The interface kit on one page: every component in its states, so designers and tests
//! can see them in a real browser. The page is server HTML like every page of the product:
//! the dialog opens by invoker commands, the tabs are links that `/js/tabs.js` switches in
//! place, the switch is a native checkbox. Only the card "In the browser" is an island, for
//! the components that react to typing and clicks in wasm.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, LinkButton, Size, Variant};
use crate::components::card::Card;
use crate::components::checkbox::{Checkbox, Switch};
use crate::components::dialog::{Dialog, DialogCloser, DialogOpener};
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

const TABS: [(&str, &str); 3] = [
    ("overview", "Overview"),
    ("prompt", "Prompt"),
    ("tools", "Tools"),
];

#[component]
pub fn DesignSystemPage() -> impl IntoView {
    let asked = use_query_map()
        .with_untracked(|q| q.get("tab"))
        .unwrap_or_default();
    let tab = TABS
        .iter()
        .find(|(id, _)| *id == asked)
        .map_or(TABS[0].0, |(id, _)| id)
        .to_owned();

    view! {
        <Title text="Interface kit" />
        <div class="mx-auto max-w-5xl space-y-8 px-6 py-10">
            <div class="flex items-center justify-between">
                <div>
                    <h1 class="text-3xl font-bold tracking-tight">"Interface kit"</h1>
                    <p class="mt-1 text-muted">"The components every page is built from."</p>
                </div>
                <ThemeToggle />
            </div>

            <Card title="Buttons">
                <div class="flex flex-wrap items-center gap-3">
                    <Button>"Primary"</Button>
                    <Button variant=Variant::Secondary>"Secondary"</Button>
                    <Button variant=Variant::Ghost>"Ghost"</Button>
                    <Button variant=Variant::Danger>"Delete"</Button>
                    <Button loading=Signal::stored(true)>"Saving"</Button>
                    <Button size=Size::Small disabled=Signal::stored(true)>
                        "Disabled"
                    </Button>
                    <LinkButton href="/" variant=Variant::Secondary size=Size::Small>
                        "A link"
                    </LinkButton>
                </div>
            </Card>

            <Card
                title="Form controls"
                description="Labels, hints and errors are tied to their inputs."
            >
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Email"
                        name="email"
                        kind="email"
                        autocomplete="email"
                        error="Enter an email address like name@example.com."
                    />
                    <Select
                        label="Direction"
                        name="direction"
                        options=vec![
                            ("inbound".into(), "Inbound".into()),
                            ("outbound".into(), "Outbound".into()),
                        ]
                        value="inbound"
                    />
                    <TextArea
                        label="Greeting"
                        name="greeting"
                        placeholder="Hi! How can I help you today?"
                        max_length=500
                    />
                    <Checkbox
                        label="Allow outbound campaigns"
                        name="allow_outbound"
                        description="Lets campaigns use this inbound agent."
                    />
                    <Switch label="Active" name="active" checked=true />
                </div>
            </Card>

            <InTheBrowser />

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
                    <StatCard
                        label="Calls"
                        value=Signal::stored("1,284".to_owned())
                        icon=IconName::Phone
                        note="Last 30 days"
                    />
                    <StatCard
                        label="Minutes"
                        value=Signal::stored("3,902".to_owned())
                        icon=IconName::Chart
                    />
                    <StatCard
                        label="Credits"
                        value=Signal::stored("$48.20".to_owned())
                        icon=IconName::Billing
                    />
                </div>
            </Card>

            <Card title="Tabs">
                <Tabs label="Agent settings" tabs=TABS.to_vec() selected=tab.clone() />
                <TabPanel id="overview" selected=tab.clone()>
                    "Name, provider and direction."
                </TabPanel>
                <TabPanel id="prompt" selected=tab.clone()>
                    "The system prompt and greeting."
                </TabPanel>
                <TabPanel id="tools" selected=tab>
                    "Function tools the agent may call."
                </TabPanel>
            </Card>

            <Card title="Dialog">
                <DialogOpener dialog="Delete agent?">"Open dialog"</DialogOpener>
                <Dialog
                    title="Delete agent?"
                    description="The agent is also removed at its provider."
                >
                    <div class="flex justify-end gap-2">
                        <DialogCloser dialog="Delete agent?" variant=Variant::Secondary>
                            "Cancel"
                        </DialogCloser>
                        <DialogCloser dialog="Delete agent?" variant=Variant::Danger>
                            "Delete"
                        </DialogCloser>
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
                    <Spinner />
                    <div class="flex-1 space-y-2">
                        <Skeleton />
                        <Skeleton class="h-4 w-2/3" />
                    </div>
                </div>
                <div class="mt-4">
                    <EmptyState title="No agents yet" message="Agents you create appear here." />
                </div>
            </Card>
        </div>
    }
}

/// What reacts in wasm: a button's click handler, a field checked as it is typed, and a toast
/// added to the page's region.
#[island(lazy)]
fn InTheBrowser() -> impl IntoView {
    let toasts = use_toasts();
    let clicks = RwSignal::new(0u32);
    let name = RwSignal::new(String::new());
    let name_error = Signal::derive(move || {
        (name.with(|n| n.chars().count()) > 40).then(|| "Use at most 40 characters.".to_owned())
    });
    view! {
        <Card
            title="In the browser"
            description="An island: these react without a trip to the server."
        >
            <div class="grid items-start gap-4 sm:grid-cols-2">
                <TextField
                    label="Agent name"
                    name="agent_name"
                    hint="At most 40 characters."
                    required=true
                    error=name_error
                    on_input=Callback::new(move |v| name.set(v))
                />
                <div class="flex flex-wrap gap-3 sm:pt-6">
                    <Button on_click=Callback::new(move |_| {
                        clicks.update(|c| *c += 1)
                    })>"Clicked " <span data-testid="click-count">{clicks}</span> " times"</Button>
                    <Button
                        variant=Variant::Secondary
                        on_click=Callback::new(move |_| {
                            toasts.push(ToastKind::Success, "Agent saved.")
                        })
                    >
                        "Show toast"
                    </Button>
                </div>
            </div>
        </Card>
    }
}
