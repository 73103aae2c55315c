//! Reading the text out of an uploaded file without trusting it. Plain text is checked here
//! (UTF-8 validation is linear and cannot crash); a format that needs a parser (PDF, Word)
//! is read by `server extract-text` in a child process that limits its own address space
//! and CPU time, under a wall-clock deadline, a cap on the text it returns and a bound on
//! how many run at once. A file that breaks the parser costs its uploader one 422; the
//! server and every other tenant carry on.

pub mod parse;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use parse::FileKind;

use crate::error::AppError;
use crate::knowledge::model::{ExtractedText, MAX_CONTENT_CHARS, MAX_UPLOAD_BYTES, SourceFile};

/// The limits a child process runs under. `server extract-text` applies the memory and CPU
/// limits to itself before it reads a byte.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Address space of the child, in bytes.
    pub memory_bytes: u64,
    /// CPU seconds before the kernel stops the child.
    pub cpu_seconds: u64,
    /// Wall-clock time before the parent kills it (a child blocked on nothing CPU-bound).
    pub wall: Duration,
    /// The most bytes of text the child may return (UTF-8; a document holds at most
    /// `MAX_CONTENT_CHARS` characters of up to 4 bytes).
    pub output_bytes: usize,
    /// Children running at once on this server.
    pub concurrent: usize,
    /// How long a request waits for a free slot before it is told to come back.
    pub queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_bytes: 1024 * 1024 * 1024,
            cpu_seconds: 10,
            wall: Duration::from_secs(20),
            output_bytes: MAX_CONTENT_CHARS * 4,
            concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue_wait: Duration::from_secs(10),
        }
    }
}

/// Runs extractions in child processes of `program` (the server binary itself).
#[derive(Debug, Clone)]
pub struct Extractor {
    program: PathBuf,
    limits: Limits,
    slots: Arc<Semaphore>,
}

impl Extractor {
    pub fn new(program: PathBuf, limits: Limits) -> Self {
        Self {
            program,
            slots: Arc::new(Semaphore::new(limits.concurrent.max(1))),
            limits,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The text of an uploaded .txt, .md, .pdf or .docx file of at most 10 MB.
    pub async fn extract(&self, file_name: &str, bytes: &[u8]) -> Result<ExtractedText, AppError> {
        let name = file_name.trim();
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(AppError::invalid(
                "file",
                "The file is larger than 10 MB. Split it or paste the part the agent needs.",
            ));
        }
        if bytes.is_empty() {
            return Err(AppError::invalid("file", "The file is empty."));
        }
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let (kind, text) = match extension.as_str() {
            "txt" | "md" | "markdown" => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    AppError::invalid(
                        "file",
                        "The file is not UTF-8 text. Save it as UTF-8 and upload it again.",
                    )
                })?;
                let kind = if extension == "txt" { "txt" } else { "md" };
                (kind, text.trim_start_matches('\u{feff}').to_owned())
            }
            "pdf" => ("pdf", self.parse(name, FileKind::Pdf, bytes).await?),
            "docx" => ("docx", self.parse(name, FileKind::Docx, bytes).await?),
            _ => {
                return Err(AppError::invalid(
                    "file",
                    "Upload a .txt, .md, .pdf or .docx file. Other formats: save as PDF first.",
                ));
            }
        };
        let text = text.replace("\r\n", "\n").trim().to_owned();
        if text.is_empty() {
            return Err(AppError::invalid(
                "file",
                format!(
                    "No text was found in {}. Scanned pages need text recognition first.",
                    shown(name)
                ),
            ));
        }
        if text.chars().count() > MAX_CONTENT_CHARS {
            return Err(too_long(name));
        }
        let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
        Ok(ExtractedText {
            text,
            source: SourceFile {
                name: name.chars().take(255).collect(),
                kind: kind.into(),
                size_bytes: bytes.len() as i64,
            },
            suggested_title: stem
                .replace(['_', '-'], " ")
                .trim()
                .chars()
                .take(500)
                .collect(),
        })
    }

    /// Runs `server extract-text --kind K` on `bytes` and returns what it printed.
    async fn parse(&self, name: &str, kind: FileKind, bytes: &[u8]) -> Result<String, AppError> {
        let _slot = tokio::time::timeout(self.limits.queue_wait, self.slots.acquire())
            .await
            .map_err(|_| AppError::busy("reading other files", 5))?
            .map_err(AppError::internal)?;
        let unreadable = || {
            AppError::invalid(
                "file",
                format!(
                    "{} could not be read. It may be damaged, password-protected or not really a {} file.",
                    shown(name),
                    kind.as_str().to_uppercase()
                ),
            )
        };
        let mut child = tokio::process::Command::new(&self.program)
            .arg("extract-text")
            .arg("--kind")
            .arg(kind.as_str())
            .arg("--memory-bytes")
            .arg(self.limits.memory_bytes.to_string())
            .arg("--cpu-seconds")
            .arg(self.limits.cpu_seconds.to_string())
            .arg("--output-bytes")
            .arg(self.limits.output_bytes.to_string())
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| AppError::internal(format!("extract-text could not start: {e}")))?;
        let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(AppError::internal("extract-text pipes are missing"));
        };
        let cap = self.limits.output_bytes;
        let run = async {
            // Feed and drain at once: a child that writes before it has read everything
            // must not wait on a full pipe while we wait on it.
            let feed = async {
                // A child that dies early closes its end; the exit status tells why.
                let _ = stdin.write_all(bytes).await;
                drop(stdin);
            };
            let mut out = Vec::new();
            let mut limited_out = (&mut stdout).take(cap as u64 + 1);
            let drain = limited_out.read_to_end(&mut out);
            let mut err = Vec::new();
            let mut limited_err = (&mut stderr).take(4096);
            let drain_err = limited_err.read_to_end(&mut err);
            let (_, read, _) = tokio::join!(feed, drain, drain_err);
            read.map_err(AppError::internal)?;
            if out.len() > cap {
                return Ok::<_, AppError>(Err(too_long(name)));
            }
            let status = child.wait().await.map_err(AppError::internal)?;
            Ok(Ok((status, out, err)))
        };
        let (status, out, err) = match tokio::time::timeout(self.limits.wall, run).await {
            Ok(finished) => finished??,
            Err(_) => {
                tracing::warn!(
                    file.kind = kind.as_str(),
                    "extract-text ran past its deadline"
                );
                return Err(unreadable());
            }
        };
        if !status.success() {
            tracing::info!(
                file.kind = kind.as_str(),
                %status,
                reason = %String::from_utf8_lossy(&err).trim(),
                "an uploaded file could not be read"
            );
            return Err(unreadable());
        }
        String::from_utf8(out).map_err(|_| unreadable())
    }
}

/// The file's name as a message shows it.
fn shown(name: &str) -> String {
    let short: String = name.chars().take(80).collect();
    if short.is_empty() {
        "The file".into()
    } else {
        format!("“{short}”")
    }
}

fn too_long(name: &str) -> AppError {
    AppError::invalid(
        "file",
        format!(
            "{} holds more than 1,000,000 characters of text. Split it into smaller documents.",
            shown(name)
        ),
    )
}
