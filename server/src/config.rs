//! Loads the typed configuration (`app::config::Config`) from the process environment,
//! after an optional `.env` file, and the runtime Leptos options from `Leptos.toml`.

use std::path::Path;

use anyhow::Context;
use app::config::Config;
use leptos::config::LeptosOptions;

/// Reads `.env` (if present; real environment variables win) and then the environment.
pub fn load() -> anyhow::Result<Config> {
    match dotenvy::dotenv() {
        Ok(_) => {}
        Err(e) if e.not_found() => {}
        Err(e) => anyhow::bail!("configuration: .env cannot be read: {e}"),
    }
    Ok(Config::from_lookup(|name| std::env::var(name).ok())?)
}

/// The runtime Leptos options: `Leptos.toml` from the working directory when present,
/// with `LEPTOS_*` environment variables (as cargo-leptos sets them) taking precedence.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let file = Path::new("Leptos.toml");
    let path = file.exists().then_some("Leptos.toml");
    let conf = leptos::config::get_configuration(path)
        .context("configuration: Leptos.toml is not valid")?;
    Ok(conf.leptos_options)
}
