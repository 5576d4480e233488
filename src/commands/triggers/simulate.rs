//! `autoplay triggers simulate`: reads the config and the recording, runs the engine in
//! [`crate::triggers::engine`] and prints NDJSON records (`--format json`) or a timeline per
//! session with a summary per product (`--format pretty`).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

use super::input::{load_config, load_config_text, overridden, read_recording_marked, sim_error};
use crate::report;
use crate::settings::{GlobalSettings, SimulateSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::triggers::engine::{self, Record, RecordKind, SimOutput, WhyMode};
use crate::triggers::{focus, sweep, why};

pub(crate) fn run(global: &GlobalSettings, args: SimulateSettings) -> anyhow::Result<ExitStatus> {
    prefer_small_pages();
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, &[Format::Pretty, Format::Json], "autoplay triggers simulate")?;
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
    let stats = read_recording_marked(&args.events, args.skip_bad_lines, &mut simulation, marks.as_mut())?;
    if stats.ignored > 0 && format == Format::Pretty {
        ui::info(format!("{} line(s) of other types (heartbeats, …) ignored", stats.ignored));
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
            let run = simulation.run_ndjson().map_err(|err| sim_error(err, &args.config))?;
            write_ndjson(&run)?;
            run.unrouted
        }
        _ => {
            let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
            print_pretty(&out, opts.why == WhyMode::All, focus)?;
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

/// Writes the HTML report of the run and says where it is (on stderr).
fn write_report(
    path: &Path,
    args: &SimulateSettings,
    build: impl FnOnce(report::Header) -> report::Report,
) -> anyhow::Result<()> {
    let header = report::Header::of_run("triggers simulate", &args.config, &args.events, &args.options);
    let built = build(header);
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

/// The pretty timeline: one block per session (in order of first appearance), then one
/// summary line per product. Every fire shows its reason; with `why` the reasons of every
/// decision follow as indented lines.
pub(crate) fn pretty_lines(out: &SimOutput, color: bool, why: bool, keep: &dyn Fn(&Record) -> bool) -> Vec<String> {
    let paint = |text: &str, style: console::Style| {
        if color { style.force_styling(true).apply_to(text).to_string() } else { text.to_string() }
    };
    let mut by_session: Vec<Vec<&Record>> = vec![Vec::new(); out.sessions.len()];
    for r in out.records.iter().filter(|r| keep(r)) {
        if let Some(v) = by_session.get_mut(r.session_index) {
            v.push(r);
        }
    }
    let mut lines = Vec::new();
    // A session the focus leaves empty is not shown (unfocused, every session has its end).
    for (summary, records) in out.sessions.iter().zip(&by_session).filter(|(_, r)| !r.is_empty()) {
        let start = chrono::DateTime::from_timestamp(summary.first_ts.floor() as i64, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_else(|| format!("{}", summary.first_ts));
        lines.push(format!(
            "{} {}  {}",
            paint("session", console::Style::new().bold()),
            paint(&format!("{}/{}", summary.product_id, summary.session_id), console::Style::new().bold().cyan()),
            paint(&format!("starts {start}"), console::Style::new().dim()),
        ));
        let start = summary.first_ts;
        let mut i = 0;
        while i < records.len() {
            let r = records[i];
            // A run of evaluations with the same outcome folds into one line.
            let run = match evaluation_key(r, start) {
                Some(key) => {
                    records[i..].iter().take_while(|x| evaluation_key(x, start).as_ref() == Some(&key)).count()
                }
                None => 1,
            };
            let offset = format!("+{:>7.1}s", r.ts - start);
            if run > 1 {
                let last = records[i + run - 1];
                let span = format!("{offset} … +{:.1}s", last.ts - start);
                let what = evaluation_key(r, start).unwrap_or_default();
                let pulses =
                    records[i..i + run].iter().all(|x| matches!(x.kind, RecordKind::Evaluation { point: "pulse", .. }));
                let text = format!("{run} {}: {what}", if pulses { "pulses" } else { "evaluations" });
                lines.push(format!(
                    "  {}  {}",
                    paint(&span, console::Style::new().dim()),
                    paint(&text, console::Style::new().dim())
                ));
                lines.extend(
                    reason_lines(last, start, why)
                        .into_iter()
                        .map(|l| format!("{REASON_INDENT}{}", paint(&l, console::Style::new().dim()))),
                );
            } else {
                let line = format!("  {}  {}", paint(&offset, console::Style::new().dim()), describe(r, start, &paint));
                lines.push(line.trim_end().to_string());
                lines.extend(
                    reason_lines(r, start, why)
                        .into_iter()
                        .map(|l| format!("{REASON_INDENT}{}", paint(&l, console::Style::new().dim()))),
                );
            }
            i += run;
        }
        lines.push(String::new());
    }
    lines.extend(summary_lines(out));
    lines
}

/// Where the reasons under a row start (under the row's description).
const REASON_INDENT: &str = "                ";

/// What an evaluation came to, as the folding compares it: the decision, the hits and the
/// gate's reason (`None` for other records).
fn evaluation_key(r: &Record, start: f64) -> Option<String> {
    let RecordKind::Evaluation { decision, hits, why, .. } = &r.kind else { return None };
    let mut key = decision.as_string();
    if !hits.is_empty() {
        key.push_str(&format!(" (hits: {})", hits.join(", ")));
    }
    if let Some(why) = why {
        key.push_str(&format!(": {}", why.gate_line(start)));
    }
    Some(key)
}

/// The indented lines under a row: a fire's reason (and its `why`), an evaluation's `why`.
fn reason_lines(r: &Record, start: f64, all: bool) -> Vec<String> {
    match &r.kind {
        RecordKind::Fire(fire) => {
            let mut lines = vec![why::fire_reason(fire.trigger_id, &fire.metadata, fire.why.as_deref())];
            if let Some(w) = fire.why.as_deref()
                && all
            {
                lines.push(format!("gate: {}", w.gate_line(start)));
                lines.extend(w.detector_lines(start));
            }
            lines
        }
        RecordKind::Evaluation { why: Some(w), .. } => w.detector_lines(start),
        _ => Vec::new(),
    }
}

fn describe(r: &Record, start: f64, paint: &dyn Fn(&str, console::Style) -> String) -> String {
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
        RecordKind::Evaluation { point, decision, hits, .. } => {
            let mut text =
                format!("{} {point}: {}", kind("evaluation", console::Style::new().dim()), decision.as_string());
            if !hits.is_empty() {
                text.push_str(&format!("  hits: {}", hits.join(", ")));
            }
            if let RecordKind::Evaluation { why: Some(w), .. } = &r.kind {
                text.push_str(&format!("  ({})", w.gate_line(start)));
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
