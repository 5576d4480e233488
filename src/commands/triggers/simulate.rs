//! `autoplay triggers simulate`: reads the config and the recording, runs the engine in
//! [`crate::triggers::engine`] and prints NDJSON records (`--format json`) or a timeline per
//! session with a summary per product (`--format pretty`).

use std::path::Path;

use crate::report;
use crate::settings::{GlobalSettings, SimulateSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::simulate::{load_config, load_config_text, overridden, pretty_lines, read_recording_marked, sim_error};
use crate::triggers::engine::{self, Record, SimOutput, WhyMode};
use crate::triggers::{focus, sweep};

pub(crate) fn run(global: &GlobalSettings, args: SimulateSettings) -> anyhow::Result<ExitStatus> {
    crate::shell::pages::prefer_small_pages();
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "autoplay triggers simulate")?;
    let mut options = args.options.clone();
    if format == Format::Pretty && options.why == WhyMode::Off {
        // The timeline shows every fire's reason.
        options.why = WhyMode::Fires;
    }
    let opts = &options;
    opts.validate().map_err(UserError::usage)?;
    let focus = &args.focus;
    if let Some(kind) = focus.unknown_kind() {
        return Err(UserError::usage(format!("--kind {kind:?}: not a record kind"))
            .with_hint(format!("the kinds are {}", focus::KINDS.join(", ")))
            .into());
    }

    let parsed = if args.set.is_empty() {
        load_config(&args.config)?
    } else {
        let sets = args.set.iter().map(|s| parse_set(s)).collect::<Result<Vec<_>, _>>()?;
        let (text, _) = load_config_text(&args.config)?;
        overridden(&args.config, &text, &sets)?
    };
    let mut simulation = engine::Simulation::new(&parsed, opts).map_err(|err| sim_error(err, &args.config))?;
    let mut marks = args.report.as_ref().map(|_| report::Marks::new());
    let started = std::time::Instant::now();
    let stats = read_recording_marked(&args.events, args.skip_bad_lines, &mut simulation, marks.as_mut())?;
    tracing::debug!(read_ms = started.elapsed().as_millis() as u64, "recording read and routed");
    if stats.ignored > 0 && format == Format::Pretty {
        ui::info(format!("{} of other types (heartbeats, …) ignored", output::count(stats.ignored, "line", "lines")));
    }
    let unrouted = match (format, &args.report, &marks) {
        // The report is drawn from the very lines printed.
        (Format::Json, Some(path), Some(marks)) if !focus.is_active() => {
            let run = simulation.run_ndjson().map_err(|err| sim_error(err, &args.config))?;
            let texts: Vec<report::SessionLines> =
                run.session_texts().map(|(text, lines)| report::SessionLines { text, lines }).collect();
            write_report(path, &args, |header| report::build_from_lines(header, &run.sessions, &texts, marks))?;
            write_ndjson(&run)?;
            run.unrouted
        }
        (_, Some(path), Some(marks)) => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            write_report(path, &args, |header| report::build(header, &out, marks))?;
            match format {
                Format::Json => write_focused(&out, focus)?,
                _ => print_pretty(&out, opts.why == WhyMode::All, focus)?,
            }
            out.unrouted
        }
        (Format::Json, _, _) if focus.is_active() => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            write_focused(&out, focus)?;
            out.unrouted
        }
        (Format::Json, _, _) => {
            let started = std::time::Instant::now();
            let run = simulation.run_ndjson().map_err(|err| sim_error(err, &args.config))?;
            let ran = started.elapsed();
            write_ndjson(&run)?;
            tracing::debug!(
                run_ms = ran.as_millis() as u64,
                write_ms = (started.elapsed() - ran).as_millis() as u64,
                "sessions run, records written"
            );
            run.unrouted
        }
        _ => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            print_pretty(&out, opts.why == WhyMode::All, focus)?;
            out.unrouted
        }
    };
    for (pid, n) in &unrouted {
        ui::warn(format!("no product row for product_id {pid:?}; {} skipped", output::count(*n, "event", "events")));
    }
    Ok(ExitStatus::Success)
}

/// Slices handed to one `writev`.
const WRITE_BATCH: usize = 512;

/// Writes the records straight from the sessions' texts with vectored writes: no copy into a
/// buffer first (the kernel copies once, or not at all for `/dev/null`).
fn write_ndjson(run: &engine::NdjsonRun) -> std::io::Result<()> {
    use std::io::{IoSlice, Write};
    output::widen_stdout_pipe();
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

/// Writes the HTML report of the run and says where it is (on stderr).
fn write_report(
    path: &Path,
    args: &SimulateSettings,
    build: impl FnOnce(report::Header) -> report::Report,
) -> anyhow::Result<()> {
    let header = report::Header::of_run("triggers simulate", &args.config, &args.events, &args.options);
    let started = std::time::Instant::now();
    let built = build(header);
    let built_at = started.elapsed();
    report::html::write(path, &built)?;
    tracing::debug!(
        build_ms = built_at.as_millis() as u64,
        write_ms = (started.elapsed() - built_at).as_millis() as u64,
        "report written"
    );
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

/// `--set KEY=V`.
fn parse_set(text: &str) -> anyhow::Result<(String, serde_json::Value)> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), sweep::parse_value(value))),
        _ => Err(UserError::usage(format!("--set {text:?}: expected KEY=VALUE")).into()),
    }
}

/// The records the focus selects, as NDJSON (the records of the full run, filtered).
fn write_focused(out: &SimOutput, focus: &focus::Focus) -> anyhow::Result<()> {
    let mut w = LineWriter::block_buffered();
    let mut text = String::new();
    for r in &out.records {
        if out.sessions.get(r.session_index).is_some_and(|s| focus.keeps(r, s)) {
            text.clear();
            r.write_json(&mut text);
            w.line(&text)?;
        }
    }
    w.flush()?;
    Ok(())
}

fn print_pretty(out: &SimOutput, why: bool, focus: &focus::Focus) -> anyhow::Result<()> {
    let mut w = LineWriter::block_buffered();
    let keep = |r: &Record| out.sessions.get(r.session_index).is_some_and(|s| focus.keeps(r, s));
    for line in pretty_lines(out, ui::colors_stdout(), why, &keep) {
        w.line(&line)?;
    }
    w.flush()?;
    Ok(())
}
