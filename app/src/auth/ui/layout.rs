//! The frame of every sign-in page: the partner's mark above one centred card.

use leptos::prelude::*;

use crate::components::brand_mark::BrandMark;
use crate::components::theme::ThemeToggle;
use crate::shell::use_brand;

#[component]
pub fn AuthLayout(
    #[prop(into)] title: String,
    #[prop(optional, into)] subtitle: Option<String>,
    children: Children,
) -> impl IntoView {
    let brand = use_brand();
    view! {
        <div class="flex min-h-screen flex-col items-center justify-center bg-canvas px-4 py-12">
            <div class="absolute right-4 top-4">
                <ThemeToggle />
            </div>
            <div class="mb-6">
                <Suspense>
                    {move || Suspend::new(async move {
                        brand.await.ok().map(|brand| view! { <BrandMark brand /> })
                    })}
                </Suspense>
            </div>
            <main class="w-full max-w-md rounded-xl border border-line bg-surface p-6 shadow-sm sm:p-8">
                <h1 class="text-xl font-semibold text-fg">{title}</h1>
                {subtitle.map(|s| view! { <p class="mt-1 text-sm text-muted">{s}</p> })}
                <div class="mt-6">{children()}</div>
            </main>
            <Suspense>
                {move || Suspend::new(async move {
                    brand.await.ok().and_then(|brand| support_line(&brand))
                })}
            </Suspense>
        </div>
    }
}

/// "Need help? support@… · Help center", when the organisation gave a way to reach it.
fn support_line(brand: &crate::tenancy::model::PartnerBrand) -> Option<AnyView> {
    if brand.support_email.is_none() && brand.support_url.is_none() {
        return None;
    }
    let email = brand.support_email.clone().map(|e| {
        view! {
            <a href=format!("mailto:{e}") class="text-brand-ink underline underline-offset-2">
                {e.clone()}
            </a>
        }
    });
    let url = brand.support_url.clone().map(|u| {
        view! {
            <a href=u class="text-brand-ink underline underline-offset-2" rel="noopener">
                "Help center"
            </a>
        }
    });
    Some(
        view! {
            <p class="mt-4 text-sm text-muted" data-testid="support-line">
                "Need help? "
                {email}
                {(brand.support_email.is_some() && brand.support_url.is_some()).then_some(" · ")}
                {url}
            </p>
        }
        .into_any(),
    )
}
