//! `autoplay triggers explain SESSION`: simulates the recording with `--why` (every session
//! from its first event) and tells one session top to bottom ([`crate::triggers::narrative`]).

use super::input::{load_config, read_recording, sim_error};
use crate::settings::{ExplainSettings, GlobalSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::triggers::engine;
use crate::triggers::focus::TimeBound;
use crate::triggers::narrative;

pub(crate) fn run(global: &GlobalSettings, args: ExplainSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "autoplay triggers explain")?;
    let opts = &args.options;
    opts.validate().map_err(UserError::usage)?;
    let parsed = load_config(&args.config)?;
    let mut simulation = engine::Simulation::new(&parsed, opts).map_err(|err| sim_error(err, &args.config))?;
    read_recording(&args.events, args.skip_bad_lines, &mut simulation)?;
    let out = simulation.run().map_err(|err| sim_error(err, &args.config))?;
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
    let mut w = LineWriter::block_buffered();
    match format {
        Format::Json => w.line(&story.to_value().to_string())?,
        _ => {
            for line in story.lines() {
                w.line(&line)?;
            }
        }
    }
    w.flush()?;
    Ok(ExitStatus::Success)
}
