//! `/org/settings`: the organisation's brand. Names, colours (with a preview of the
//! sidebar, a button and the sign-in card, and the colours checked against WCAG AA),
//! the email sender and support contacts, the logo and the favicon. Server-rendered plain
//! forms; `/js/brand-preview.js` (1 kB) redraws the preview and the checks as colours are
//! picked, and without it the page shows them as saved.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::badge::{Badge, Tone};
use crate::components::button::{Button, Size, Variant};
use crate::components::card::Card;
use crate::components::form::{FormAlert, field_error, form_error};
use crate::components::input::TextField;
use crate::org::api::{RemoveBrandImage, SaveBrand, get_brand_settings};
use crate::org::frame::OrgFrame;
use crate::org::model::{BrandImage, BrandSettings, ContrastCheck, MAX_IMAGE_BYTES};
use crate::tenancy::model::HexColor;

#[component]
pub fn OrgSettingsPage() -> impl IntoView {
    let settings = Resource::new_blocking(|| (), |_| get_brand_settings());
    view! {
        <Title text="Brand and settings" />
        <OrgFrame title="Brand and settings">
            <Suspense>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <Settings settings /> }.into_any(),
                        Err(e) => crate::org::frame::refusal(e, "the brand"),
                    }
                })}
            </Suspense>
        </OrgFrame>
    }
}

#[component]
fn Settings(settings: BrandSettings) -> impl IntoView {
    let save = ServerAction::<SaveBrand>::new();
    let value = save.value();
    let hosts = settings.hosts.join(", ");
    let BrandSettings {
        name,
        display_name,
        slug,
        primary,
        accent,
        sender_name,
        support_email,
        support_url,
        logo_url,
        favicon_url,
        checks,
        ..
    } = settings;
    let shown_name = if display_name.is_empty() {
        name.clone()
    } else {
        display_name.clone()
    };
    let preview_logo = logo_url.clone();
    view! {
        <p class="text-sm text-muted">
            {format!(
                "How your organization presents itself on {hosts} and in the emails it sends. Other organizations never see it.",
            )}
        </p>
        <ActionForm action=save attr:class="space-y-6" attr:data-testid="brand-form">
            <FormAlert message=form_error(value) />
            <Card title="Names and contacts">
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField
                        label="Organization name"
                        name="name"
                        value=name
                        required=true
                        error=field_error(value, "name")
                    />
                    <TextField
                        label="Display name"
                        name="display_name"
                        value=display_name
                        hint="Shown on pages and emails instead of the name, if given."
                        error=field_error(value, "display_name")
                    />
                    <TextField
                        label="Email sender name"
                        name="sender_name"
                        value=sender_name
                        hint="Emails come from this name (else the display name)."
                        error=field_error(value, "sender_name")
                    />
                    <TextField
                        label="Support email"
                        name="support_email"
                        kind="email"
                        value=support_email
                        error=field_error(value, "support_email")
                    />
                    <TextField
                        label="Support page"
                        name="support_url"
                        kind="url"
                        value=support_url
                        placeholder="https://"
                        error=field_error(value, "support_url")
                    />
                    <div class="space-y-1.5 text-sm">
                        <p class="font-medium">"Address"</p>
                        <p class="text-muted">{format!("Slug {slug}")}</p>
                    </div>
                </div>
            </Card>
            <Card
                title="Colours"
                description="The primary colour fills buttons and marks where you are; the accent colours highlights."
            >
                <div class="grid gap-6 lg:grid-cols-2">
                    <div class="space-y-4">
                        <ColorField
                            label="Primary colour"
                            name="primary"
                            value=primary.clone()
                            error=field_error(value, "primary")
                        />
                        <ColorField
                            label="Accent colour"
                            name="accent"
                            value=accent.clone()
                            error=field_error(value, "accent")
                        />
                        <Checks checks />
                    </div>
                    <Preview name=shown_name primary accent logo=preview_logo />
                </div>
            </Card>
            <Button kind="submit">"Save brand"</Button>
        </ActionForm>
        <div class="grid gap-6 lg:grid-cols-2">
            <ImageCard kind=BrandImage::Logo current=logo_url />
            <ImageCard kind=BrandImage::Favicon current=favicon_url />
        </div>
        <script type="module" src="/js/brand-preview.js"></script>
    }
}

#[component]
fn ColorField(
    label: &'static str,
    name: &'static str,
    value: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("brand-{name}");
    let text_id = format!("{id}-text");
    view! {
        <div class="space-y-1.5">
            <label for=id.clone() class="block text-sm font-medium">
                {label}
            </label>
            <div class="flex items-center gap-3">
                <input
                    id=id
                    type="color"
                    name=name
                    value=value.clone()
                    data-brand-color=name
                    class="h-10 w-16 cursor-pointer rounded border border-line bg-surface"
                    aria-describedby=text_id.clone()
                />
                <code id=text_id class="text-sm text-muted" data-brand-color-text=name>
                    {value}
                </code>
            </div>
            {move || error.get().map(|e| view! { <p class="text-sm text-danger">{e}</p> })}
        </div>
    }
}

#[component]
fn Checks(checks: Vec<ContrastCheck>) -> impl IntoView {
    view! {
        <ul class="space-y-2 text-sm" data-testid="contrast-checks" aria-live="polite">
            {checks
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    view! {
                        <li class="flex items-start gap-2" data-check=i>
                            <span data-check-badge="">
                                {if c.passes {
                                    view! { <Badge tone=Tone::Success>"AA"</Badge> }.into_any()
                                } else {
                                    view! { <Badge tone=Tone::Danger>"Fails"</Badge> }.into_any()
                                }}
                            </span>
                            <span>
                                <span class="font-medium">{c.label}</span>
                                " "
                                <span data-check-ratio="">{c.ratio}</span>
                                {format!(" (needs {})", c.needed)}
                                <span class="block text-xs text-muted" data-check-note="">
                                    {c.note}
                                </span>
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The sidebar, a button, a link and the sign-in card in the brand's colours (the same
/// rules the pages use: black or white text, links darkened until they read).
#[component]
fn Preview(name: String, primary: String, accent: String, logo: Option<String>) -> impl IntoView {
    let (on_primary, link) = HexColor::parse(&primary)
        .map(|p| {
            (
                p.readable_text().to_owned(),
                p.ink_on(0.85).as_str().to_owned(),
            )
        })
        .unwrap_or_else(|| ("#ffffff".into(), primary.clone()));
    let style = format!(
        "--pv-primary:{primary};--pv-on-primary:{on_primary};--pv-link:{link};--pv-accent:{accent}"
    );
    let mark = match logo {
        Some(url) => view! { <img src=url alt="" class="h-6 w-auto" /> }.into_any(),
        None => view! {
            <span
                class="grid h-6 w-6 place-items-center rounded text-[10px] font-bold"
                style="background:var(--pv-primary);color:var(--pv-on-primary)"
            >
                {name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default()}
            </span>
        }
        .into_any(),
    };
    view! {
        <figure
            class="overflow-hidden rounded-xl border border-line bg-white text-[#0b0b0f]"
            style=style
            data-testid="brand-preview"
            aria-label="Preview of your brand"
        >
            <div class="flex">
                <div class="w-36 space-y-1 border-r border-[#e5e7eb] bg-[#f8fafc] p-3 text-xs">
                    <div class="mb-3 flex items-center gap-2 font-semibold">
                        {mark} {name.clone()}
                    </div>
                    <div
                        class="rounded px-2 py-1 font-medium"
                        style="background:color-mix(in srgb, var(--pv-primary) 12%, white);color:var(--pv-link)"
                    >
                        "Dashboard"
                    </div>
                    <div class="px-2 py-1 text-[#475569]">"Agents"</div>
                    <div class="px-2 py-1 text-[#475569]">"Calls"</div>
                </div>
                <div class="flex-1 space-y-3 p-4">
                    <div class="mx-auto max-w-[14rem] space-y-2 rounded-lg border border-[#e5e7eb] p-3 shadow-sm">
                        <p class="text-sm font-semibold">{format!("Sign in to {name}")}</p>
                        <div class="h-6 rounded border border-[#cbd5e1]"></div>
                        <div
                            class="rounded px-2 py-1 text-center text-xs font-semibold"
                            style="background:var(--pv-primary);color:var(--pv-on-primary)"
                        >
                            "Sign in"
                        </div>
                        <p class="text-center text-xs underline" style="color:var(--pv-link)">
                            "Forgot your password?"
                        </p>
                    </div>
                    <p class="text-xs">
                        <span
                            class="inline-block h-2 w-2 rounded-full align-middle"
                            style="background:var(--pv-accent)"
                        ></span>
                        " Accent"
                    </p>
                </div>
            </div>
        </figure>
    }
}

#[component]
fn ImageCard(kind: BrandImage, current: Option<String>) -> impl IntoView {
    let remove = ServerAction::<RemoveBrandImage>::new();
    let (title, about) = match kind {
        BrandImage::Logo => (
            "Logo",
            "On the sign-in page, the sidebar and emails. Scaled to fit 512 pixels.",
        ),
        BrandImage::Favicon => (
            "Favicon",
            "The browser tab's icon. Square works best; scaled to fit 128 pixels.",
        ),
    };
    let limit = format!(
        "PNG, JPEG, WebP or SVG, up to {} MB. SVG is turned into a picture (text in it must be outlines).",
        MAX_IMAGE_BYTES / (1024 * 1024)
    );
    let input_id = format!("{}-file", kind.as_str());
    view! {
        <Card title=title description=about>
            <div class="space-y-4" data-testid=format!("{}-card", kind.as_str())>
                {current
                    .clone()
                    .map(|url| {
                        view! {
                            <img
                                src=url
                                alt=format!("Current {}", kind.as_str())
                                class="max-h-16 w-auto rounded border border-line bg-white p-1"
                            />
                        }
                    })}
                <form
                    method="post"
                    action=format!("/org/brand/{}", kind.as_str())
                    enctype="multipart/form-data"
                    class="space-y-2"
                >
                    <label for=input_id.clone() class="block text-sm font-medium">
                        {format!("Upload a {}", kind.as_str())}
                    </label>
                    <input
                        id=input_id
                        type="file"
                        name="file"
                        required=true
                        accept="image/png,image/jpeg,image/webp,image/svg+xml"
                        class="block w-full text-sm"
                    />
                    <p class="text-xs text-muted">{limit}</p>
                    <Button kind="submit" variant=Variant::Secondary size=Size::Small>
                        {format!("Save {}", kind.as_str())}
                    </Button>
                </form>
                {current
                    .map(|_| {
                        view! {
                            <ActionForm action=remove>
                                <FormAlert message=form_error(remove.value()) />
                                <input type="hidden" name="kind" value=kind.as_str() />
                                <Button kind="submit" variant=Variant::Ghost size=Size::Small>
                                    {format!("Remove the {}", kind.as_str())}
                                </Button>
                            </ActionForm>
                        }
                    })}
            </div>
        </Card>
    }
}
