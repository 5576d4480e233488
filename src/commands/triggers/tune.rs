//! `autoplay triggers tune`: simulates the recording (read once) under every combination of
//! the swept config values and prints one row of figures per combination
//! ([`crate::triggers::sweep`]).

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::report;
use crate::settings::{GlobalSettings, TuneSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::simulate::{load_config_text, overridden, read_recording_marked, sim_error};
use crate::triggers::config::ParsedConfig;
use crate::triggers::engine;
use crate::triggers::sweep::{self, Figures, SessionTally, Vary};
use crate::triggers::why::secs;

pub(crate) fn run(global: &GlobalSettings, args: TuneSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "autoplay triggers tune")?;
    let opts = &args.options;
    opts.validate().map_err(UserError::usage)?;
    let (text, _) = load_config_text(&args.config)?;
    let varies: Vec<Vary> = args
        .vary
        .iter()
        .map(|v| sweep::parse_vary(v).map_err(|m| UserError::usage(format!("--vary {m}"))))
        .collect::<Result<_, _>>()?;
    // Every combination's config is validated before the recording is read.
    let combos = sweep::combinations(&varies);
    let configs: Vec<ParsedConfig> = combos
        .iter()
        .map(|values| {
            let sets: Vec<(String, Value)> = varies.iter().map(|v| v.key.clone()).zip(values.iter().cloned()).collect();
            overridden(&args.config, &text, &sets)
        })
        .collect::<anyhow::Result<_>>()?;
    for config in &configs {
        engine::Simulation::new(config, opts).map_err(|err| sim_error(err, &args.config))?;
        if config.rows.iter().map(|r| &r.key).ne(configs[0].rows.iter().map(|r| &r.key)) {
            return Err(UserError::usage("--vary cannot change which product rows the config has").into());
        }
    }
    // The recording is read and routed to its sessions once.
    let mut simulation = engine::Simulation::new(&configs[0], opts).map_err(|err| sim_error(err, &args.config))?;
    let mut marks = args.report.as_ref().map(|_| report::Marks::new());
    let stats = read_recording_marked(&args.events, args.skip_bad_lines, &mut simulation, marks.as_mut())?;
    let routed = simulation.into_routed();
    if format == Format::Pretty {
        ui::info(format!(
            "{}; {} of other types ignored",
            output::count(combos.len(), "combination", "combinations"),
            output::count(stats.ignored, "line", "lines")
        ));
    }
    for (pid, n) in &routed.unrouted {
        ui::warn(format!("no product row for product_id {pid:?}; {} skipped", output::count(*n, "event", "events")));
    }
    // Every combination runs at once (each run also spreads its sessions over the cores) and
    // keeps only its figures, counted session by session.
    let with_report = args.report.is_some();
    let runs: Vec<(Figures, Option<engine::SimOutput>)> = configs
        .par_iter()
        .zip(combos.par_iter())
        .enumerate()
        .map(|(i, (config, values))| {
            let named = |err| match err {
                // Name the combination the SDK raised on.
                sdk @ engine::SimError::Sdk { .. } => {
                    let set: Vec<String> = varies.iter().zip(values).map(|(v, x)| format!("{}={x}", v.key)).collect();
                    UserError::usage(format!("with {}: {sdk}", set.join(", "))).into()
                }
                other => sim_error(other, &args.config),
            };
            // The report draws the sessions of the first combination, so that run keeps its
            // records; the others count each session's records as it ends.
            if with_report && i == 0 {
                let out = routed.run(config, opts).map_err(named)?;
                return Ok((Figures::of(&out), Some(out)));
            }
            let (tallies, sessions) =
                routed.run_folded(config, opts, |records| SessionTally::of(&records)).map_err(named)?;
            Ok((Figures::of_sessions(&tallies, &sessions), None))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut w = LineWriter::new();
    let mut triggers: Vec<&'static str> = Vec::new();
    let mut rows = Vec::new();
    let mut first_run = None;
    for ((figures, out), values) in runs.into_iter().zip(&combos) {
        if out.is_some() {
            first_run = out;
        }
        for (id, _) in &figures.fires {
            if !triggers.contains(id) {
                triggers.push(id);
            }
        }
        if format == Format::Json {
            w.line(&row_json(&varies, values, &figures).to_string())?;
        }
        rows.push((values.clone(), figures));
    }
    if let (Some(path), Some(out), Some(marks)) = (&args.report, &first_run, &marks) {
        write_report(path, &args, &varies, &rows, out, marks)?;
    }
    if format != Format::Json {
        for line in table(&varies, &rows, &triggers) {
            w.line(&line)?;
        }
    }
    w.flush()?;
    Ok(ExitStatus::Success)
}

/// Writes the HTML report: the combinations as rows, the sessions as the first
/// combination's run has them.
fn write_report(
    path: &std::path::Path,
    args: &TuneSettings,
    varies: &[Vary],
    rows: &[(Vec<Value>, Figures)],
    first: &engine::SimOutput,
    marks: &report::Marks,
) -> anyhow::Result<()> {
    let mut header = report::Header::of_run("triggers tune", &args.config, &args.events, &args.options);
    for v in varies {
        header.options.push(("--vary".into(), v.key.clone()));
    }
    let mut built = report::build(header, first, marks);
    built.tune = Some(rows.iter().map(|(values, f)| tune_row(varies, values, f)).collect());
    report::html::write(path, &built)?;
    ui::info(format!("report written to {}", path.display()));
    Ok(())
}

/// One combination as the report's table shows it.
fn tune_row(varies: &[Vary], values: &[Value], f: &Figures) -> report::TuneRow {
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), String::from);
    report::TuneRow {
        params: varies.iter().map(|v| v.key.clone()).zip(values.iter().map(text)).collect(),
        fires: f.fires.iter().map(|(id, n)| (id.to_string(), *n as u64)).collect(),
        columns: vec![
            ("sessions fired".into(), f.sessions_with_fire as f64),
            ("fires/session-h".into(), f.fires_per_session_hour().unwrap_or(0.0)),
            ("median 1st fire s".into(), f.median_first_fire_s.unwrap_or(0.0)),
            ("timeouts".into(), f.timeouts as f64),
        ],
    }
}

fn row_json(varies: &[Vary], values: &[Value], f: &Figures) -> Value {
    let set: Map<String, Value> = varies.iter().map(|v| v.key.clone()).zip(values.iter().cloned()).collect();
    let fires: Map<String, Value> = f.fires.iter().map(|(id, n)| (id.to_string(), json!(n))).collect();
    json!({
        "set": set, "fires": fires, "total_fires": f.total_fires(), "sessions": f.sessions,
        "sessions_with_fire": f.sessions_with_fire, "fires_per_session_hour": f.fires_per_session_hour(),
        "median_first_fire_s": f.median_first_fire_s, "timeouts": f.timeouts,
    })
}

/// The rows as an aligned table.
fn table(varies: &[Vary], rows: &[(Vec<Value>, Figures)], triggers: &[&str]) -> Vec<String> {
    let mut head: Vec<String> = varies.iter().map(|v| v.key.clone()).collect();
    head.extend(triggers.iter().map(|t| t.to_string()));
    head.extend(["sessions fired", "fires/session-h", "median 1st fire", "timeouts"].map(String::from));
    let mut cells: Vec<Vec<String>> = vec![head];
    for (values, f) in rows {
        let mut row: Vec<String> =
            values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), String::from)).collect();
        row.extend(triggers.iter().map(|t| f.fires.iter().find(|(id, _)| id == t).map_or(0, |(_, n)| *n).to_string()));
        row.push(format!("{}/{}", f.sessions_with_fire, f.sessions));
        row.push(f.fires_per_session_hour().map_or_else(|| "-".into(), |v| format!("{v:.2}")));
        row.push(
            f.median_first_fire_s.map_or_else(|| "-".into(), |v| format!("{} s", secs((v * 10.0).round() / 10.0))),
        );
        row.push(f.timeouts.to_string());
        cells.push(row);
    }
    let widths: Vec<usize> =
        (0..cells[0].len()).map(|c| cells.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    cells
        .iter()
        .map(|r| {
            r.iter().zip(&widths).map(|(c, w)| format!("{c:>w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string()
        })
        .collect()
}
