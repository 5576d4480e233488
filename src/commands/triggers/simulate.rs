//! `autoplay triggers simulate`: reads the config and the recording, runs the engine in
//! [`crate::triggers::engine`] and prints NDJSON records (`--format json`) or a timeline per
//! session with a summary per product (`--format pretty`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

use crate::recording;
use crate::report;
use crate::settings::{GlobalSettings, SimulateSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::triggers::config::{self, ParsedConfig};
use crate::triggers::engine::{self, LineOutcome, Record, RecordKind, SimError, SimOutput};

/// Bytes of the recording parsed together in parallel.
const READ_BLOCK_BYTES: usize = 8 << 20;

pub(crate) fn run(global: &GlobalSettings, args: SimulateSettings) -> anyhow::Result<ExitStatus> {
    prefer_small_pages();
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, &[Format::Pretty, Format::Json], "autoplay triggers simulate")?;
    let opts = &args.options;
    opts.validate().map_err(UserError::usage)?;

    let parsed = load_config(&args.config)?;
    let mut simulation = engine::Simulation::new(&parsed, opts).map_err(|err| sim_error(err, &args.config))?;
    let mut marks = args.report.as_ref().map(|_| report::Marks::new());
    let stats = read_recording(&args.events, args.skip_bad_lines, &mut simulation, marks.as_mut())?;
    if stats.ignored > 0 && format == Format::Pretty {
        ui::info(format!("{} line(s) of other types (heartbeats, …) ignored", stats.ignored));
    }
    let unrouted = match (format, &args.report, &marks) {
        // The report is drawn from the very records printed: one run, kept as values.
        (_, Some(path), Some(marks)) => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            write_report(path, &args, &out, marks)?;
            if format == Format::Json {
                write_records(&out)?
            } else {
                print_pretty(&out)?
            }
            out.unrouted
        }
        (Format::Json, _, _) => {
            let run = simulation.run_ndjson().map_err(|err| sim_error(err, &args.config))?;
            write_ndjson(&run)?;
            run.unrouted
        }
        _ => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            print_pretty(&out)?;
            out.unrouted
        }
    };
    for (pid, n) in &unrouted {
        ui::warn(format!("no product row for product_id {pid:?}; {n} event(s) skipped"));
    }
    Ok(ExitStatus::Success)
}

/// A simulation touches its memory once (a recording's events, then the records), so
/// transparent huge pages only add cost: each first touch zeroes 2 MB, and on a virtual
/// machine the first run after a pause paid a third of a second more for it. Small pages
/// from here on (Linux; elsewhere nothing changes).
fn prefer_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Reads and parses `products.json`; any error of the SDK (or the contract) is exit 2 with
/// every problem listed.
pub(crate) fn load_config(path: &Path) -> anyhow::Result<ParsedConfig> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("could not read the config from stdin")?
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| UserError::usage(format!("could not read the config {}: {e}", path.display())))?
    };
    let parsed = config::parse_products_str(&text).map_err(|e| UserError::usage(format!("{}: {e}", path.display())))?;
    if parsed.has_errors() {
        let lines: Vec<String> = parsed.errors().map(|i| format!("  {i}")).collect();
        return Err(UserError::usage(format!(
            "{} is not a valid trigger config ({} error{}):\n{}",
            path.display(),
            lines.len(),
            if lines.len() == 1 { "" } else { "s" },
            lines.join("\n")
        ))
        .with_hint(format!("run `autoplay triggers validate {}` for line and column numbers", path.display()))
        .into());
    }
    Ok(parsed)
}

#[derive(Debug, Default)]
struct ReadStats {
    ignored: usize,
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
fn read_recording(
    path: &Path,
    skip_bad_lines: bool,
    simulation: &mut engine::Simulation,
    mut marks: Option<&mut report::Marks>,
) -> anyhow::Result<ReadStats> {
    let progress = crate::shell::ui::read_progress(path, "Reading");
    let reader = recording::open_observed(path, progress.as_ref().map(|(_, observer)| observer.clone()))
        .map_err(|e| UserError::usage(format!("{e:#}")))?;
    let name = path.display().to_string();
    let mut stats = ReadStats::default();
    let with_marks = marks.is_some();
    let read = recording::fold_blocks(
        reader,
        READ_BLOCK_BYTES,
        |lines| Ok(parse_lines(lines, with_marks)),
        |(parsed, line_marks)| {
            route(parsed, line_marks, simulation, marks.as_deref_mut(), skip_bad_lines, &name, &mut stats)
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
    simulation: &mut engine::Simulation,
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
                simulation.push(e)
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

/// Slices handed to one `writev`.
const WRITE_BATCH: usize = 512;

/// Writes the records straight from the sessions' texts with vectored writes: no copy into a
/// buffer first (the kernel copies once, or not at all for `/dev/null`).
fn write_ndjson(run: &engine::NdjsonRun) -> std::io::Result<()> {
    use std::io::{IoSlice, Write};
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut batch: Vec<IoSlice> = Vec::with_capacity(WRITE_BATCH);
    run.write_lines(|lines| {
        batch.push(IoSlice::new(lines));
        if batch.len() == WRITE_BATCH {
            write_all_vectored(&mut out, &mut batch)?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    write_all_vectored(&mut out, &mut batch)?;
    out.flush()
}

/// Writes the records of a run kept as values, one NDJSON line each (the same text as
/// [`write_ndjson`]: both are the records' own JSON).
fn write_records(out: &SimOutput) -> std::io::Result<()> {
    let mut w = LineWriter::block_buffered();
    let mut line = String::with_capacity(512);
    for r in &out.records {
        line.clear();
        r.write_json(&mut line);
        line.push('\n');
        w.raw(line.as_bytes())?;
    }
    w.flush()
}

/// Writes the HTML report of the run and says where it is (on stderr).
fn write_report(path: &Path, args: &SimulateSettings, out: &SimOutput, marks: &report::Marks) -> anyhow::Result<()> {
    let header = report::Header::of_run("triggers simulate", &args.config, &args.events, &args.options);
    let built = report::build(header, out, marks);
    report::html::write(path, &built).with_context(|| format!("could not write the report {}", path.display()))?;
    ui::info(format!("report written to {}", path.display()));
    Ok(())
}

/// `write_all` for a batch of slices (empties `batch`).
fn write_all_vectored(out: &mut impl std::io::Write, batch: &mut Vec<std::io::IoSlice>) -> std::io::Result<()> {
    let mut slices = &mut batch[..];
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => std::io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    batch.clear();
    Ok(())
}

fn sim_error(err: SimError, config: &Path) -> anyhow::Error {
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

fn print_pretty(out: &SimOutput) -> anyhow::Result<()> {
    let mut w = LineWriter::block_buffered();
    for line in pretty_lines(out, ui::colors_stdout()) {
        w.line(&line)?;
    }
    w.flush()?;
    Ok(())
}

/// The pretty timeline: one block per session (in order of first appearance), then one
/// summary line per product.
pub(crate) fn pretty_lines(out: &SimOutput, color: bool) -> Vec<String> {
    let paint = |text: &str, style: console::Style| {
        if color { style.force_styling(true).apply_to(text).to_string() } else { text.to_string() }
    };
    let mut by_session: Vec<Vec<&Record>> = vec![Vec::new(); out.sessions.len()];
    for r in &out.records {
        if let Some(v) = by_session.get_mut(r.session_index) {
            v.push(r);
        }
    }
    let mut lines = Vec::new();
    for (summary, records) in out.sessions.iter().zip(&by_session) {
        let start = chrono::DateTime::from_timestamp(summary.first_ts.floor() as i64, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_else(|| format!("{}", summary.first_ts));
        lines.push(format!(
            "{} {}  {}",
            paint("session", console::Style::new().bold()),
            paint(&format!("{}/{}", summary.product_id, summary.session_id), console::Style::new().bold().cyan()),
            paint(&format!("starts {start}"), console::Style::new().dim()),
        ));
        for r in records {
            let offset = format!("+{:>7.1}s", r.ts - summary.first_ts);
            let line = format!("  {}  {}", paint(&offset, console::Style::new().dim()), describe(r, &paint));
            lines.push(line.trim_end().to_string());
        }
        lines.push(String::new());
    }
    lines.extend(summary_lines(out));
    lines
}

fn describe(r: &Record, paint: &dyn Fn(&str, console::Style) -> String) -> String {
    let kind = |s: &str, style: console::Style| paint(&format!("{s:<18}"), style);
    match &r.kind {
        RecordKind::Fire(fire) => {
            let engine::FireRecord { trigger_id, body, chips, chip_rule, judge, shadowed, state, .. } = &**fire;
            let mut text = format!(
                "{} {} ({judge}) {:?}",
                kind("FIRE", console::Style::new().green().bold()),
                paint(trigger_id, console::Style::new().bold()),
                body
            );
            if !chips.is_empty() {
                let labels: Vec<String> = chips.iter().map(|c| c.to_string()).collect();
                text.push_str(&format!("  chips [{}] ({chip_rule})", labels.join(", ")));
            }
            if !shadowed.is_empty() {
                text.push_str(&format!("  shadowed: {}", shadowed.join(", ")));
            }
            text.push_str(&format!("  → {}", state.as_str()));
            text
        }
        RecordKind::Timeout { from, cooldown_s } => format!(
            "{} {} timed out → thinking, cooldown {}s",
            kind("timeout", console::Style::new().yellow()),
            from.as_str(),
            crate::py::str_of(cooldown_s)
        ),
        RecordKind::CooldownCleared => kind("cooldown cleared", console::Style::new().yellow()),
        RecordKind::Reactive { via } => {
            format!("{} via {via} → reactive_assistance", kind("reactive", console::Style::new().magenta()))
        }
        RecordKind::TourOffer { label, flow_id, body } => format!(
            "{} chip {} offers tour {flow_id}: {body:?}",
            kind("tour offer", console::Style::new().blue()),
            crate::py::repr(label)
        ),
        RecordKind::TourStarted { flow_id, via } => {
            format!("{} {} (via {via})", kind("tour started", console::Style::new().blue()), crate::py::str_of(flow_id))
        }
        RecordKind::TourDeclined { flow_id } => {
            format!("{} {flow_id}", kind("tour declined", console::Style::new().blue()))
        }
        RecordKind::InvalidTransition { event, error } => {
            format!("{} {event}: {error}", kind("invalid transition", console::Style::new().red()))
        }
        RecordKind::SessionEnd { state, cooldown_active, fires } => format!(
            "{} {}{}, {fires} fire{}",
            kind("end", console::Style::new().dim()),
            state.as_str(),
            if *cooldown_active { " (cooling down)" } else { "" },
            if *fires == 1 { "" } else { "s" }
        ),
        RecordKind::Evaluation { point, decision, hits } => {
            let mut text =
                format!("{} {point}: {}", kind("evaluation", console::Style::new().dim()), decision.as_string());
            if !hits.is_empty() {
                text.push_str(&format!("  hits: {}", hits.join(", ")));
            }
            paint(&text, console::Style::new().dim())
        }
    }
}

/// One line per product: sessions, fires per trigger, timeouts, sessions that never fired.
pub(crate) fn summary_lines(out: &SimOutput) -> Vec<String> {
    #[derive(Default)]
    struct ProductStats {
        sessions: usize,
        never_fired: usize,
        timeouts: usize,
        fires: BTreeMap<&'static str, usize>,
    }
    let mut order: Vec<String> = Vec::new();
    let mut stats: BTreeMap<String, ProductStats> = BTreeMap::new();
    for s in &out.sessions {
        let key = s.product_id.to_string();
        if !stats.contains_key(&key) {
            order.push(key.clone());
        }
        let e = stats.entry(key).or_default();
        e.sessions += 1;
        if s.fires == 0 {
            e.never_fired += 1;
        }
    }
    for r in &out.records {
        let Some(e) = stats.get_mut(&*r.product_id) else { continue };
        match &r.kind {
            RecordKind::Fire(fire) => *e.fires.entry(fire.trigger_id).or_default() += 1,
            RecordKind::Timeout { .. } => e.timeouts += 1,
            _ => {}
        }
    }
    let mut lines = vec!["summary".to_string()];
    if order.is_empty() {
        lines.push("  no sessions".into());
    }
    for key in order {
        let e = &stats[&key];
        let total: usize = e.fires.values().sum();
        let per: Vec<String> = e.fires.iter().map(|(id, n)| format!("{id} {n}")).collect();
        let name = if key.is_empty() { "(no product_id)".to_string() } else { key.clone() };
        lines.push(format!(
            "  {name}: {} session{}, {total} fire{}{}, {} timeout{}, {} session{} never fired",
            e.sessions,
            plural(e.sessions),
            plural(total),
            if per.is_empty() { String::new() } else { format!(" ({})", per.join(", ")) },
            e.timeouts,
            plural(e.timeouts),
            e.never_fired,
            plural(e.never_fired),
        ));
    }
    lines
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
