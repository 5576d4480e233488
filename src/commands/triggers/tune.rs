//! `autoplay triggers tune`: simulates the recording (read once) under every combination of
//! the swept config values and prints one row of figures per combination
//! ([`crate::triggers::sweep`]).

use serde_json::{Map, Value, json};

use crate::settings::{GlobalSettings, TuneSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::simulate::{load_config_text, overridden, read_recording, sim_error};
use crate::triggers::config::ParsedConfig;
use crate::triggers::engine;
use crate::triggers::sweep::{self, Figures, Vary};
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
    let stats = read_recording(&args.events, args.skip_bad_lines, &mut simulation)?;
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
    let mut w = LineWriter::new();
    let mut triggers: Vec<&'static str> = Vec::new();
    let mut rows = Vec::new();
    for (config, values) in configs.iter().zip(&combos) {
        let out = routed.run(config, opts).map_err(|err| match err {
            // Name the combination the SDK raised on.
            sdk @ engine::SimError::Sdk { .. } => {
                let set: Vec<String> = varies.iter().zip(values).map(|(v, x)| format!("{}={x}", v.key)).collect();
                UserError::usage(format!("with {}: {sdk}", set.join(", "))).into()
            }
            other => sim_error(other, &args.config),
        })?;
        let figures = Figures::of(&out);
        for (id, _) in &figures.fires {
            if !triggers.contains(id) {
                triggers.push(id);
            }
        }
        if format == Format::Json {
            w.line(&row_json(&varies, values, &figures).to_string())?;
        } else {
            rows.push((values.clone(), figures));
        }
    }
    if format != Format::Json {
        for line in table(&varies, &rows, &triggers) {
            w.line(&line)?;
        }
    }
    w.flush()?;
    Ok(ExitStatus::Success)
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
