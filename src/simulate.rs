//! What the `triggers` commands that simulate (and the MCP `triggers_*` tools) share:
//! reading `products.json` and a recording into an [`engine::Simulation`], turning the
//! engine's errors into exit codes, and the pretty timeline of a run.

use std::collections::BTreeMap;
use std::path::Path;

use crate::recording;
use crate::report;
use crate::settings::ExplainSettings;
use crate::shell::exit::UserError;
use crate::shell::ui;
use crate::triggers::config::{self, ParsedConfig};
use crate::triggers::engine::{self, LineOutcome, Record, RecordKind, SimError, SimOutput};
use crate::triggers::focus::TimeBound;
use crate::triggers::{narrative, sweep, why};
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

/// The config at `config` run over the recording at `events`, every record kept as a value
/// (what `triggers explain` and the MCP `triggers_simulate` tool read).
pub(crate) fn simulate_files(
    config: &Path,
    events: &Path,
    skip_bad_lines: bool,
    options: &engine::SimOptions,
) -> anyhow::Result<(ParsedConfig, SimOutput)> {
    let parsed = load_config(config)?;
    let mut simulation = engine::Simulation::new(&parsed, options).map_err(|err| sim_error(err, config))?;
    read_recording(events, skip_bad_lines, &mut simulation)?;
    let out = simulation.run().map_err(|err| sim_error(err, config))?;
    Ok((parsed, out))
}

/// `triggers explain`: simulates the recording with the settings' options and tells one
/// session ([`narrative::tell`]); exit 5 for a session the recording does not have, 2 for a
/// trigger not in the session's product registry.
pub(crate) fn explain(args: &ExplainSettings) -> anyhow::Result<narrative::Narrative> {
    let (parsed, out) = simulate_files(&args.config, &args.events, args.skip_bad_lines, &args.options)?;
    let Some((index, session)) = narrative::find_session(&out, &args.session) else {
        let known: Vec<&str> = out.sessions.iter().take(5).map(|s| &*s.session_id).collect();
        return Err(UserError::not_found(format!("no session {:?} in {}", args.session, args.events.display()))
            .with_hint(if known.is_empty() {
                "the recording has no sessions".to_string()
            } else {
                format!("sessions in the recording include {}", known.join(", "))
            })
            .into());
    };
    let registry: Vec<&str> = parsed
        .rows
        .iter()
        .find(|r| r.key == session.product_key)
        .map(|r| r.registry.iter().map(|s| s.trigger_id()).collect())
        .unwrap_or_default();
    if let Some(t) = &args.trigger
        && !registry.contains(&t.as_str())
    {
        return Err(UserError::usage(format!("--trigger {t:?}: not in the product's registry"))
            .with_hint(format!("the registry is {}", registry.join(", ")))
            .into());
    }
    let at = args.at.map(|a| match a {
        TimeBound::Relative(v) => session.first_ts + v,
        TimeBound::Absolute(v) => v,
    });
    let story = narrative::tell(&out, index, &registry, args.trigger.as_deref(), at);
    Ok(story)
}

// ---------------------------------------------------------------------------------------------
// Pretty output
// ---------------------------------------------------------------------------------------------

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
        let fires = e.fires.iter().map(|(id, n)| (*id, *n as u64));
        lines.push(crate::triggers::live::product_summary_line(
            &key,
            e.sessions as u64,
            fires,
            e.timeouts as u64,
            e.never_fired as u64,
        ));
    }
    lines
}
