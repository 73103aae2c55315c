//! The HTML document and the root component: head, branding, theme, providers, routes.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::{HashedStylesheet, MetaTags};
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::Router;

#[cfg(feature = "ssr")]
use crate::components::toast::Toaster;
use crate::routes::AppRoutes;
use crate::tenancy::api::get_brand;
#[cfg(feature = "ssr")]
use ssr_head::IslandScripts;

/// The whole document. Runs only on the server: `<head>` is rendered once and not hydrated,
/// so per-request facts (brand colours, theme, CSP nonce) are written here directly.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let head = ssr_head::HeadFacts::for_request();
    view! {
        <!DOCTYPE html>
        <html lang="en" class=head.theme_class>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href=head.favicon />
                <HashedStylesheet options=options.clone() />
                <style nonce=head.nonce.clone()>{head.brand_css}</style>
                <IslandScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-canvas text-fg antialiased">
                <App />
                <Toaster flash=head.flash />
            </body>
        </html>
    }
}

/// The root component. Rendered on the server only: the browser runs the islands inside it.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Blocking, so the document title can use the brand before the head is sent.
    let brand = Resource::new_blocking(|| (), |_| get_brand());
    provide_context(brand);

    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let name = brand.await.map(|b| b.name).unwrap_or_else(|_| "Genius365".into());
                let formatter = move |page: String| {
                    if page.is_empty() { name.clone() } else { format!("{page} | {name}") }
                };
                view! { <Title formatter /> }
            })}
        </Suspense>
        <Router>
            <AppRoutes />
        </Router>
    }
}

/// The brand resource every page can read.
pub type BrandResource =
    Resource<Result<crate::tenancy::model::PartnerBrand, crate::error::AppError>>;

pub fn use_brand() -> BrandResource {
    expect_context::<BrandResource>()
}

#[cfg(feature = "ssr")]
mod ssr_head {
    //! What the server knows about the request when it writes `<head>`.

    use leptos::nonce::use_nonce;
    use leptos::prelude::*;

    use crate::auth::session::request_cookie as cookie;
    use crate::components::theme::THEME_COOKIE;
    use crate::components::toast::FLASH_COOKIE;
    use crate::state::current_partner;
    use crate::tenancy::service::brand;

    pub struct HeadFacts {
        /// A message the previous page left for this one (`components::toast::flash`).
        pub flash: Option<String>,
        pub nonce: String,
        pub theme_class: Option<&'static str>,
        pub favicon: String,
        pub brand_css: String,
    }

    impl HeadFacts {
        pub fn for_request() -> Self {
            let nonce = use_nonce().map(|n| n.to_string()).unwrap_or_default();
            let parts = use_context::<http::request::Parts>();
            let theme_class = parts
                .as_ref()
                .and_then(|p| cookie(&p.headers, THEME_COOKIE))
                .and_then(|value| match value {
                    "dark" => Some("dark"),
                    "light" => Some("light"),
                    _ => None,
                });
            let flash = parts
                .as_ref()
                .and_then(|p| cookie(&p.headers, FLASH_COOKIE))
                .map(crate::text::percent_decode)
                .filter(|m| !m.trim().is_empty());
            if flash.is_some() {
                clear_flash();
            }
            let brand = current_partner().ok().map(|p| brand(&p.0));
            let image_origins: Vec<String> = brand
                .iter()
                .flat_map(|b| [&b.logo_url, &b.favicon_url])
                .filter_map(|url| url.as_deref().and_then(origin_of))
                .collect();
            set_page_csp(&nonce, &image_origins);
            Self {
                flash,
                nonce,
                theme_class,
                favicon: brand
                    .as_ref()
                    .and_then(|b| b.favicon_url.clone())
                    .unwrap_or_else(|| "/favicon.svg".into()),
                brand_css: brand.map(|b| b.css_variables()).unwrap_or_default(),
            }
        }
    }

    /// The page's Content-Security-Policy: scripts and styles only from this origin or
    /// carrying this response's nonce; wasm may compile; nothing may frame the page.
    /// Browser test calls may also reach `web_call_sources` (the providers' APIs and media
    /// servers) and load Daily's call engine, which carries VAPI's audio. Images come from
    /// this origin, `data:` and the partner's own logo and favicon origins
    /// (`image_origins`), so a page cannot be made to load a tracking pixel from anywhere.
    pub fn page_csp(nonce: &str, web_call_sources: &[String], image_origins: &[String]) -> String {
        let connect = web_call_sources.join(" ");
        let mut images = vec!["'self'".to_owned(), "data:".to_owned()];
        for origin in image_origins {
            if !images.contains(origin) {
                images.push(origin.clone());
            }
        }
        let images = images.join(" ");
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' https://c.daily.co; \
             style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; \
             img-src {images}; font-src 'self'; connect-src 'self' {connect}; \
             media-src 'self' blob: https:; worker-src 'self' blob:; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
    }

    /// `scheme://host[:port]` of an absolute http(s) URL; `None` for a site-relative one.
    pub fn origin_of(url: &str) -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let authority = rest.split(['/', '?', '#']).next()?;
        let safe = !authority.is_empty()
            && !authority.contains('@')
            && authority.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
            });
        safe.then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
    }

    fn set_page_csp(nonce: &str, image_origins: &[String]) {
        let sources = crate::state::app_state()
            .map(|s| s.web_call_sources)
            .unwrap_or_default();
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) =
                http::HeaderValue::from_str(&page_csp(nonce, &sources, image_origins))
        {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }

    /// The flash message is shown once: this response forgets it.
    fn clear_flash() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) = http::HeaderValue::from_str(&format!(
                "{FLASH_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax"
            ))
        {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// The scripts of an islands page: Leptos' own `HydrationScripts` is run for what it
    /// sets up on the server (the split manifest that preloads a lazy island's chunks, and
    /// rendering islands as not hydrating), but its output is replaced by
    /// `island_loader.js`, which fetches no wasm on a page without islands and marks the
    /// body hydrated only once every island is; `plain_forms.js` goes with it (what a
    /// form without an island keeps when the server sends it back with an error).
    #[component]
    pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
        let _ = leptos::hydration::HydrationScripts(
            leptos::hydration::HydrationScriptsProps::builder()
                .options(options.clone())
                .islands(true)
                .build(),
        );
        let (js, wasm) = bundle_names(&options);
        let pkg = options.site_pkg_dir.to_string();
        let script = format!(
            "{}\n{}(\"\", {pkg:?}, {js:?}, {wasm:?});",
            include_str!("plain_forms.js"),
            include_str!("island_loader.js")
                .trim_end()
                .trim_end_matches(';')
        );
        view! {
            <script type="module" nonce=use_nonce()>
                {script}
            </script>
        }
    }

    /// The names (without extension) of the js and wasm bundles, with content hashes when
    /// the build wrote them (cargo-leptos's hash file beside the executable).
    fn bundle_names(options: &LeptosOptions) -> (String, String) {
        let name = options.output_name.to_string();
        let (mut js, mut wasm) = (name.clone(), name);
        if options.hash_files {
            let hashes = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
                .and_then(|path| std::fs::read_to_string(path).ok())
                .unwrap_or_default();
            for (file, hash) in hashes.lines().filter_map(|l| l.trim().split_once(':')) {
                match file {
                    "js" => js.push_str(&format!(".{}", hash.trim())),
                    "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                    _ => {}
                }
            }
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            // As Leptos names it: wasm-bindgen's file, unless cargo-leptos renamed it.
            wasm.push_str("_bg");
        }
        (js, wasm)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn cookies_are_read_by_name() {
            let mut headers = http::HeaderMap::new();
            headers.insert(
                http::header::COOKIE,
                "a=1; g365_theme=dark".parse().expect("header"),
            );
            assert_eq!(cookie(&headers, THEME_COOKIE), Some("dark"));
            assert_eq!(cookie(&headers, "a"), Some("1"));
            assert_eq!(cookie(&headers, "b"), None);
        }

        #[test]
        fn the_page_policy_carries_the_nonce_and_forbids_framing() {
            let csp = page_csp(
                "abc123",
                &["https://api.vapi.ai".into()],
                &["https://cdn.acme.example".into()],
            );
            assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
            assert!(csp.contains("img-src 'self' data: https://cdn.acme.example;"));
            assert!(csp.contains("connect-src 'self' https://api.vapi.ai;"));
            assert!(csp.contains("frame-ancestors 'none'"));
            assert!(!csp.contains("'unsafe-eval'"));
        }

        #[test]
        fn image_origins_are_read_from_absolute_urls_only() {
            assert_eq!(
                origin_of("https://CDN.acme.example:8443/logo.png?v=2").as_deref(),
                Some("https://cdn.acme.example:8443")
            );
            assert_eq!(origin_of("/brand/logo.svg"), None);
            assert_eq!(origin_of("javascript:alert(1)"), None);
            assert_eq!(origin_of("https://user@evil.example/x.png"), None);
            assert_eq!(origin_of("https:///x.png"), None);
        }
    }
}
