//! Billing pages: the workspace's credit and ledger (`/w/{slug}/billing`) and the
//! organisation's manual credits and rates (`/org/billing`). The banner of a read-only
//! workspace is part of its frame (`tenancy::ui::credit_banner`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AdjustCredits, SetWorkspaceRate, org_workspace_billing, workspace_credits, workspace_ledger,
};
use super::model::{Credits, LedgerEntry, WorkspaceBilling, dollars};
use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::components::pagination::{Pagination, page_in};
use crate::components::select::Select;
use crate::components::stat_card::StatCard;
use crate::components::table::Table;
use crate::error::AppError;
use crate::org::frame::OrgFrame;
use crate::tenancy::model::PartnerRole;
use crate::tenancy::ui::workspace_shell::WorkspaceResource;

#[component]
pub fn WorkspaceBillingPage() -> impl IntoView {
    let workspace = expect_context::<WorkspaceResource>();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = move || page_in(&query.read());
    let credits = Resource::new(slug, workspace_credits);
    let ledger = Resource::new(move || (slug(), page()), |(s, p)| workspace_ledger(s, p));
    view! {
        <Title text="Billing" />
        <Suspense>
            {move || Suspend::new(async move {
                let overview = workspace.await?;
                let credits = credits.await?;
                let ledger = ledger.await?;
                let slug = overview.workspace.slug.clone();
                let org_admin = overview.partner_role.is_some_and(|r| r >= PartnerRole::Admin);
                Ok::<
                    _,
                    AppError,
                >(
                    view! {
                        <div class="space-y-6" data-testid="billing-page">
                            <div>
                                <h1 class="text-2xl font-bold tracking-tight">"Billing"</h1>
                                <p class="mt-1 text-sm text-muted">
                                    {overview.workspace.name.clone()}
                                </p>
                            </div>
                            <CreditSummary credits=credits.clone() />
                            <Card title="Add credit">
                                <p class="text-sm text-muted" data-testid="topup-off">
                                    {if credits.billing_exempt {
                                        "This workspace's minutes are charged to its organisation, so it needs no credit of its own."
                                    } else {
                                        "Online payment is not set up on this deployment. Your organisation's admins add credit to this workspace."
                                    }}
                                    {(org_admin && !credits.billing_exempt)
                                        .then(|| {
                                            view! {
                                                " "
                                                <a
                                                    href="/org/billing"
                                                    class="text-brand-ink underline underline-offset-2"
                                                >
                                                    "Add credit as an organisation admin"
                                                </a>
                                            }
                                        })}
                                </p>
                            </Card>
                            <Ledger
                                entries=ledger.entries
                                page=ledger.page
                                total_pages=ledger.total_pages
                                slug
                            />
                        </div>
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
fn CreditSummary(credits: Credits) -> impl IntoView {
    let balance = dollars(credits.balance_cents);
    let rate = format!("{}/min", dollars(i64::from(credits.rate_cents)));
    let minutes = credits.minutes_left().to_string();
    view! {
        {credits
            .paywalled
            .then(|| {
                view! {
                    <div
                        role="alert"
                        class="rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
                        data-testid="billing-paywalled"
                    >
                        "Credits exhausted: the workspace is read-only until credit is added."
                    </div>
                }
            })}
        {(!credits.paywalled && credits.is_low())
            .then(|| {
                view! {
                    <div
                        role="status"
                        class="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 text-sm"
                        data-testid="billing-low"
                    >
                        {format!(
                            "Balance is below {}: add credit soon to keep calls running.",
                            dollars(credits.low_balance_threshold_cents),
                        )}
                    </div>
                }
            })}
        <div class="grid gap-4 sm:grid-cols-3">
            <div data-testid="credit-balance" data-cents=credits.balance_cents.to_string()>
                <StatCard label="Balance" value=Signal::stored(balance) />
            </div>
            <StatCard
                label="Rate"
                value=Signal::stored(rate)
                note=if credits.billing_exempt {
                    "Charged to the organisation".to_string()
                } else {
                    "Each started minute".to_string()
                }
            />
            <div data-testid="minutes-left">
                <StatCard label="Minutes left (estimate)" value=Signal::stored(minutes) />
            </div>
        </div>
    }
}

#[component]
fn Ledger(entries: Vec<LedgerEntry>, page: u32, total_pages: u32, slug: String) -> impl IntoView {
    let empty = entries.is_empty();
    let href = Callback::new(move |p: u32| format!("/w/{slug}/billing?page={p}"));
    view! {
        <section class="space-y-2">
            <h2 class="text-lg font-semibold">"Transactions"</h2>
            <Table
                caption="Credit transactions, newest first"
                headers=vec!["When", "What", "Amount", "Balance after"]
                empty=empty
                empty_title="No transactions yet"
            >
                {entries
                    .clone()
                    .into_iter()
                    .map(|e| {
                        let amount_class = if e.amount_cents < 0 {
                            "px-4 py-2 text-right tabular-nums text-danger"
                        } else {
                            "px-4 py-2 text-right tabular-nums text-success"
                        };
                        let amount = if e.amount_cents > 0 {
                            format!("+{}", dollars(e.amount_cents))
                        } else {
                            dollars(e.amount_cents)
                        };
                        view! {
                            <tr data-testid="ledger-row" data-kind=e.kind.as_str()>
                                <td class="whitespace-nowrap px-4 py-2 text-muted">
                                    {e.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                </td>
                                <td class="px-4 py-2">
                                    {e.description.clone()}
                                    {e
                                        .actor
                                        .clone()
                                        .map(|a| {
                                            view! {
                                                <span class="block text-xs text-muted">
                                                    {format!("by {a}")}
                                                </span>
                                            }
                                        })}
                                </td>
                                <td class=amount_class>{amount}</td>
                                <td class="px-4 py-2 text-right tabular-nums">
                                    {dollars(e.balance_after_cents)}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </Table>
            <Pagination page=page total_pages=total_pages href />
        </section>
    }
}

#[component]
pub fn OrgBillingPage() -> impl IntoView {
    let rows = Resource::new_blocking(|| (), |_| org_workspace_billing());
    view! {
        <Title text="Billing" />
        <OrgFrame title="Billing">
            <Suspense>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <OrgBilling rows /> }.into_any(),
                        Err(e) => crate::org::frame::refusal(e, "billing"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

/// Both forms are plain forms: the server answers with this page again, the table showing
/// the grant or the new rate and a toast saying it, or with the error beside the form.
#[component]
fn OrgBilling(rows: Vec<WorkspaceBilling>) -> impl IntoView {
    view! {
        <WorkspaceCredits rows=rows.clone() />
        <AdjustForm rows=rows.clone() />
        <RateForm rows />
    }
}

#[component]
fn WorkspaceCredits(rows: Vec<WorkspaceBilling>) -> impl IntoView {
    let empty = rows.is_empty();
    view! {
        <Table
            caption="Workspaces and their credit"
            headers=vec!["Workspace", "Balance", "Rate", "State"]
            empty=empty
            empty_title="No workspaces yet"
        >
            {rows
                .clone()
                .into_iter()
                .map(|w| {
                    let c = &w.credits;
                    let state = if c.billing_exempt {
                        view! { <Badge tone=Tone::Info>"Billed to organisation"</Badge> }.into_any()
                    } else if c.paywalled {
                        view! { <Badge tone=Tone::Danger>"Read-only"</Badge> }.into_any()
                    } else if c.is_low() {
                        view! { <Badge tone=Tone::Warning>"Low"</Badge> }.into_any()
                    } else {
                        view! { <Badge tone=Tone::Success>"OK"</Badge> }.into_any()
                    };
                    view! {
                        <tr data-testid="workspace-credit-row" data-slug=w.slug.clone()>
                            <td class="px-4 py-2">
                                <a
                                    href=format!("/w/{}/billing", w.slug)
                                    class="font-medium text-brand-ink underline underline-offset-2"
                                >
                                    {w.name.clone()}
                                </a>
                            </td>
                            <td class="px-4 py-2 tabular-nums" data-testid="row-balance">
                                {dollars(c.balance_cents)}
                            </td>
                            <td class="px-4 py-2 tabular-nums">
                                {format!("{}/min", dollars(i64::from(c.rate_cents)))}
                            </td>
                            <td class="px-4 py-2">{state}</td>
                        </tr>
                    }
                })
                .collect_view()}
        </Table>
    }
}

fn workspace_options(rows: &[WorkspaceBilling], exempt_too: bool) -> Vec<(String, String)> {
    rows.iter()
        .filter(|w| exempt_too || !w.credits.billing_exempt)
        .map(|w| (w.workspace_id.to_string(), w.name.clone()))
        .collect()
}

#[component]
fn AdjustForm(rows: Vec<WorkspaceBilling>) -> impl IntoView {
    let adjust = ServerAction::<AdjustCredits>::new();
    view! {
        <Card
            title="Grant or remove credit"
            description="Use a minus sign to take credit back. The reason is kept in the workspace's ledger and the audit log."
        >
            <ActionForm action=adjust attr:class="space-y-4" attr:data-testid="adjust-form">
                <FormAlert message=form_error(adjust.value()) />
                <Select
                    label="Workspace"
                    name="workspace_id"
                    options=workspace_options(&rows, false)
                />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Amount (USD)"
                        name="amount"
                        placeholder="25.00"
                        required=true
                        error=field_error(adjust.value(), "amount")
                    />
                    <TextField
                        label="Reason"
                        name="reason"
                        placeholder="Pilot credit"
                        required=true
                        error=field_error(adjust.value(), "reason")
                    />
                </div>
                <Button kind="submit">"Apply"</Button>
            </ActionForm>
        </Card>
    }
}

#[component]
fn RateForm(rows: Vec<WorkspaceBilling>) -> impl IntoView {
    let rate = ServerAction::<SetWorkspaceRate>::new();
    view! {
        <Card
            title="Per-minute rate"
            description="What each started minute of a call costs the workspace, in cents (1 to 1000)."
        >
            <ActionForm action=rate attr:class="space-y-4" attr:data-testid="rate-form">
                <FormAlert message=form_error(rate.value()) />
                // Its own id: the form above has a workspace picker too.
                <div class="space-y-1.5">
                    <label for="rate-workspace" class="block text-sm font-medium text-fg">
                        "Workspace"
                    </label>
                    <select
                        id="rate-workspace"
                        name="workspace_id"
                        class=crate::components::control_class(false)
                    >
                        {workspace_options(&rows, true)
                            .into_iter()
                            .map(|(v, l)| view! { <option value=v>{l}</option> })
                            .collect_view()}
                    </select>
                </div>
                <TextField
                    label="Cents per minute"
                    name="rate_cents"
                    kind="number"
                    placeholder="20"
                    required=true
                    error=field_error(rate.value(), "rate_cents")
                />
                <Button kind="submit" variant=Variant::Secondary>
                    "Save rate"
                </Button>
            </ActionForm>
        </Card>
    }
}
