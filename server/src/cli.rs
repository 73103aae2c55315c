//! The command line of the `server` binary.

use std::net::SocketAddr;

use anyhow::Context;
use app::auth::service::{NewUser, create_user, find_by_email, grant_super_admin};
use app::config::Environment;
use clap::{Parser, Subcommand};

use crate::{config, router, seed, state, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Genius365: AI voice agents for agencies"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default), with a job worker inside unless `--no-worker`.
    /// Migrates the database first.
    Serve {
        /// Address to listen on; defaults to Leptos.toml's site-addr (or LEPTOS_SITE_ADDR).
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Serve pages only; jobs are run by `server worker` processes.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run queued and periodic jobs until stopped (Ctrl-C or SIGTERM), without serving.
    Worker {
        /// Jobs run at once.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// Seconds a claim holds before another worker may take the job (renewed at a
        /// third while it runs): how soon a killed worker's jobs run elsewhere.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(3..=3600))]
        lease_seconds: u64,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Set up a new install (idempotent): the platform partner, its domain, and the first
    /// super admin, who is emailed a link to choose a password.
    Init {
        /// The name the platform presents (pages, emails).
        #[arg(long)]
        platform_name: String,
        /// The platform's own host; PLATFORM_DOMAIN when omitted, and must equal it.
        #[arg(long)]
        domain: Option<String>,
        /// The first super admin's address.
        #[arg(long)]
        admin_email: String,
    },
    /// Create the demo partners, workspaces and users (idempotent) and print the logins.
    SeedDemo {
        /// Do nothing when the database already holds any partner.
        #[arg(long)]
        if_empty: bool,
    },
    /// Measure webhook ingestion, the job queue, and the calls list and search on the
    /// configured (fresh) database, next to its raw single-row insert rate; prints a table.
    Bench {
        /// Conversations in the workspace when the list and search are timed.
        #[arg(long, default_value_t = 100_000)]
        calls: u64,
        /// Signed end-of-call webhook events to ingest.
        #[arg(long, default_value_t = 2_000)]
        events: u64,
        /// Events in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Rows for the raw insert baseline.
        #[arg(long, default_value_t = 2_000)]
        inserts: u64,
        /// Requests timed per page for time to first byte (more for steadier figures, or
        /// to hold the pages under a profiler).
        #[arg(long, default_value_t = 200)]
        page_runs: usize,
        /// Probe jobs run through the queue.
        #[arg(long, default_value_t = 5_000)]
        jobs: u64,
    },
    /// Read the text of an uploaded document from standard input and print it (run by the
    /// server itself, one child process per file, under the limits given).
    #[command(hide = true)]
    ExtractText {
        /// pdf or docx
        #[arg(long)]
        kind: String,
        #[arg(long)]
        memory_bytes: u64,
        #[arg(long)]
        cpu_seconds: u64,
        #[arg(long)]
        output_bytes: usize,
    },
    /// Re-seal every secret at rest under SECRET_KEY (old keys in SECRET_KEY_PREVIOUS).
    RotateKey {
        /// Rows read at a time.
        #[arg(long, default_value_t = 200)]
        batch: u64,
    },
    /// Create a super admin, or grant the right to an existing user.
    CreateSuperAdmin {
        #[arg(long)]
        email: String,
        /// Used only when the user does not exist yet; must meet the password policy.
        #[arg(long, env = "SUPER_ADMIN_PASSWORD")]
        password: String,
    },
}

/// Runs `extract-text` when that is the command, before any runtime, configuration or
/// database exists (the child reads one file and exits); `None` for every other command.
pub fn run_child(cli: &Cli) -> Option<i32> {
    match cli.command {
        Some(Command::ExtractText {
            ref kind,
            memory_bytes,
            cpu_seconds,
            output_bytes,
        }) => Some(crate::extract::run(
            kind,
            crate::extract::ChildLimits {
                memory_bytes,
                cpu_seconds,
                output_bytes,
            },
        )),
        _ => None,
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = config::load()?;
    telemetry::init(config.log_format);
    let leptos_options = config::leptos_options()?;
    let default = Command::Serve {
        addr: None,
        no_worker: false,
    };
    match cli.command.unwrap_or(default) {
        Command::Serve { addr, no_worker } => {
            let state = state::build(config, leptos_options).await?;
            crate::init::on_start(&state).await?;
            serve(state, addr, !no_worker).await
        }
        Command::Worker {
            concurrency,
            lease_seconds,
        } => {
            let state = state::build(config, leptos_options).await?;
            let options = crate::worker::Options {
                concurrency: concurrency.max(1),
                lease: std::time::Duration::from_secs(lease_seconds),
                ..Default::default()
            };
            crate::worker::Worker::new(state, options)
                .run(shutdown_signal())
                .await;
            Ok(())
        }
        Command::Migrate => {
            state::build(config, leptos_options).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Init {
            platform_name,
            domain,
            admin_email,
        } => {
            let state = state::build(config, leptos_options).await?;
            let init = crate::init::Init {
                platform_name,
                domain: domain.unwrap_or_else(|| state.config.platform_domain.clone()),
                admin_email,
            };
            let report = crate::init::init(&state, &init).await?;
            for line in report.lines(&init) {
                println!("{line}");
            }
            Ok(())
        }
        Command::SeedDemo { if_empty } => {
            if config.environment == Environment::Production {
                anyhow::bail!(
                    "seed-demo creates accounts with a published password and is refused in production"
                );
            }
            let state = state::build(config, leptos_options).await?;
            if if_empty && !seed::is_empty(&state.db).await? {
                println!(
                    "The database already has data; demo data was not added.\n\
                     Demo accounts from an earlier seed keep the password {}; \
                     `server seed-demo` restores any that are missing.",
                    seed::DEMO_PASSWORD
                );
                return Ok(());
            }
            let logins = seed::seed_demo(
                &state.db,
                &state.config.app_url,
                &state.config.platform_domain,
            )
            .await?;
            let calls = seed::seed_activity(&state).await?;
            // The demo agents' sync with the Sandbox provider, queued as they were made.
            crate::worker::Worker::new(state.clone(), Default::default())
                .drain(chrono::Utc::now())
                .await;
            if calls > 0 {
                println!(
                    "Demo workspaces: agents, knowledge and {calls} calls over the last 30 days."
                );
            }
            print!("{}", seed::format_logins(&logins));
            Ok(())
        }
        Command::Bench {
            calls,
            events,
            concurrency,
            inserts,
            page_runs,
            jobs,
        } => {
            let state = state::build(config, leptos_options).await?;
            crate::bench::run(
                state,
                crate::bench::Options {
                    calls,
                    events,
                    concurrency,
                    inserts,
                    page_runs: page_runs.max(1),
                    jobs,
                },
            )
            .await
        }
        Command::RotateKey { batch } => {
            let state = state::build(config, leptos_options).await?;
            let done = crate::rotate::rotate(&state.db, &state.vault, batch).await?;
            println!(
                "Re-sealed under the current key: {} integrations, {} authenticators, {} agents.",
                done.integrations, done.authenticators, done.agents
            );
            Ok(())
        }
        Command::ExtractText { .. } => {
            anyhow::bail!("extract-text is run by the server itself, through run_child")
        }
        Command::CreateSuperAdmin { email, password } => {
            let state = state::build(config, leptos_options).await?;
            let parsed = app::auth::model::Email::parse(&email)
                .map_err(|m| anyhow::anyhow!("--email: {m}"))?;
            let user = match find_by_email(&state.db, &parsed).await? {
                Some(user) => user,
                None => create_user(
                    &state.db,
                    NewUser {
                        email: &email,
                        password: &password,
                        first_name: None,
                        last_name: None,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?,
            };
            grant_super_admin(&state.db, user.id).await?;
            println!("{} is a super admin.", user.email);
            Ok(())
        }
    }
}

async fn serve(
    state: app::state::AppState,
    addr: Option<SocketAddr>,
    with_worker: bool,
) -> anyhow::Result<()> {
    let addr = addr.unwrap_or(state.leptos_options.site_addr);
    // The embedded worker stops with the server: one signal ends both.
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let worker = with_worker.then(|| {
        tokio::spawn(
            crate::worker::Worker::new(state.clone(), Default::default()).run(async move {
                let _ = stopped.wait_for(|s| *s).await;
            }),
        )
    });
    let app = router::router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(%addr, "listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    })
    .await?;
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// A validation error as one line per field, for the terminal.
fn describe(err: &app::error::AppError) -> String {
    match err {
        app::error::AppError::Validation { fields, message } if !fields.is_empty() => fields
            .iter()
            .map(|(field, messages)| format!("--{field}: {}", messages.join(" ")))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
