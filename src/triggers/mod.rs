/*!
The trigger engine at SDK parity: the `products.json` model ([`config`]), the built-in
detectors, chips and tour offers, the v2 session state machine and the simulator timeline.
Everything here is pure: time is an `f64` of seconds passed in, never read from a clock.
*/

pub mod chips;
pub mod config;
pub mod detectors;
pub mod engine;
pub mod lint;
pub mod sim_lines;
pub mod state;

use anyhow::Context;

/// Simulates `recording_jsonl` against `config_json` with the default options and returns
/// one printable line per fire (for `autoplay demo`), e.g.
/// `acme/ps_1  +21.0s  canonical_url_ping_pong  "Need my expert help?"  [Create a project | Docs]`.
/// Bad recording lines are skipped; an invalid config is an error.
pub fn demo_fires(config_json: &str, recording_jsonl: &str) -> anyhow::Result<Vec<String>> {
    let parsed = config::parse_products_str(config_json).context("the demo config is not valid JSON")?;
    if parsed.has_errors() {
        let errors: Vec<String> = parsed.errors().map(ToString::to_string).collect();
        anyhow::bail!("the demo config is invalid: {}", errors.join("; "));
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
    let out = engine::simulate(&parsed, events, &engine::SimOptions::default())?;
    let mut lines = Vec::new();
    for r in &out.records {
        if let engine::RecordKind::Fire(fire) = &r.kind {
            let engine::FireRecord { trigger_id, body, chips, .. } = &**fire;
            let start = out.sessions.get(r.session_index).map(|s| s.first_ts).unwrap_or(r.ts);
            let mut line = format!("{}/{}  +{:.1}s  {trigger_id}  {body:?}", r.product_id, r.session_id, r.ts - start);
            if !chips.is_empty() {
                let labels: Vec<String> = chips.iter().map(crate::py::str_of).collect();
                line.push_str(&format!("  [{}]", labels.join(" | ")));
            }
            lines.push(line);
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_fires_prints_one_line_per_fire() {
        let config = r#"{"product_id": "demo", "integration_config": {"proactive_triggers": {"builtins": [
            {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "triggering_type": "instant_trigger"}]}}}"#;
        let recording =
            r#"{"type": "actions", "product_id": "demo", "session_id": "s1", "forwarded_at": 100, "actions": [
            {"canonical_url": "/a"}, {"canonical_url": "/b"}, {"canonical_url": "/a"}]}"#
                .replace('\n', " ");
        let lines = super::demo_fires(config, &recording).unwrap();
        // Fires at once, times out after 20 s, cools down 60 s, fires again while the
        // cycle is still inside the 120 s lookback.
        assert_eq!(
            lines,
            vec![
                "demo/s1  +0.0s  canonical_url_ping_pong  \"Need my expert help?\"".to_string(),
                "demo/s1  +90.0s  canonical_url_ping_pong  \"Need my expert help?\"".to_string()
            ]
        );
    }
}
