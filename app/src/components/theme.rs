//! The light / dark switch: a plain form, so it costs the browser no code and works without
//! JavaScript. The server keeps the choice in a cookie, renders the page in it from then on
//! (no flash on load) and sends the browser back where it was. With no cookie the system
//! setting decides, and the stylesheet shows the button that switches away from it.

use leptos::prelude::*;

use super::icon::{Icon, IconName};
use crate::error::AppError;

/// The cookie that remembers the chosen colour scheme (`light` or `dark`).
pub const THEME_COOKIE: &str = "g365_theme";

/// Remembers `theme` (`light` or `dark`) and answers with a redirect back to the page the
/// form was on (the `Referer`'s path, when it is one of ours).
#[server(prefix = "/api", endpoint = "theme")]
pub async fn set_theme(theme: String) -> Result<(), AppError> {
    if theme != "light" && theme != "dark" {
        return Err(AppError::invalid("theme", "Choose light or dark."));
    }
    let secure = crate::state::app_state()
        .map(|s| s.config.https())
        .unwrap_or(false);
    crate::auth::session::send_cookie(&format!(
        "{THEME_COOKIE}={theme}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    ));
    let back = use_context::<http::request::Parts>()
        .and_then(|parts| {
            let referer = parts.headers.get(http::header::REFERER)?.to_str().ok()?;
            let (_, rest) = referer.split_once("://")?;
            let path = &rest[rest.find('/')?..];
            crate::auth::model::safe_redirect(path).map(str::to_owned)
        })
        .unwrap_or_else(|| "/".to_owned());
    leptos_axum::redirect(&back);
    Ok(())
}

/// Two buttons, one shown in each scheme, each switching to the other.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let button = "h-9 w-9 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-fg focus:outline-none focus-visible:ring-2 focus-visible:ring-brand";
    let action = <SetTheme as server_fn::ServerFn>::PATH;
    view! {
        <form method="post" action=action data-testid="theme-toggle" class="contents">
            <button
                type="submit"
                name="theme"
                value="dark"
                aria-label="Switch to dark mode"
                class=format!("{button} inline-flex scheme-dark:hidden")
            >
                <Icon name=IconName::Moon />
            </button>
            <button
                type="submit"
                name="theme"
                value="light"
                aria-label="Switch to light mode"
                class=format!("{button} hidden scheme-dark:inline-flex")
            >
                <Icon name=IconName::Sun />
            </button>
        </form>
    }
}
