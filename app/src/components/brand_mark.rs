//! The partner's logo, or its initials on its brand colour, with its name.

use leptos::prelude::*;

use crate::tenancy::model::PartnerBrand;

#[component]
pub fn BrandMark(brand: PartnerBrand) -> impl IntoView {
    let initials = brand.initials();
    view! {
        <span class="flex items-center gap-2.5" data-testid="brand-mark">
            {match brand.logo_url.clone() {
                Some(src) => {
                    view! { <img src=src alt="" class="h-8 w-8 rounded-lg object-contain" /> }
                        .into_any()
                }
                None => {
                    view! {
                        <span
                            aria-hidden="true"
                            class="flex h-8 w-8 items-center justify-center rounded-lg bg-brand text-sm font-bold text-brand-fg"
                        >
                            {initials}
                        </span>
                    }
                        .into_any()
                }
            }}
            <span class="truncate text-base font-semibold text-fg" data-testid="brand-name">
                {brand.name.clone()}
            </span>
        </span>
    }
}
