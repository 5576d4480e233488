//! Terminal facts and the stderr side of the conversation: notices, warnings, colour.
//!
//! Settled once at start-up from the global flags and the environment, then read anywhere.
//! Data never goes through here: commands write data to stdout via [`crate::shell::output`].

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ColorChoice {
    /// Colour a terminal, unless the environment says otherwise.
    #[default]
    Auto,
    Always,
    Never,
}

/// The terminal side of the global flags.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UiOptions {
    pub(crate) color: ColorChoice,
    /// `-q` count: 1 hides notices and progress, 2 also warnings.
    pub(crate) quiet: u8,
    /// `-v` count: 1 debug logs, 2 trace logs.
    pub(crate) verbose: u8,
    /// Never prompt.
    pub(crate) no_input: bool,
    /// `--no-progress` (or `AUTOPLAY_NO_PROGRESS`): never draw progress bars or spinners.
    pub(crate) no_progress: bool,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    quiet: u8,
    verbose: u8,
    color_stdout: bool,
    color_stderr: bool,
    no_input: bool,
    no_progress: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

fn settings() -> Settings {
    *SETTINGS.get_or_init(|| Settings {
        quiet: 0,
        verbose: 0,
        color_stdout: false,
        color_stderr: false,
        no_input: true,
        no_progress: true,
    })
}

/// Resolves colour and verbosity once. Colour precedence: `--color`, then `NO_COLOR`,
/// then `CLICOLOR_FORCE`/`FORCE_COLOR`, then `TERM=dumb`, then whether the stream is a terminal.
pub(crate) fn init(options: UiOptions) {
    let decide = |is_tty: bool| -> bool {
        match options.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if env_set("NO_COLOR") {
                    false
                } else if env_set("CLICOLOR_FORCE") || env_set("FORCE_COLOR") {
                    true
                } else {
                    is_tty && !term_is_dumb()
                }
            }
        }
    };
    let color_stdout = decide(std::io::stdout().is_terminal());
    let color_stderr = decide(std::io::stderr().is_terminal());
    console::set_colors_enabled(color_stdout);
    console::set_colors_enabled_stderr(color_stderr);
    let _ = SETTINGS.set(Settings {
        quiet: options.quiet,
        verbose: options.verbose,
        color_stdout,
        color_stderr,
        no_input: options.no_input,
        no_progress: options.no_progress,
    });
}

fn env_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

fn term_is_dumb() -> bool {
    std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

pub(crate) fn colors_stdout() -> bool {
    settings().color_stdout
}

pub(crate) fn colors_stderr() -> bool {
    settings().color_stderr
}

pub(crate) fn verbose() -> u8 {
    settings().verbose
}

/// Whether stdout is a terminal (pretty output by default).
pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The width output is laid out for: `COLUMNS` when set (tests and scripts pin it), else
/// the width of the terminal on stdout, else `None` (not a terminal).
pub(crate) fn terminal_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
    columns.or_else(|| console::Term::stdout().size_checked().map(|(_, w)| usize::from(w)))
}

/// Whether we may ask questions: stdin and stderr are terminals, `--no-input` is off,
/// `CI` is unset and the terminal is not dumb.
pub(crate) fn can_prompt() -> bool {
    !settings().no_input
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && !env_set("CI")
        && !term_is_dumb()
}

/// Whether spinners and progress bars may be drawn: stderr is a terminal, not quiet, and
/// neither `--no-progress` nor `AUTOPLAY_NO_PROGRESS` is set.
pub(crate) fn can_show_progress() -> bool {
    let settings = settings();
    settings.quiet == 0 && !settings.no_progress && std::io::stderr().is_terminal() && !term_is_dumb()
}

/// Files smaller than this are read in well under a second: no progress bar.
const READ_PROGRESS_FROM: u64 = 64 * 1024 * 1024;

/// A progress bar for reading a big file (by bytes of the file), and the callback that moves
/// it; `None` for small files, stdin, or where progress may not be drawn.
#[allow(clippy::type_complexity)]
pub(crate) fn read_progress(
    path: &std::path::Path,
    message: &str,
) -> Option<(indicatif::ProgressBar, std::sync::Arc<dyn Fn(u64) + Send + Sync>)> {
    let size = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    if size < READ_PROGRESS_FROM {
        return None;
    }
    let bar = progress(size, "bytes", message)?;
    let moved = bar.clone();
    Some((bar, std::sync::Arc::new(move |n| moved.inc(n))))
}

/// A progress bar on stderr counting up to `total` in `unit` (`bytes` shows sizes), or `None`
/// where progress may not be drawn. Finish it with `finish_and_clear`.
pub(crate) fn progress(total: u64, unit: &str, message: &str) -> Option<indicatif::ProgressBar> {
    if !can_show_progress() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    let template = if unit == "bytes" {
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)".to_string()
    } else {
        format!("{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{per_sec}}, {{eta}} left)")
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_string());
    Some(bar)
}

/// Words wrapped to `limit` columns, the first line after `first`, the others after `rest`
/// (a word longer than a line gets a line of its own).
pub(crate) fn wrap_words(text: &str, first: &str, rest: &str, limit: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut has_word = false;
    for word in text.split_whitespace() {
        if has_word && console::measure_text_width(&line) + 1 + console::measure_text_width(word) > limit {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            has_word = false;
        }
        if has_word {
            line.push(' ');
        }
        line.push_str(word);
        has_word = true;
    }
    if has_word {
        lines.push(line);
    }
    lines
}

/// The width stderr is laid out for: `COLUMNS`, else the terminal's; `None` when stderr is
/// not a terminal (a log keeps one line per message).
fn stderr_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
    columns.or_else(|| console::Term::stderr().size_checked().map(|(_, w)| usize::from(w)))
}

/// `label message`, the message wrapped by words to the stderr width with its continuation
/// lines under its first word, so the terminal never breaks a sentence in the middle of a
/// word. `label` is what is printed (maybe coloured), `label_width` its width in columns.
pub(crate) fn labelled(label: &str, label_width: usize, message: &str) -> String {
    let Some(width) = stderr_width().filter(|&w| w > label_width + 20) else {
        return if label.is_empty() { format!("{message}\n") } else { format!("{label} {message}\n") };
    };
    let indent = " ".repeat(if label_width == 0 { 0 } else { label_width + 1 });
    let mut out = String::new();
    for (i, paragraph) in message.split('\n').enumerate() {
        let first = if i == 0 && !label.is_empty() { format!("{label} ") } else { indent.clone() };
        let lines = wrap_words(paragraph, &first, &indent, width.saturating_sub(1));
        for line in if lines.is_empty() { vec![first] } else { lines } {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// A one-line status on stderr that redraws in place (`triggers watch`), or `None` where
/// progress may not be drawn. Write other output inside `suspend`.
pub(crate) fn status_line() -> Option<indicatif::ProgressBar> {
    if !can_show_progress() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg}") {
        bar.set_style(style);
    }
    Some(bar)
}

fn write_stderr(prefix: Option<(&str, console::Style)>, message: &str) {
    let mut stderr = std::io::stderr().lock();
    let message = crate::shell::secret::redact(message);
    if let Some((label, style)) = &prefix
        && *label == "hint:"
    {
        let painted = if colors_stderr() {
            style.clone().force_styling(true).apply_to(label).to_string()
        } else {
            label.to_string()
        };
        let _ = stderr.write_all(labelled(&painted, label.len(), &message).as_bytes());
        return;
    }
    let line = match prefix {
        Some((label, style)) if colors_stderr() => {
            format!("{} {message}\n", style.force_styling(true).apply_to(label))
        }
        Some((label, _)) => format!("{label} {message}\n"),
        None => format!("{message}\n"),
    };
    let _ = stderr.write_all(line.as_bytes());
}

/// A notice on stderr (hidden by `-q`).
pub(crate) fn info(message: impl AsRef<str>) {
    if settings().quiet == 0 {
        write_stderr(None, message.as_ref());
    }
}

/// A warning on stderr (hidden by `-qq`).
pub(crate) fn warn(message: impl AsRef<str>) {
    if settings().quiet < 2 {
        write_stderr(Some(("warning:", console::Style::new().yellow().bold())), message.as_ref());
    }
}

/// A hint on stderr (hidden by `-q`).
pub(crate) fn hint(message: impl AsRef<str>) {
    if settings().quiet == 0 {
        write_stderr(Some(("hint:", console::Style::new().cyan().bold())), message.as_ref());
    }
}

/// Styles `text` for stdout when colour is on there.
pub(crate) fn paint_stdout(text: &str, style: &console::Style) -> String {
    if colors_stdout() { style.clone().force_styling(true).apply_to(text).to_string() } else { text.to_string() }
}

/// Styles `text` for stderr when colour is on there.
pub(crate) fn paint_stderr(text: &str, style: &console::Style) -> String {
    if colors_stderr() { style.clone().force_styling(true).apply_to(text).to_string() } else { text.to_string() }
}

/// A failed prompt as the command's error: Ctrl-C or end of input ends the command as
/// interrupted; anything else is a terminal error.
pub(crate) fn prompt_error(err: dialoguer::Error) -> anyhow::Error {
    let dialoguer::Error::IO(io) = err;
    match io.kind() {
        std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof => {
            crate::shell::exit::UserError::new(crate::shell::exit::ExitStatus::Interrupted, "cancelled").into()
        }
        _ => anyhow::Error::from(io).context("could not read the answer from the terminal"),
    }
}
