//! `server`: serve the app (default), migrate, seed demo data, create a super admin.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc's allocator: a page allocates and frees thousands of small
/// strings, and under glibc that was a sixth of a page's time (docs/ARCHITECTURE.md, "Time
/// to first byte").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = server::cli::Cli::parse();
    // The text-extraction child runs without a runtime: it reads one file and exits.
    if let Some(code) = server::cli::run_child(&cli) {
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: the async runtime could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
