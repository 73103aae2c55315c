//! `server extract-text`: the child process that reads an uploaded document. It limits its
//! own address space and CPU time before it reads a byte, reads the file from standard
//! input, and prints the text (at most `--output-bytes`) on standard output. Any failure,
//! a panic, a stack overflow or a limit reached ends it with a non-zero status, which the
//! parent (`app::extract`) reports as "could not be read".

use std::io::{Read, Write};

use app::extract::parse::{self, FileKind};
use app::knowledge::model::MAX_UPLOAD_BYTES;

/// The limits, as the parent passes them.
#[derive(Debug, Clone, Copy)]
pub struct ChildLimits {
    pub memory_bytes: u64,
    pub cpu_seconds: u64,
    pub output_bytes: usize,
}

/// Runs the child; its exit code is the process's.
pub fn run(kind: &str, limits: ChildLimits) -> i32 {
    match extract(kind, limits) {
        Ok(()) => 0,
        Err(reason) => {
            let _ = writeln!(std::io::stderr(), "{reason}");
            2
        }
    }
}

fn extract(kind: &str, limits: ChildLimits) -> Result<(), String> {
    let kind = FileKind::parse(kind).ok_or_else(|| format!("unknown kind {kind:?}"))?;
    apply_limits(limits)?;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_UPLOAD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("stdin: {e}"))?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err("input is larger than an upload may be".into());
    }
    let text = parse::text_of(kind, &bytes)?;
    if text.len() > limits.output_bytes {
        return Err(format!("text is longer than {} bytes", limits.output_bytes));
    }
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| format!("stdout: {e}"))
}

/// Caps this process's address space and CPU time (soft = hard, so it cannot raise them).
/// Past the memory cap an allocation fails and the process aborts; past the CPU cap the
/// kernel ends it.
fn apply_limits(limits: ChildLimits) -> Result<(), String> {
    #[cfg(unix)]
    {
        use rlimit::Resource;
        Resource::AS
            .set(limits.memory_bytes, limits.memory_bytes)
            .map_err(|e| format!("RLIMIT_AS: {e}"))?;
        Resource::CPU
            .set(limits.cpu_seconds, limits.cpu_seconds)
            .map_err(|e| format!("RLIMIT_CPU: {e}"))?;
        // A crash leaves no core file to fill the disk.
        Resource::CORE
            .set(0, 0)
            .map_err(|e| format!("RLIMIT_CORE: {e}"))?;
    }
    #[cfg(not(unix))]
    let _ = limits;
    Ok(())
}
