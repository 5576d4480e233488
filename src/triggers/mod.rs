/*!
The trigger engine at SDK parity: the `products.json` model ([`config`]), the built-in
detectors, chips and tour offers, the v2 session state machine and the simulator timeline.
Everything here is pure: time is an `f64` of seconds passed in, never read from a clock.
*/

pub(crate) mod chips;
pub mod config;
pub(crate) mod detectors;
pub mod engine;
pub(crate) mod expect;
pub(crate) mod focus;
pub(crate) mod lint;
pub(crate) mod live;
pub(crate) mod narrative;
pub(crate) mod report;
pub mod sim_lines;
pub mod state;
pub(crate) mod sweep;
pub(crate) mod why;

use anyhow::Context;

/// Simulates a recording held in memory (JSON Lines) against a config (the text of a
/// `products.json`) with the default options; every fire carries its reasons
/// ([`engine::WhyMode::Fires`]). Unreadable recording lines are skipped; a config the SDK
/// would refuse is an error.
pub fn simulate_recording(config_json: &str, recording_jsonl: &str) -> anyhow::Result<engine::SimOutput> {
    let parsed = config::parse_products_str(config_json).context("the config is not valid JSON")?;
    if parsed.has_errors() {
        let errors: Vec<String> = parsed.errors().map(ToString::to_string).collect();
        anyhow::bail!("the config is invalid: {}", errors.join("; "));
    }
    let events: Vec<engine::SimEvent> = recording_jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .filter_map(|(i, l)| match engine::parse_line(i + 1, l) {
            Ok(engine::LineOutcome::Event(e)) => Some(e),
            _ => None,
        })
        .collect();
    let opts = engine::SimOptions { why: engine::WhyMode::Fires, ..engine::SimOptions::default() };
    Ok(engine::simulate(&parsed, events, &opts)?)
}
