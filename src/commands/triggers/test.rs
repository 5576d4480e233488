//! `autoplay triggers test`: simulates the recording with `--why` and checks a file of
//! expectations ([`crate::triggers::expect`]); `--update` writes the ones met now.

use anyhow::Context;

use crate::settings::{GlobalSettings, TestSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::simulate::{load_config, read_recording, sim_error};
use crate::triggers::{engine, expect};

pub(crate) fn run(global: &GlobalSettings, args: TestSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "autoplay triggers test")?;
    let opts = &args.options;
    opts.validate().map_err(UserError::usage)?;
    let name = args.expect.display().to_string();
    let expectations = if args.update {
        Vec::new()
    } else {
        let text = std::fs::read_to_string(&args.expect)
            .map_err(|e| UserError::usage(format!("could not read the expectations {name}: {e}")))?;
        expect::parse(&text).map_err(|m| UserError::usage(format!("{name}: {m}")))?
    };
    let parsed = load_config(&args.config)?;
    let mut simulation = engine::Simulation::new(&parsed, opts).map_err(|err| sim_error(err, &args.config))?;
    read_recording(&args.events, args.skip_bad_lines, &mut simulation)?;
    let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
    if args.update {
        let lines: Vec<String> = expect::snapshot(&out).iter().map(|v| v.to_string()).collect();
        std::fs::write(&args.expect, lines.join("\n") + "\n").with_context(|| format!("could not write {name}"))?;
        ui::info(format!(
            "wrote {} the current config meets to {name}; review them",
            output::count(lines.len(), "expectation", "expectations")
        ));
        return Ok(ExitStatus::Success);
    }
    let (checked, unmet) = expect::check(&out, &expectations);
    let mut w = LineWriter::block_buffered();
    for u in &unmet {
        match format {
            Format::Json => w.line(
                &serde_json::json!({"line": u.line, "session": u.session, "expected": u.expected, "got": u.got,
                    "why": u.why})
                .to_string(),
            )?,
            _ => {
                w.line(&format!("{name}:{}: session {}: expected {}, got {}", u.line, u.session, u.expected, u.got))?;
                for l in &u.why {
                    w.line(&format!("    {l}"))?;
                }
            }
        }
    }
    w.flush()?;
    if unmet.is_empty() {
        ui::info(format!(
            "{}, {}: all met",
            output::count(expectations.len(), "expectation", "expectations"),
            output::count(checked, "check", "checks")
        ));
        Ok(ExitStatus::Success)
    } else {
        Err(UserError::expectation(format!("{} of {} not met", unmet.len(), output::count(checked, "check", "checks")))
            .into())
    }
}
