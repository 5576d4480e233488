//! `tracing` to stderr: off by default (warnings reach people through [`crate::shell::ui`]),
//! `-v` debug, `-vv` trace, or any filter in `AUTOPLAY_LOG` / `RUST_LOG`. Every line passes
//! through secret redaction.
//!
//! HTTP exchanges are logged under the `autoplay::http` target: `-v` gives one line per
//! request and one per response (method, masked URL, status, time taken); `-vv` adds the
//! request and response headers, with secret headers masked.

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

/// The header names whose values are never logged.
fn is_secret_header(name: &str) -> bool {
    matches!(name.to_ascii_lowercase().as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
        || crate::shell::secret::is_secret_name(name)
        || name.eq_ignore_ascii_case("x-connector-signature")
}

fn header_lines(headers: &reqwest::header::HeaderMap) -> String {
    let mut out = String::new();
    for (name, value) in headers {
        let shown = if is_secret_header(name.as_str()) {
            "***".to_string()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        out.push_str(&format!("\n    {name}: {shown}"));
    }
    out
}

/// Logs a request about to be sent (`-v`), with its headers at `-vv`.
pub(crate) fn http_request(method: &str, url: &str) {
    tracing::debug!(target: "autoplay::http", "→ {method} {}", crate::shell::secret::redact_url(url));
}

/// Logs a request with the headers it carries (`-vv`; `-v` gets the one-line form).
pub(crate) fn http_request_headers(method: &str, url: &str, headers: &reqwest::header::HeaderMap) {
    if tracing::enabled!(target: "autoplay::http", tracing::Level::TRACE) {
        tracing::trace!(target: "autoplay::http", "→ {method} {}{}", crate::shell::secret::redact_url(url), header_lines(headers));
    } else {
        http_request(method, url);
    }
}

/// Logs a response (`-v`: status and time; `-vv`: its headers too).
pub(crate) fn http_response(
    method: &str,
    url: &str,
    status: u16,
    elapsed: std::time::Duration,
    headers: &reqwest::header::HeaderMap,
) {
    let url = crate::shell::secret::redact_url(url);
    let ms = elapsed.as_secs_f64() * 1000.0;
    if tracing::enabled!(target: "autoplay::http", tracing::Level::TRACE) {
        tracing::trace!(target: "autoplay::http", "← {status} {method} {url} ({ms:.0} ms){}", header_lines(headers));
    } else {
        tracing::debug!(target: "autoplay::http", "← {status} {method} {url} ({ms:.0} ms)");
    }
}

/// Logs a request that got no response.
pub(crate) fn http_failure(method: &str, url: &str, elapsed: std::time::Duration, error: &str) {
    let ms = elapsed.as_secs_f64() * 1000.0;
    tracing::debug!(target: "autoplay::http", "✗ {method} {} failed after {ms:.0} ms: {error}", crate::shell::secret::redact_url(url));
}
