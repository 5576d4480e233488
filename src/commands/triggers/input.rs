//! What the `triggers` commands that simulate share: reading `products.json` and a
//! recording into an [`engine::Simulation`], and turning the engine's errors into exit codes.

use std::path::Path;

use crate::recording;
use crate::report;
use crate::shell::exit::UserError;
use crate::shell::ui;
use crate::triggers::config::{self, ParsedConfig};
use crate::triggers::engine::{self, LineOutcome, SimError};
use crate::triggers::sweep;
use serde_json::Value;

/// Bytes of the recording parsed together in parallel.
const READ_BLOCK_BYTES: usize = 8 << 20;

/// Reads and parses `products.json`; any error of the SDK (or the contract) is exit 2 with
/// every problem listed.
pub(crate) fn load_config(path: &Path) -> anyhow::Result<ParsedConfig> {
    Ok(load_config_text(path)?.1)
}

/// [`load_config`], and the config's text.
pub(crate) fn load_config_text(path: &Path) -> anyhow::Result<(String, ParsedConfig)> {
    let text = if path.as_os_str() == "-" {
        crate::fs::read_stdin_limited(crate::fs::MAX_CONFIG_BYTES)
            .map_err(|e| UserError::usage(format!("could not read the config from stdin: {e}")))?
    } else {
        crate::fs::read_text_limited(path, crate::fs::MAX_CONFIG_BYTES)
            .map_err(|e| UserError::usage(format!("could not read the config {}: {e}", path.display())))?
    };
    let parsed = config::parse_products_str(&text).map_err(|e| UserError::usage(format!("{}: {e}", path.display())))?;
    refuse_errors(&parsed, &path.display().to_string(), &path.display().to_string())?;
    Ok((text, parsed))
}

/// Exit 2 with every error of a config the SDK would refuse.
fn refuse_errors(parsed: &ParsedConfig, what: &str, file: &str) -> anyhow::Result<()> {
    if parsed.has_errors() {
        let lines: Vec<String> = parsed.errors().map(|i| format!("  {i}")).collect();
        return Err(UserError::usage(format!(
            "{what} is not a valid trigger config ({} error{}):\n{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" },
            lines.join("\n")
        ))
        .with_hint(format!("run `autoplay triggers validate {file}` for line and column numbers"))
        .into());
    }
    Ok(())
}

/// The config `text` (of `path`) with values set at `KEY`s (JSON paths or unambiguous
/// member names, [`sweep::resolve`]), validated as the SDK would: exit 2 naming the file and
/// the overrides.
pub(crate) fn overridden(path: &Path, text: &str, sets: &[(String, Value)]) -> anyhow::Result<ParsedConfig> {
    let mut doc: Value =
        serde_json::from_str(text).map_err(|e| UserError::usage(format!("{}: {e}", path.display())))?;
    let mut applied = Vec::new();
    for (key, value) in sets {
        let at = sweep::resolve(&doc, key)
            .and_then(|p| sweep::set(&mut doc, &p, value.clone()).map(|()| p))
            .map_err(|m| UserError::usage(format!("{}: {m}", path.display())))?;
        applied.push(format!("{at}={value}"));
    }
    let parsed = config::parse_products(&doc);
    refuse_errors(&parsed, &format!("{} with {}", path.display(), applied.join(", ")), &path.display().to_string())?;
    Ok(parsed)
}

#[derive(Debug, Default)]
pub(crate) struct ReadStats {
    pub(crate) ignored: usize,
}

/// One line read: an event (owning its ids, so blocks can be reused), a skipped type, or a
/// bad line.
type ParsedLine = Result<LineOutcome<'static>, engine::BadLine>;

/// Parses one piece of a block (repeated URLs share one allocation per piece); with a
/// report, also what the report keeps of each line (one entry per line).
fn parse_lines(lines: recording::Lines<'_>, with_marks: bool) -> (Vec<ParsedLine>, Vec<report::LineMarks>) {
    let mut scratch = engine::LineScratch::new();
    let mut marks_reader = report::LineMarksReader::new();
    let mut parsed = Vec::with_capacity(lines.size_hint().1.unwrap_or(0));
    let mut marks = Vec::new();
    parsed.extend(lines.map(|(n, text)| match text {
        Ok(text) => {
            let line = engine::parse_line_with(n, text, &mut scratch).map(LineOutcome::into_owned);
            if with_marks {
                marks.push(match line {
                    // What the simulator's reader found in the line, looked at again.
                    Ok(LineOutcome::Event(_)) => marks_reader.of_view(&scratch.last_line()),
                    _ => report::LineMarks::default(),
                });
            }
            line
        }
        Err(not_utf8) => {
            if with_marks {
                marks.push(report::LineMarks::default());
            }
            Err(engine::BadLine { line: n, message: not_utf8.to_string() })
        }
    }));
    (parsed, marks)
}

/// Reads the recording block by block: while one block is parsed (in parallel), the events
/// of the previous one go to their sessions and the next one is read, so the cores stay busy.
pub(crate) fn read_recording(
    path: &Path,
    skip_bad_lines: bool,
    simulation: &mut engine::Simulation,
) -> anyhow::Result<ReadStats> {
    read_events(path, skip_bad_lines, None, |e| simulation.push(e))
}

/// [`read_recording`], also keeping what the report draws of each line in `marks`.
pub(crate) fn read_recording_marked(
    path: &Path,
    skip_bad_lines: bool,
    simulation: &mut engine::Simulation,
    marks: Option<&mut report::Marks>,
) -> anyhow::Result<ReadStats> {
    read_events(path, skip_bad_lines, marks, |e| simulation.push(e))
}

/// Reads the recording, handing each event to `sink` in file order (and its marks to
/// `marks`), with a progress bar on a terminal for big files.
fn read_events(
    path: &Path,
    skip_bad_lines: bool,
    mut marks: Option<&mut report::Marks>,
    mut sink: impl FnMut(engine::SimEvent<'static>) + Send,
) -> anyhow::Result<ReadStats> {
    let progress = crate::shell::ui::read_progress(path, "Reading");
    let reader = recording::open_observed(path, progress.as_ref().map(|(_, observer)| observer.clone()))
        .map_err(|e| UserError::usage(format!("{e:#}")))?;
    let name = path.display().to_string();
    let mut stats = ReadStats::default();
    let with_marks = marks.is_some();
    let read = recording::fold_blocks(
        reader,
        &name,
        READ_BLOCK_BYTES,
        |lines| Ok(parse_lines(lines, with_marks)),
        |(parsed, line_marks)| {
            route(parsed, line_marks, &mut sink, marks.as_deref_mut(), skip_bad_lines, &name, &mut stats)
        },
    );
    if let Some((bar, _)) = progress {
        bar.finish_and_clear();
    }
    read?;
    Ok(stats)
}

/// Sends a block's events to their sessions, in file order.
fn route(
    parsed: Vec<ParsedLine>,
    line_marks: Vec<report::LineMarks>,
    sink: &mut impl FnMut(engine::SimEvent<'static>),
    mut marks: Option<&mut report::Marks>,
    skip_bad_lines: bool,
    name: &str,
    stats: &mut ReadStats,
) -> anyhow::Result<()> {
    let mut line_marks = line_marks.into_iter();
    for r in parsed {
        let line = line_marks.next();
        match r {
            Ok(LineOutcome::Event(e)) => {
                if let (Some(marks), Some(line)) = (marks.as_deref_mut(), line) {
                    marks.push(&e, line);
                }
                sink(e)
            }
            Ok(LineOutcome::Ignored) => stats.ignored += 1,
            Err(bad) if skip_bad_lines => {
                ui::warn(format!("{name}:{}: {}; line skipped", bad.line, bad.message));
            }
            Err(bad) => {
                return Err(UserError::usage(format!("{name}:{}: {}", bad.line, bad.message))
                    .with_hint("fix the line, or pass --skip-bad-lines to skip unreadable lines")
                    .into());
            }
        }
    }
    Ok(())
}

pub(crate) fn sim_error(err: SimError, config: &Path) -> anyhow::Error {
    match err {
        SimError::Options(m) => UserError::usage(m).into(),
        SimError::UnknownProduct(p) => {
            UserError::usage(format!("--product {p:?}: no product row with that product_id"))
                .with_hint(format!("the product ids are the `product_id` values in {}", config.display()))
                .into()
        }
        SimError::Aborted => anyhow::anyhow!("the simulation stopped early"),
        SimError::Config => UserError::usage(format!("{} is not a valid trigger config", config.display())).into(),
        sdk @ SimError::Sdk { .. } => UserError::usage(sdk.to_string())
            .with_hint(format!(
                "run `autoplay triggers validate {}` to find values the SDK cannot use",
                config.display()
            ))
            .into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Pretty output
// ---------------------------------------------------------------------------------------------
