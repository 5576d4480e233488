//! The stdout side: format resolution and a line writer that flushes per line.
//!
//! A write to a closed pipe surfaces as `io::ErrorKind::BrokenPipe`; the error renderer
//! turns that into a quiet exit 0, so `autoplay tail | head` behaves.

use std::io::{self, Write};

/// How a command prints its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Human-readable, coloured on a terminal.
    Pretty,
    /// Machine-readable JSON (NDJSON for streams and lists).
    Json,
    /// Plain text (the SDK's `to_text()` for `tail`).
    Text,
}

/// The format a command prints in: the flag when given, else pretty on a terminal and
/// json otherwise.
pub(crate) fn resolve_format(requested: Option<Format>) -> Format {
    requested.unwrap_or_else(|| if crate::shell::ui::stdout_is_terminal() { Format::Pretty } else { Format::Json })
}

/// Every format, for the commands that take them all (`tail`).
const ALL: &[Format] = &[Format::Pretty, Format::Json, Format::Text];
const PRETTY_JSON: &[Format] = &[Format::Pretty, Format::Json];
const PRETTY: &[Format] = &[Format::Pretty];
const JSON: &[Format] = &[Format::Json];
const TEXT_PRETTY_JSON: &[Format] = &[Format::Text, Format::Pretty, Format::Json];

/// The formats each command prints, by command path (`sessions list`): the one list that
/// both `--help` (the values `--format` offers there) and the commands themselves
/// ([`ensure_supported`]) read. A command not listed takes every format.
const FORMATS: &[(&str, &[Format])] = &[
    ("auth status", PRETTY_JSON),
    ("auth logout", PRETTY),
    ("onboard", PRETTY_JSON),
    ("send", PRETTY_JSON),
    ("doctor", PRETTY_JSON),
    ("install-skills", PRETTY_JSON),
    ("triggers validate", PRETTY_JSON),
    ("triggers simulate", PRETTY_JSON),
    ("triggers explain", PRETTY_JSON),
    ("triggers tune", PRETTY_JSON),
    ("triggers test", PRETTY_JSON),
    ("triggers watch", PRETTY_JSON),
    ("triggers init", PRETTY),
    ("sessions list", PRETTY_JSON),
    ("sessions show", PRETTY_JSON),
    ("sessions stats", PRETTY_JSON),
    ("sessions drain", JSON),
    ("sessions context", TEXT_PRETTY_JSON),
    ("sessions user", TEXT_PRETTY_JSON),
    ("serve", PRETTY),
    ("demo", PRETTY_JSON),
    ("generate", JSON),
    ("completions", PRETTY),
    ("mcp", JSON),
    ("tail", ALL),
];

/// The formats the command at `path` (`sessions list`, without `autoplay`) prints.
pub(crate) fn formats_of(path: &str) -> &'static [Format] {
    let path = path.strip_prefix("autoplay ").unwrap_or(path);
    FORMATS.iter().find(|(p, _)| *p == path).map_or(ALL, |(_, formats)| formats)
}

/// Whether `path` has its own entry in the table (every command should).
#[cfg(test)]
pub(crate) fn formats_listed(path: &str) -> bool {
    FORMATS.iter().any(|(p, _)| *p == path)
}

/// Refuses formats the command at `path` does not print ([`formats_of`]), naming the ones
/// it does.
pub(crate) fn ensure_supported(format: Format, path: &str) -> anyhow::Result<()> {
    let supported = formats_of(path);
    if supported.contains(&format) {
        return Ok(());
    }
    let names: Vec<&str> = supported.iter().map(|f| format_name(*f)).collect();
    Err(crate::usage_error!(
        "`autoplay {}` does not support --format {}; use one of: {}",
        path.strip_prefix("autoplay ").unwrap_or(path),
        format_name(format),
        names.join(", ")
    ))
}

pub(crate) fn format_name(format: Format) -> &'static str {
    match format {
        Format::Pretty => "pretty",
        Format::Json => "json",
        Format::Text => "text",
    }
}

/// Buffered stdout that flushes after every line (so a pipe to `jq` sees each event at once).
pub(crate) struct LineWriter {
    inner: io::BufWriter<io::Stdout>,
    flush_each_line: bool,
}

impl Default for LineWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl LineWriter {
    pub(crate) fn new() -> Self {
        LineWriter { inner: io::BufWriter::with_capacity(64 * 1024, io::stdout()), flush_each_line: true }
    }

    /// Block-buffered: for bulk output where per-line latency does not matter (its writes
    /// are large, so a pipe on stdout gets a large buffer: [`widen_stdout_pipe`]).
    pub(crate) fn block_buffered() -> Self {
        widen_stdout_pipe();
        LineWriter { inner: io::BufWriter::with_capacity(256 * 1024, io::stdout()), flush_each_line: false }
    }

    /// Writes `line` and a newline, then flushes when line-buffered.
    pub(crate) fn line(&mut self, line: &str) -> io::Result<()> {
        self.inner.write_all(line.as_bytes())?;
        self.inner.write_all(b"\n")?;
        if self.flush_each_line {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Writes `value` as one line of JSON, serialized straight into the buffer (a large
    /// document is never held as a string first), then a newline; flushes when line-buffered.
    pub(crate) fn json_line(&mut self, value: &impl serde::Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.inner, value)?;
        self.inner.write_all(b"\n")?;
        if self.flush_each_line {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Writes raw bytes (caller adds newlines).
    pub(crate) fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_all(bytes)
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let _ = self.inner.flush();
    }
}

/// `1 event`, `2 events`: a count with the right form of its noun (the one plural helper;
/// [`plural`] where the number stands apart from its noun).
pub(crate) fn count(n: impl TryInto<u64>, one: &str, many: &str) -> String {
    let n = n.try_into().unwrap_or(u64::MAX);
    format!("{n} {}", plural(n, one, many))
}

/// The form of a noun for `n` things: `one` for exactly 1, else `many`.
pub(crate) fn plural<'a>(n: impl TryInto<u64>, one: &'a str, many: &'a str) -> &'a str {
    if n.try_into().is_ok_and(|n| n == 1) { one } else { many }
}

/// `text` as one shell word: as is when it holds only safe characters, else single-quoted.
pub(crate) fn shell_word(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c)) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// When stdout is a pipe, asks the kernel for a 1 MiB pipe buffer instead of the default 64 KB
/// (Linux; the most an unprivileged process may ask for by default; a refusal changes
/// nothing): a writer with much to write is then not stopped every 64 KB to wait for the
/// reader. `tail` to a pipe measured 25–30 % faster with it.
pub(crate) fn widen_stdout_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: fstat and fcntl on descriptor 1 with plain integers and a zeroed stat buffer.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(1, &mut st) == 0 && (st.st_mode & libc::S_IFMT) == libc::S_IFIFO {
            libc::fcntl(1, libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
}
