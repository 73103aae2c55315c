//! Builds the shared `AppState` from configuration: database, vault, Leptos options.

use std::sync::Arc;

use anyhow::Context;
use app::config::Config;
use app::secrets::Vault;
use app::state::AppState;
use leptos::config::LeptosOptions;

/// Connects (creating the SQLite directory if needed), migrates, and assembles the state.
pub async fn build(mut config: Config, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    config.ensure_sqlite_dir()?;
    let key = config.ensure_secret_key()?.clone();
    let db = app::db::connect_and_migrate(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "database at {} is not reachable or could not be migrated",
                redact(&config.database_url)
            )
        })?;
    let providers = app::providers::ProviderClients::new(&config.providers)
        .context("the voice provider clients could not be built")?;
    let program = match &config.extract_program {
        Some(program) => program.clone(),
        None => std::env::current_exe().context("the server binary's own path is unknown")?,
    };
    let extractor = app::extract::Extractor::new(program, Default::default());
    let live = app::live::LiveNews::default();
    app::live::spawn_relay(&db, live.clone());
    Ok(AppState {
        leptos_options,
        providers,
        live,
        web_call_sources: config.providers.web_call_sources().into(),
        extractor,
        db,
        vault: Vault::with_previous(&key, &config.previous_secret_keys),
        partners: Default::default(),
        config: Arc::new(config),
    })
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/g365"),
            "postgres://app:***@db:5432/g365"
        );
        assert_eq!(redact("postgres://app@db/g365"), "postgres://app@db/g365");
        assert_eq!(
            redact("sqlite://./data/a.db?mode=rwc"),
            "sqlite://./data/a.db?mode=rwc"
        );
    }
}
