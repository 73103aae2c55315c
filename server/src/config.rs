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
///
/// File names carry content hashes exactly when the build that made this binary wrote
/// them: cargo-leptos leaves the hash list beside the executable. Deciding from that file
/// rather than a setting keeps a binary and its site in step, and a binary without one
/// (a test, a plain `cargo build`) serves the unhashed names.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let file = Path::new("Leptos.toml");
    let path = file.exists().then_some("Leptos.toml");
    let mut options = leptos::config::get_configuration(path)
        .context("configuration: Leptos.toml is not valid")?
        .leptos_options;
    options.hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .is_some_and(|list| list.is_file());
    Ok(options)
}
