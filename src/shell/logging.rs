//! `tracing` to stderr: off by default (warnings reach people through [`crate::shell::ui`]),
//! `-v` debug, `-vv` trace, or any filter in `AUTOPLAY_LOG` / `RUST_LOG`. Every line passes
//! through secret redaction.

use std::io::Write;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the stderr subscriber; `verbose` is the `-v` count.
pub(crate) fn init(verbose: u8) {
    let directive = std::env::var(crate::shell::env_vars::LOG)
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .filter(|value| !value.trim().is_empty());
    let filter = match (verbose, directive) {
        (0, Some(directive)) => EnvFilter::new(directive),
        (0, None) => EnvFilter::new("off"),
        (1, _) => EnvFilter::new("autoplay=debug"),
        _ => EnvFilter::new("autoplay=trace,info"),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(RedactingStderr)
        .with_ansi(crate::shell::ui::colors_stderr())
        .with_target(true)
        .try_init();
}

/// A stderr writer that masks secrets in each formatted log record.
#[derive(Clone, Copy)]
struct RedactingStderr;

struct RedactingWriter {
    buffer: Vec<u8>,
}

impl Write for RedactingWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for RedactingWriter {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buffer);
        let _ = std::io::stderr().lock().write_all(crate::shell::secret::redact(&text).as_bytes());
    }
}

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = RedactingWriter;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter { buffer: Vec::with_capacity(256) }
    }
}
